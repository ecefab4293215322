/** The gallery's shape: one section per chapter in reading order, one tile per passage. */
import type { Illustration } from "./api/gallery";

export type Tile = {
  /** The picture to show: the passage's newest ready one, else its newest in progress. */
  image: Illustration;
  chapter: number;
  start: number;
  passage: string;
};

export type ChapterSection = { chapter: number; tiles: Tile[] };

const IN_PROGRESS = new Set(["queued", "running"]);

function better(current: Illustration, candidate: Illustration): boolean {
  const ready = (image: Illustration) => image.state === "ready";
  if (ready(candidate) !== ready(current)) return ready(candidate);
  if (candidate.generation !== current.generation) return candidate.generation > current.generation;
  return candidate.created_at > current.created_at;
}

/**
 * Group the book's illustrations by chapter, ordered by where their passages start. A passage
 * drawn several times (regenerated, other styles) shows once; failed pictures are the reader's
 * business (it offers a retry there), so a passage with only failures is left out.
 */
export function galleryGroups(items: readonly Illustration[]): ChapterSection[] {
  const byPassage = new Map<string, Tile>();
  for (const image of items) {
    if (!image.passage) continue;
    if (image.state !== "ready" && !IN_PROGRESS.has(image.state)) continue;
    const known = byPassage.get(image.description_id);
    if (!known) {
      byPassage.set(image.description_id, {
        image,
        chapter: image.passage.chapter,
        start: image.passage.start,
        passage: image.passage.text,
      });
    } else if (better(known.image, image)) {
      known.image = image;
    }
  }
  const tiles = [...byPassage.values()].sort((a, b) => a.chapter - b.chapter || a.start - b.start);
  const sections: ChapterSection[] = [];
  for (const tile of tiles) {
    const last = sections.at(-1);
    if (last && last.chapter === tile.chapter) last.tiles.push(tile);
    else sections.push({ chapter: tile.chapter, tiles: [tile] });
  }
  return sections;
}

/** A caption short enough for a tile: whole words, an ellipsis when cut. */
export function shortPassage(text: string, limit = 140): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const space = cut.lastIndexOf(" ");
  return `${(space > limit * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:—-]+$/, "")}…`;
}
