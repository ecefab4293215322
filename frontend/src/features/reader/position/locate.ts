/**
 * Where the reader is, measured on the laid-out chapter: the offset of the first character on
 * screen, and the screen rectangle of an offset. Layout-agnostic: the caller says, through
 * `isBeforeView`, whether a rectangle lies wholly before the visible window (a page of columns
 * or a scrolled viewport).
 */
import { firstReached, type ParagraphSpan, paragraphAtOffset } from "./offsets";
import { paragraphLength, pointInText } from "./paragraphText";

export type RectTest = (rect: DOMRect) => boolean;

function lastRect(element: Element): DOMRect {
  const rects = element.getClientRects();
  return rects.length > 0 ? (rects[rects.length - 1] as DOMRect) : element.getBoundingClientRect();
}

function firstRect(element: Element): DOMRect {
  const rects = element.getClientRects();
  return rects.length > 0 ? (rects[0] as DOMRect) : element.getBoundingClientRect();
}

function characterRect(element: Element, index: number): DOMRect | null {
  const point = pointInText(element, index);
  if (!point || point.offset >= point.node.data.length) return null;
  const range = element.ownerDocument.createRange();
  range.setStart(point.node, point.offset);
  range.setEnd(point.node, point.offset + 1);
  const rects = range.getClientRects();
  return rects.length > 0 ? (rects[0] as DOMRect) : range.getBoundingClientRect();
}

/**
 * The chapter offset of the first character in view: the first paragraph that reaches the
 * view, and inside it (when it began on an earlier page) the first character that does.
 */
export function firstVisibleOffset(
  elements: Map<number, Element>,
  paragraphs: readonly ParagraphSpan[],
  isBeforeView: RectTest,
): number {
  const ordered = [...elements.entries()].sort((a, b) => a[0] - b[0]);
  if (ordered.length === 0) return 0;
  const first = firstReached(ordered.length, (i) => !isBeforeView(lastRect(ordered[i]![1])));
  const entry = ordered[Math.min(first, ordered.length - 1)]!;
  const [index, element] = entry;
  const start = paragraphs[index]?.[0] ?? 0;
  if (first >= ordered.length) return start;
  const opening = characterRect(element, 0) ?? firstRect(element);
  if (!isBeforeView(opening)) return start;
  const length = paragraphLength(element);
  const inside = firstReached(length, (i) => {
    const rect = characterRect(element, i);
    return rect !== null && !isBeforeView(rect);
  });
  return start + Math.min(inside, Math.max(0, length - 1));
}

/** The screen rectangle of the character at a chapter offset (its paragraph's, as a fallback). */
export function rectAtOffset(
  elements: Map<number, Element>,
  paragraphs: readonly ParagraphSpan[],
  offset: number,
): DOMRect | null {
  if (paragraphs.length === 0 || elements.size === 0) return null;
  let index = paragraphAtOffset(paragraphs, offset);
  // A paragraph without an element (empty, or dropped by the sanitiser): the next one that has.
  while (index < paragraphs.length && !elements.has(index)) index += 1;
  const element = elements.get(index);
  if (!element) return null;
  const within = offset - (paragraphs[index]?.[0] ?? 0);
  return (within > 0 ? characterRect(element, within) : null) ?? firstRect(element);
}
