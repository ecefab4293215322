/**
 * Where a passage's picture goes and which picture that is. A figure follows the paragraph
 * where its passage ends (outside a list or a table, which cannot hold it), figures after the
 * same paragraph in passage order; the picture shown is the passage's newest ready one, and a
 * newer one still being drawn (or failed) is its status.
 */
import { TABLE_BOX } from "../content/bookHtml";
import { type ParagraphSpan, paragraphAtOffset } from "../position/offsets";
import type { Description, Illustration } from "../api/passages";

/** Containers a figure cannot sit inside: it goes after the whole container instead. */
const NO_FIGURE_INSIDE = new Set(["ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "p"]);

/**
 * The element a passage's figure is inserted after: the paragraph holding its last character,
 * or (when that paragraph sits in a list, a table or a `<p>`) the outermost such container
 * below `root`. Null when that paragraph is not in the document yet.
 */
export function figureAnchor(
  root: Element,
  elements: ReadonlyMap<number, Element>,
  paragraphs: readonly ParagraphSpan[],
  end: number,
): Element | null {
  if (paragraphs.length === 0) return null;
  const paragraph = elements.get(paragraphAtOffset(paragraphs, Math.max(0, end - 1)));
  if (!paragraph || !root.contains(paragraph)) return null;
  let anchor: Element = paragraph;
  for (
    let parent = anchor.parentElement;
    parent && parent !== root;
    parent = parent.parentElement
  ) {
    if (
      NO_FIGURE_INSIDE.has(parent.localName) ||
      parent.localName === "li" ||
      parent.classList.contains(TABLE_BOX)
    ) {
      anchor = parent;
    }
  }
  return anchor;
}

export type FigureModel = {
  description: Description;
  /** The picture on the page: the newest ready one. */
  shown: Illustration | null;
  /** The newest of all (may be the shown one, or one being drawn, or a failure). */
  latest: Illustration;
};

const newestFirst = (a: Illustration, b: Illustration) =>
  b.created_at.localeCompare(a.created_at) || b.generation - a.generation;

/** Each passage's pictures, newest first, by passage id. */
export function illustrationsByPassage(
  illustrations: readonly Illustration[],
): Map<string, Illustration[]> {
  const byPassage = new Map<string, Illustration[]>();
  for (const item of illustrations) {
    const list = byPassage.get(item.description_id) ?? [];
    list.push(item);
    byPassage.set(item.description_id, list);
  }
  for (const list of byPassage.values()) list.sort(newestFirst);
  return byPassage;
}

/**
 * The figures of a chapter in reading order: a passage with a ready picture, or one the reader
 * asked for here (`askedHere`: its drawing or its failure shows in place). Pictures that
 * automatic mode is still drawing stay out of the text until they are ready.
 */
export function chapterFigures(
  descriptions: readonly Description[],
  illustrations: readonly Illustration[],
  askedHere: ReadonlySet<string>,
): FigureModel[] {
  const byPassage = illustrationsByPassage(illustrations);
  const figures: FigureModel[] = [];
  for (const description of descriptions) {
    const list = byPassage.get(description.id);
    if (!list || list.length === 0) continue;
    const latest = list[0]!;
    const shown = list.find((item) => item.state === "ready") ?? null;
    if (shown || askedHere.has(latest.id)) figures.push({ description, shown, latest });
  }
  return figures.sort(
    (a, b) => a.description.start - b.description.start || a.description.end - b.description.end,
  );
}

export const isPending = (item: Illustration) =>
  item.state === "queued" || item.state === "running";
