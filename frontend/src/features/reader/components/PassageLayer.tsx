/**
 * Marks and figures over the chapter the surface shows. Marks go on as highlights (or wrapped
 * elements) from the passages' offsets; each figure is a `<figure>` placed in the book's DOM
 * after the paragraph where its passage ends — in reading order for screen readers and inside
 * the columns in paginated mode — with its content rendered by React through a portal.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { createPortal } from "react-dom";
import type { Description } from "../api/passages";
import { figureAnchor, type FigureModel } from "../passages/figures";
import { MarkLayer, type MarkedSpan } from "../passages/marks";
import { markPassagesApplied, markPassagesStarted } from "../performanceMarks";
import type { SurfaceContent } from "./BookSurface";

type Placed = { id: string; host: HTMLElement };

export type MarkHitTest = (x: number, y: number, target: EventTarget | null) => MarkedSpan | null;

type Props = {
  surface: SurfaceContent | null;
  descriptions: readonly Description[];
  figures: readonly FigureModel[];
  showMarks: boolean;
  hitTest: React.RefObject<MarkHitTest | null>;
  relayout: () => void;
  renderFigure: (figure: FigureModel) => React.ReactNode;
};

export function PassageLayer({
  surface,
  descriptions,
  figures,
  showMarks,
  hitTest,
  relayout,
  renderFigure,
}: Props) {
  const layer = useRef<MarkLayer | null>(null);
  const hosts = useRef(new Map<string, HTMLElement>());
  const [placed, setPlaced] = useState<Placed[]>([]);
  // What the figures effect placed last; the state catches up on the next render.
  const placedRef = useRef<Placed[]>([]);
  const started = useRef<number | null>(null);

  const spans = useMemo(
    () =>
      showMarks ? descriptions.map(({ id, type, start, end }) => ({ id, type, start, end })) : [],
    [descriptions, showMarks],
  );
  const current = surface && descriptions.every((item) => item.chapter === surface.chapter);

  useLayoutEffect(() => {
    if (!surface) return;
    if (layer.current?.root !== surface.content) {
      layer.current?.clear();
      layer.current = new MarkLayer(surface.content);
    }
    started.current ??= markPassagesStarted();
    const marks = layer.current;
    marks.apply(current ? spans : [], surface.elements, surface.paragraphs);
    hitTest.current = (x, y, target) => marks.spanAtPoint(x, y, target);
  }, [surface, spans, current, hitTest]);

  useLayoutEffect(() => {
    if (!surface) return;
    const { content, elements, paragraphs } = surface;
    started.current ??= markPassagesStarted();
    const wanted = current ? figures : [];
    const keep = new Set(wanted.map((figure) => figure.description.id));
    for (const [id, host] of hosts.current) {
      if (!keep.has(id)) {
        host.remove();
        hosts.current.delete(id);
      }
    }
    const next: Placed[] = [];
    let previous: { anchor: Element; host: HTMLElement } | null = null;
    for (const figure of wanted) {
      const id = figure.description.id;
      const anchor = figureAnchor(content, elements, paragraphs, figure.description.end);
      let host = hosts.current.get(id);
      if (!anchor) {
        host?.remove();
        continue;
      }
      if (!host) {
        host = content.ownerDocument.createElement("figure");
        host.className = "illustration";
        host.setAttribute("data-description", id);
        hosts.current.set(id, host);
      }
      // Figures after the same paragraph keep their passages' order.
      const after: Element = previous?.anchor === anchor ? previous.host : anchor;
      if (after.nextSibling !== host) after.after(host);
      previous = { anchor, host };
      next.push({ id, host });
    }
    const before = placedRef.current;
    const same =
      before.length === next.length &&
      before.every((item, i) => item.id === next[i]!.id && item.host === next[i]!.host);
    if (!same) placedRef.current = next;
    setPlaced(placedRef.current);
  }, [surface, figures, current]);

  // After the figures' content is in the page: lay the chapter out again around them (a new
  // chapter's layout was done before its figures went back in).
  const signature = figures
    .map((figure) => `${figure.description.id}:${figure.shown?.id}:${figure.latest.state}`)
    .join("|");
  const laidOut = useRef<{ surface: unknown; placed: unknown; signature: string }>({
    surface: null,
    placed: null,
    signature: "",
  });
  useLayoutEffect(() => {
    // Figures placed but their content not rendered yet: the next render lays out.
    if (!surface || placed !== placedRef.current) return;
    const last = laidOut.current;
    const figuresChanged = last.placed !== placed || last.signature !== signature;
    const moved = last.surface !== surface && placed.length > 0;
    laidOut.current = { surface, placed, signature };
    if (figuresChanged || moved) relayout();
    if (started.current !== null) {
      markPassagesApplied(started.current, surface.chapter, spans.length, placed.length);
      started.current = null;
    }
  }, [placed, signature, surface, relayout, spans]);

  useEffect(
    () => () => {
      layer.current?.clear();
      for (const host of hosts.current.values()) host.remove();
      hosts.current.clear();
    },
    [],
  );

  const byId = new Map(figures.map((figure) => [figure.description.id, figure]));
  return (
    <>
      {placed.map(({ id, host }) => {
        const figure = byId.get(id);
        return figure ? createPortal(renderFigure(figure), host, id) : null;
      })}
    </>
  );
}
