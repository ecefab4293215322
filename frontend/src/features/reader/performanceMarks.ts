/**
 * User Timing marks a benchmark reads: `chapter-requested` when the reader asks for a place
 * (a contents entry, a chapter button, a link), `chapter-painted` in the frame after the
 * chapter's HTML is laid out, and the measure `chapter-open` between the two; `chapter-layout`
 * measures inserting and paging the HTML alone (no network). `passages-applied` measures putting
 * a chapter's marks and figures on it (once its HTML and passages are in the page).
 */
export const CHAPTER_REQUESTED = "chapter-requested";
export const CHAPTER_PAINTED = "chapter-painted";
export const CHAPTER_OPEN = "chapter-open";
export const CHAPTER_LAYOUT = "chapter-layout";

export function markChapterRequested(): void {
  performance.mark(CHAPTER_REQUESTED);
}

export function markChapterPainted(chapter: number): void {
  performance.mark(CHAPTER_PAINTED, { detail: { chapter } });
  if (performance.getEntriesByName(CHAPTER_REQUESTED, "mark").length > 0) {
    performance.measure(CHAPTER_OPEN, {
      start: CHAPTER_REQUESTED,
      end: CHAPTER_PAINTED,
      detail: { chapter },
    });
  }
}

export function markChapterLaidOut(started: number, chapter: number): void {
  performance.measure(CHAPTER_LAYOUT, {
    start: started,
    end: performance.now(),
    detail: { chapter },
  });
}

export const PASSAGES_APPLIED = "passages-applied";

export function markPassagesStarted(): number {
  return performance.now();
}

export function markPassagesApplied(
  started: number,
  chapter: number,
  marks: number,
  figures: number,
): void {
  performance.measure(PASSAGES_APPLIED, {
    start: started,
    end: performance.now(),
    detail: { chapter, marks, figures },
  });
}
