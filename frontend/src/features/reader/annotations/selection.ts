/**
 * A selection in the chapter as the API's span: (start, end) offsets into the chapter's plain
 * text and the quote, trimmed of surrounding whitespace. Boundaries are counted the server's way
 * (paragraphText.ts); one that falls between paragraphs snaps to the nearest paragraph's edge.
 */
import type { ParagraphSpan } from "../position/offsets";
import { offsetAt } from "../position/paragraphText";

export type TextSpan = { start: number; end: number; quote: string };

function boundaryOffset(
  elements: ReadonlyMap<number, Element>,
  paragraphs: readonly ParagraphSpan[],
  node: Node,
  offset: number,
  side: "start" | "end",
): number | null {
  const ordered = [...elements.entries()].sort(([a], [b]) => a - b);
  const inOrder = side === "start" ? ordered : ordered.reverse();
  for (const [index, element] of inOrder) {
    const span = paragraphs[index];
    if (!span) continue;
    const range = element.ownerDocument.createRange();
    range.selectNodeContents(element);
    let where: number;
    try {
      where = range.comparePoint(node, offset);
    } catch {
      continue; // another document or a detached node
    }
    if (where === 0) {
      const within = offsetAt(element, node, offset);
      return within === null ? null : Math.min(span[0] + within, span[1]);
    }
    // The boundary lies before this paragraph (start) or after it (end): snap to its edge.
    if (side === "start" && where < 0) return span[0];
    if (side === "end" && where > 0) return span[1];
  }
  return null;
}

/** The span of `range` in the chapter, or null when it holds none of the chapter's text. */
export function spanOfRange(
  range: Range,
  elements: ReadonlyMap<number, Element>,
  paragraphs: readonly ParagraphSpan[],
  text: string,
): TextSpan | null {
  if (range.collapsed) return null;
  let start = boundaryOffset(
    elements,
    paragraphs,
    range.startContainer,
    range.startOffset,
    "start",
  );
  let end = boundaryOffset(elements, paragraphs, range.endContainer, range.endOffset, "end");
  if (start === null || end === null) return null;
  while (start < end && /\s/.test(text[start] ?? "")) start += 1;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end -= 1;
  if (end <= start) return null;
  return { start, end, quote: text.slice(start, end) };
}
