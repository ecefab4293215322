/** How far into a book a reading position is, weighting chapters by their words. */
type ChapterSize = { index: number; word_count?: number | null };

export function bookFraction(
  chapters: readonly ChapterSize[],
  position: { chapter: number } | null,
): number | null {
  if (!position || chapters.length === 0) return null;
  const words = (chapter: ChapterSize) => Math.max(0, chapter.word_count ?? 0);
  const total = chapters.reduce((sum, chapter) => sum + words(chapter), 0);
  if (total === 0) return Math.min(1, position.chapter / chapters.length);
  const before = chapters
    .filter((chapter) => chapter.index < position.chapter)
    .reduce((sum, chapter) => sum + words(chapter), 0);
  return Math.min(1, before / total);
}

/** The reader's address for a place in the book (the reader page reads these parameters). */
export function readerPath(bookId: string, place?: { chapter: number; offset?: number }): string {
  const path = `/books/${encodeURIComponent(bookId)}/read`;
  if (!place) return path;
  const params = new URLSearchParams({ chapter: String(place.chapter) });
  if (place.offset) params.set("offset", String(place.offset));
  return `${path}?${params}`;
}
