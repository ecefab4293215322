/**
 * The search's matches marked on the chapter on screen with the CSS Custom Highlight API (the
 * book's DOM is untouched): every match as `search-hit`, the current hit as `search-current`.
 * Where the API is missing the matches are simply not marked; the list still leads to them.
 */
import { useLayoutEffect } from "react";
import type { HitSpan } from "@/features/search";
import type { SurfaceContent } from "../components/BookSurface";
import { spanRange } from "../passages/spans";

type Registry = { set: (name: string, value: unknown) => void; delete: (name: string) => void };
type HighlightType = new (...ranges: Range[]) => unknown;

const ALL = "search-hit";
const CURRENT = "search-current";

function highlightApi(): { registry: Registry; Highlight: HighlightType } | null {
  const registry = (globalThis as { CSS?: { highlights?: Registry } }).CSS?.highlights;
  const Highlight = (globalThis as { Highlight?: HighlightType }).Highlight;
  return registry && typeof Highlight === "function" ? { registry, Highlight } : null;
}

type Props = { surface: SurfaceContent | null; marks: readonly HitSpan[]; current: HitSpan | null };

export function SearchMarks({ surface, marks, current }: Props) {
  useLayoutEffect(() => {
    const api = highlightApi();
    if (!api || !surface) return;
    const rangeOf = (span: HitSpan) => spanRange(surface.elements, surface.paragraphs, span);
    const ranges = marks.map(rangeOf).filter((range): range is Range => range !== null);
    const currentRange = current ? rangeOf(current) : null;
    api.registry.set(ALL, new api.Highlight(...ranges));
    if (currentRange) api.registry.set(CURRENT, new api.Highlight(currentRange));
    return () => {
      api.registry.delete(ALL);
      api.registry.delete(CURRENT);
    };
  }, [surface, marks, current]);
  return null;
}
