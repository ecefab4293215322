/**
 * The reader's highlights drawn over the chapter with the CSS Custom Highlight API, one
 * highlight per colour (`::highlight(annotation-<colour>)`), from their offsets: the book's DOM
 * is untouched, so selecting and reading the text stay as they are. Browsers without the API
 * draw nothing; the highlights are still listed in the panel.
 */
import type { ParagraphSpan } from "../position/offsets";
import { spanRange } from "../passages/spans";

export type DrawnHighlight = { id: string; start: number; end: number; color: string };

type Registry = { set: (name: string, value: unknown) => void; delete: (name: string) => void };

export const annotationHighlightName = (color: string) => `annotation-${color}`;

function registry(): Registry | null {
  const css = (globalThis as { CSS?: { highlights?: Registry } }).CSS;
  const Highlight = (globalThis as { Highlight?: unknown }).Highlight;
  return css?.highlights && typeof Highlight === "function" ? css.highlights : null;
}

export class HighlightLayer {
  private names = new Set<string>();

  constructor(private readonly highlights: Registry | null = registry()) {}

  /** Draw `items` (replacing what was drawn); the ranges drawn, by colour. */
  draw(
    items: readonly DrawnHighlight[],
    elements: ReadonlyMap<number, Element>,
    paragraphs: readonly ParagraphSpan[],
  ): Map<string, Range[]> {
    this.clear();
    const byColor = new Map<string, Range[]>();
    for (const item of items) {
      const range = spanRange(elements, paragraphs, item);
      if (!range) continue;
      byColor.set(item.color, [...(byColor.get(item.color) ?? []), range]);
    }
    if (!this.highlights) return byColor;
    const Highlight = (globalThis as unknown as { Highlight: new (...r: Range[]) => unknown })
      .Highlight;
    for (const [color, ranges] of byColor) {
      const name = annotationHighlightName(color);
      this.highlights.set(name, new Highlight(...ranges));
      this.names.add(name);
    }
    return byColor;
  }

  clear(): void {
    for (const name of this.names) this.highlights?.delete(name);
    this.names.clear();
  }
}
