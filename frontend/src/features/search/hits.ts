/** Stepping through a book's hits, and which of them lie in the chapter on screen. */
import type { SearchHit } from "./api/search";

export type HitSpan = { start: number; end: number };

/** The next (step 1) or previous (step -1) hit, wrapping around the ends. */
export function stepHit(count: number, current: number | null, step: 1 | -1): number | null {
  if (count === 0) return null;
  if (current === null) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

/** The hit nearest to a place in the book (for a link that opened the reader at one). */
export function hitAt(
  hits: readonly SearchHit[],
  place: { chapter: number; start: number },
): number | null {
  const index = hits.findIndex(
    (hit) => hit.chapter === place.chapter && hit.start <= place.start && place.start < hit.end + 1,
  );
  if (index >= 0) return index;
  const after = hits.findIndex(
    (hit) =>
      hit.chapter > place.chapter || (hit.chapter === place.chapter && hit.start >= place.start),
  );
  return after >= 0 ? after : hits.length > 0 ? 0 : null;
}

/** Every match to mark in a chapter: all the marks of its hits. */
export function chapterMarks(hits: readonly SearchHit[], chapter: number): HitSpan[] {
  return hits
    .filter((hit) => hit.chapter === chapter)
    .flatMap((hit) => hit.marks.map(([start, end]) => ({ start, end })));
}
