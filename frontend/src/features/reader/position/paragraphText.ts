/**
 * A `data-p` paragraph's text exactly as the server counts it (paragraph_text.py's `dom_text`):
 * text nodes in document order, each `<br>` as one "\n", and the subtrees of note references
 * (`[data-note]`) and ruby annotations (`rt`, `rp`) left out — they are shown, but they are not
 * part of the chapter's `text`. Every offset the API gives (positions, descriptions) counts these
 * characters, so every mapping between offsets and the DOM goes through this walker.
 */

/** One run of the paragraph's text: a text node, or a `<br>` standing for "\n". */
export type TextPiece =
  | { kind: "text"; node: Text; start: number; end: number }
  | { kind: "break"; element: Element; start: number; end: number };

export type TextPoint = { node: Text; offset: number };

function isHidden(element: Element): boolean {
  const tag = element.localName;
  return tag === "rt" || tag === "rp" || Boolean(element.getAttribute("data-note"));
}

/** The paragraph's pieces in order, with their (start, end) in its text. */
export function textPieces(paragraph: Element): TextPiece[] {
  const pieces: TextPiece[] = [];
  let offset = 0;
  const walk = (parent: Node) => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        const node = child as Text;
        if (node.data.length === 0) continue;
        pieces.push({ kind: "text", node, start: offset, end: offset + node.data.length });
        offset += node.data.length;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const element = child as Element;
        if (element.localName === "br") {
          pieces.push({ kind: "break", element, start: offset, end: offset + 1 });
          offset += 1;
        } else if (!isHidden(element)) {
          walk(element);
        }
      }
    }
  };
  walk(paragraph);
  return pieces;
}

/** The paragraph's text as the server has it. */
export function paragraphText(paragraph: Element): string {
  return textPieces(paragraph)
    .map((piece) => (piece.kind === "text" ? piece.node.data : "\n"))
    .join("");
}

/** Length of the paragraph's text. */
export function paragraphLength(paragraph: Element): number {
  return textPieces(paragraph).at(-1)?.end ?? 0;
}

/**
 * The DOM boundary point `offset` characters into the paragraph's text, clamped to its ends.
 * `bias` decides a point that falls between two pieces: "start" opens the next piece (where a
 * span starts), "end" closes the previous one (where a span ends), so a range never reaches into
 * a note marker that sits between them.
 */
export function boundaryAt(
  paragraph: Element,
  offset: number,
  bias: "start" | "end" = "start",
  pieces: readonly TextPiece[] = textPieces(paragraph),
): { container: Node; offset: number } {
  if (pieces.length === 0)
    return { container: paragraph, offset: bias === "start" ? 0 : paragraph.childNodes.length };
  const target = Math.max(0, Math.min(offset, pieces.at(-1)!.end));
  for (const piece of pieces) {
    const inside = bias === "start" ? target < piece.end : target <= piece.end;
    if (!inside) continue;
    if (piece.kind === "text") return { container: piece.node, offset: target - piece.start };
    // A line break: before it, or (past it) after it.
    const element = piece.element;
    const parent = element.parentNode!;
    const index = Array.prototype.indexOf.call(parent.childNodes, element) as number;
    return { container: parent, offset: target > piece.start ? index + 1 : index };
  }
  const last = pieces.at(-1)!;
  if (last.kind === "text") return { container: last.node, offset: last.node.data.length };
  const parent = last.element.parentNode!;
  return {
    container: parent,
    offset: (Array.prototype.indexOf.call(parent.childNodes, last.element) as number) + 1,
  };
}

/**
 * The text-node point `offset` characters in (clamped), for measuring a character: a line
 * break's offset moves on to the next text (or back to the end of the last one).
 */
export function pointInText(paragraph: Element, offset: number): TextPoint | null {
  const texts = textPieces(paragraph).filter((piece) => piece.kind === "text");
  const target = Math.max(0, offset);
  for (const piece of texts) {
    if (target < piece.end) {
      return { node: piece.node, offset: Math.max(0, target - piece.start) };
    }
  }
  const last = texts.at(-1);
  return last ? { node: last.node, offset: last.node.data.length } : null;
}

/**
 * Characters of the paragraph's text before a DOM boundary point inside it (a point inside a
 * note marker or an annotation counts as the place where the marker sits); null when the point
 * is outside the paragraph.
 */
export function offsetAt(paragraph: Element, container: Node, offset: number): number | null {
  if (container !== paragraph && !paragraph.contains(container)) return null;
  // Compare the point with each piece's start: the count is the text before the point.
  const doc = paragraph.ownerDocument;
  const probe = doc.createRange();
  probe.setStart(container, offset);
  let count = 0;
  for (const piece of textPieces(paragraph)) {
    const node = piece.kind === "text" ? piece.node : piece.element;
    if (piece.kind === "text" && node === container) return piece.start + offset;
    const before = doc.createRange();
    before.selectNode(node);
    // The piece starts at or after the point: nothing of it is before.
    if (probe.compareBoundaryPoints(Range.START_TO_START, before) <= 0) return count;
    count = piece.end;
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
