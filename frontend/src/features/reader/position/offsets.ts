/**
 * Reading positions are character offsets into a chapter's plain text; the chapter's
 * `paragraphs` list each paragraph's (start, end) in that text, and the paragraph's element in
 * the HTML carries `data-p` = its index, whose text (read by paragraphText.ts, the server's way)
 * is the paragraph's text. These functions map between an offset, a paragraph, and a point inside
 * the paragraph's DOM text.
 */
import { offsetAt, type TextPoint } from "./paragraphText";

export type ParagraphSpan = readonly [number, number];

/** Index of the paragraph that holds `offset` (the last one starting at or before it). */
export function paragraphAtOffset(paragraphs: readonly ParagraphSpan[], offset: number): number {
  let low = 0;
  let high = paragraphs.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = paragraphs[middle];
    if (span && span[0] <= offset) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/** Length of the chapter's plain text, as far as its paragraphs reach. */
export function chapterLength(paragraphs: readonly ParagraphSpan[]): number {
  return paragraphs.at(-1)?.[1] ?? 0;
}

/** The first index in [0, count) for which `reached` is true; `count` when none is. */
export function firstReached(count: number, reached: (index: number) => boolean): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (reached(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

export { paragraphElements, pointInText, type TextPoint } from "./paragraphText";

/** Characters of the element's text (as the server counts them) before a point inside it. */
export function offsetInText(element: Element, point: TextPoint): number {
  return offsetAt(element, point.node, point.offset) ?? 0;
}
