/**
 * A passage's (start, end) offsets in the chapter's text as a DOM Range over the `data-p`
 * paragraphs, and back: a point on screen to the chapter offset of the character under it.
 * Offsets only, never a text search: the paragraph offsets say which element holds which
 * characters, and the paragraph walker counts them the server's way.
 */
import { type ParagraphSpan, paragraphAtOffset } from "../position/offsets";
import { boundaryAt, offsetAt, textPieces } from "../position/paragraphText";

export type Span = { start: number; end: number };

/**
 * The Range of the chapter text [start, end), across paragraphs when the span crosses them.
 * Paragraphs not (yet) in the document are skipped: the range covers what is there, or is null.
 */
export function spanRange(
  elements: ReadonlyMap<number, Element>,
  paragraphs: readonly ParagraphSpan[],
  span: Span,
): Range | null {
  if (span.end <= span.start || paragraphs.length === 0) return null;
  let first = paragraphAtOffset(paragraphs, span.start);
  // A start in the gap after a paragraph belongs to the next one.
  if (span.start >= paragraphs[first]![1]) first += 1;
  let last = paragraphAtOffset(paragraphs, span.end - 1);
  while (first <= last && !elements.has(first)) first += 1;
  while (last >= first && !elements.has(last)) last -= 1;
  if (first > last) return null;
  const startElement = elements.get(first)!;
  const endElement = elements.get(last)!;
  const [firstStart] = paragraphs[first]!;
  const [lastStart, lastEnd] = paragraphs[last]!;
  const start = boundaryAt(startElement, Math.max(0, span.start - firstStart), "start");
  const end = boundaryAt(endElement, Math.min(span.end, lastEnd) - lastStart, "end");
  const range = startElement.ownerDocument.createRange();
  range.setStart(start.container, start.offset);
  range.setEnd(end.container, end.offset);
  return range.collapsed ? null : range;
}

/** The paragraph element holding a DOM node, and its index. */
function paragraphOf(node: Node, root: Element): { element: Element; index: number } | null {
  const element = (node instanceof Element ? node : node.parentElement)?.closest("[data-p]");
  if (!element || !root.contains(element)) return null;
  const index = Number(element.getAttribute("data-p"));
  return Number.isInteger(index) && element.getAttribute("data-p") !== ""
    ? { element, index }
    : null;
}

type Caret = { node: Node; offset: number };

/** The caret position at a screen point (the standard call, or Chromium's older one). */
function caretAt(doc: Document, x: number, y: number): Caret | null {
  const withPosition = doc as Document & {
    caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (typeof withPosition.caretPositionFromPoint === "function") {
    const position = withPosition.caretPositionFromPoint(x, y);
    return position ? { node: position.offsetNode, offset: position.offset } : null;
  }
  if (typeof withPosition.caretRangeFromPoint === "function") {
    const range = withPosition.caretRangeFromPoint(x, y);
    return range ? { node: range.startContainer, offset: range.startOffset } : null;
  }
  return null;
}

function containsPoint(range: Range, x: number, y: number): boolean {
  for (const rect of range.getClientRects()) {
    if (x >= rect.left - 1 && x <= rect.right + 1 && y >= rect.top - 1 && y <= rect.bottom + 1) {
      return true;
    }
  }
  return false;
}

/**
 * The chapter offset of the character under a screen point, or null off the text. The caret
 * is the nearest boundary between two characters, so the character is the one after or before
 * it whose box holds the point (a click beside a short line is off the text).
 */
export function offsetAtPoint(
  root: Element,
  paragraphs: readonly ParagraphSpan[],
  x: number,
  y: number,
): number | null {
  const doc = root.ownerDocument;
  const caret = caretAt(doc, x, y);
  if (!caret) return null;
  const paragraph = paragraphOf(caret.node, root);
  if (!paragraph) return null;
  const within = offsetAt(paragraph.element, caret.node, caret.offset);
  const start = paragraphs[paragraph.index]?.[0];
  if (within === null || start === undefined) return null;
  const pieces = textPieces(paragraph.element);
  for (const candidate of [within, within - 1]) {
    if (candidate < 0) continue;
    const from = boundaryAt(paragraph.element, candidate, "start", pieces);
    const to = boundaryAt(paragraph.element, candidate + 1, "end", pieces);
    const range = doc.createRange();
    range.setStart(from.container, from.offset);
    range.setEnd(to.container, to.offset);
    if (!range.collapsed && containsPoint(range, x, y)) return start + candidate;
  }
  return null;
}

/** The passage at a chapter offset: the shortest (most specific) of those holding it. */
export function spanAt<T extends Span>(spans: readonly T[], offset: number): T | null {
  let best: T | null = null;
  for (const span of spans) {
    if (span.start <= offset && offset < span.end) {
      if (!best || span.end - span.start < best.end - best.start) best = span;
    }
  }
  return best;
}
