/**
 * Passage marks over the chapter: with the CSS Custom Highlight API, one highlight per passage
 * type built from Ranges (the book's DOM is untouched, so text reading and selection stay as
 * they are); without it, `<mark>` elements wrapped around the span's text nodes. Either way a
 * passage that crosses paragraphs is one mark, and a click is resolved from its offset.
 */
import type { ParagraphSpan } from "../position/offsets";
import { offsetAtPoint, type Span, spanAt, spanRange } from "./spans";

export type MarkedSpan = Span & { id: string; type: string };

/** The highlight registered for a passage type (styled by `::highlight(passage-<type>)`). */
export const highlightName = (type: string) => `passage-${type}`;

type HighlightRegistry = {
  set: (name: string, highlight: unknown) => void;
  delete: (name: string) => void;
};

function highlightRegistry(): HighlightRegistry | null {
  const css = (globalThis as { CSS?: { highlights?: HighlightRegistry } }).CSS;
  const Highlight = (globalThis as { Highlight?: unknown }).Highlight;
  return css?.highlights && typeof Highlight === "function" ? css.highlights : null;
}

export const MARK_CLASS = "passage-mark";

export class MarkLayer {
  private names = new Set<string>();
  private spans: MarkedSpan[] = [];
  private paragraphs: readonly ParagraphSpan[] = [];

  constructor(
    readonly root: Element,
    private readonly registry: HighlightRegistry | null = highlightRegistry(),
  ) {}

  get usesHighlights(): boolean {
    return this.registry !== null;
  }

  /** Mark `spans` (replacing the previous marks); an empty list clears them. */
  apply(
    spans: readonly MarkedSpan[],
    elements: ReadonlyMap<number, Element>,
    paragraphs: readonly ParagraphSpan[],
  ): void {
    this.clear();
    this.spans = [...spans];
    this.paragraphs = paragraphs;
    if (spans.length === 0) return;
    if (this.registry) this.highlight(spans, elements, paragraphs);
    else this.wrap(spans, paragraphs);
  }

  clear(): void {
    for (const name of this.names) this.registry?.delete(name);
    this.names.clear();
    this.unwrap();
    this.spans = [];
  }

  /** The marked passage under a screen point (or at a clicked `<mark>`), or null. */
  spanAtPoint(x: number, y: number, target: EventTarget | null): MarkedSpan | null {
    if (this.spans.length === 0) return null;
    if (!this.registry) {
      const mark = target instanceof Element ? target.closest(`mark.${MARK_CLASS}`) : null;
      const id = mark?.getAttribute("data-description");
      return id ? (this.spans.find((span) => span.id === id) ?? null) : null;
    }
    const offset = offsetAtPoint(this.root, this.paragraphs, x, y);
    return offset === null ? null : spanAt(this.spans, offset);
  }

  private highlight(
    spans: readonly MarkedSpan[],
    elements: ReadonlyMap<number, Element>,
    paragraphs: readonly ParagraphSpan[],
  ): void {
    const byType = new Map<string, Range[]>();
    for (const span of spans) {
      const range = spanRange(elements, paragraphs, span);
      if (!range) continue;
      const list = byType.get(span.type) ?? [];
      list.push(range);
      byType.set(span.type, list);
    }
    const Highlight = (globalThis as unknown as { Highlight: new (...ranges: Range[]) => unknown })
      .Highlight;
    for (const [type, ranges] of byType) {
      const name = highlightName(type);
      this.registry!.set(name, new Highlight(...ranges));
      this.names.add(name);
    }
  }

  /**
   * Wraps each passage's text nodes in `<mark>`s, one passage at a time: its range is found
   * again from the offsets after the previous one split text nodes (the count stays the same).
   */
  private wrap(spans: readonly MarkedSpan[], paragraphs: readonly ParagraphSpan[]): void {
    const doc = this.root.ownerDocument;
    for (const span of spans) {
      const elements = paragraphElementsOf(this.root);
      const range = spanRange(elements, paragraphs, span);
      if (!range) continue;
      for (const node of textNodesIn(range)) {
        let piece = node;
        const from = node === range.startContainer ? range.startOffset : 0;
        const to = node === range.endContainer ? range.endOffset : node.data.length;
        if (to <= from) continue;
        if (to < piece.data.length) piece.splitText(to);
        if (from > 0) piece = piece.splitText(from);
        const mark = doc.createElement("mark");
        mark.className = `${MARK_CLASS} ${MARK_CLASS}-${span.type}`;
        mark.setAttribute("data-description", span.id);
        piece.replaceWith(mark);
        mark.append(piece);
      }
    }
  }

  private unwrap(): void {
    const marks = this.root.querySelectorAll(`mark.${MARK_CLASS}`);
    const parents = new Set<Node>();
    for (const mark of marks) {
      const parent = mark.parentNode;
      if (!parent) continue;
      mark.replaceWith(...mark.childNodes);
      parents.add(parent);
    }
    for (const parent of parents) parent.normalize();
  }
}

function paragraphElementsOf(root: Element): Map<number, Element> {
  const byIndex = new Map<number, Element>();
  for (const element of root.querySelectorAll("[data-p]")) {
    const value = element.getAttribute("data-p") ?? "";
    if (/^\d+$/.test(value)) byIndex.set(Number(value), element);
  }
  return byIndex;
}

/** The text nodes a range touches, outside note markers and ruby annotations. */
function textNodesIn(range: Range): Text[] {
  const root =
    range.commonAncestorContainer.nodeType === Node.TEXT_NODE
      ? range.commonAncestorContainer.parentNode!
      : range.commonAncestorContainer;
  const walker = range.startContainer.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => {
      const parent = node.parentElement;
      // Only a paragraph's own text: not the space between blocks, not markers or annotations.
      if (!parent?.closest("[data-p]") || parent.closest("[data-note], rt, rp")) {
        return NodeFilter.FILTER_REJECT;
      }
      return range.intersectsNode(node) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
    },
  });
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}
