/**
 * Reading positions are character offsets into a chapter's plain text; the chapter's
 * `paragraphs` list each paragraph's (start, end) in that text, and the paragraph's element in
 * the HTML carries `data-p` = its index, with textContent equal to the paragraph's text. These
 * functions map between an offset, a paragraph, and a point inside the paragraph's DOM text.
 */

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

export type TextPoint = { node: Text; offset: number };

function textNodes(element: Element): Text[] {
  const walker = element.ownerDocument.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

/** The DOM point `offset` characters into the element's text (clamped to its ends). */
export function pointInText(element: Element, offset: number): TextPoint | null {
  const nodes = textNodes(element);
  let remaining = Math.max(0, offset);
  for (const node of nodes) {
    if (remaining < node.data.length) return { node, offset: remaining };
    remaining -= node.data.length;
  }
  const last = nodes.at(-1);
  return last ? { node: last, offset: last.data.length } : null;
}

/** Characters of the element's text before a DOM point inside it. */
export function offsetInText(element: Element, point: TextPoint): number {
  let count = 0;
  for (const node of textNodes(element)) {
    if (node === point.node) return count + point.offset;
    count += node.data.length;
  }
  return count;
}

/** Every paragraph element of a chapter by its index (elements without a number are skipped). */
export function paragraphElements(container: Element): Map<number, Element> {
  const byIndex = new Map<number, Element>();
  for (const element of container.querySelectorAll("[data-p]")) {
    const value = element.getAttribute("data-p") ?? "";
    if (/^\d+$/.test(value)) byIndex.set(Number(value), element);
  }
  return byIndex;
}
