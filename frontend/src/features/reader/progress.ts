/** How far the reader is: the share of the book's words behind them and minutes left in the chapter. */
/** An adult's silent reading speed for fiction, as the server counts reading time. */
export const WORDS_PER_MINUTE = 230;

type ChapterWords = { index: number; word_count?: number | null };

export type ReadingProgress = { bookFraction: number; chapterFraction: number; minutesLeft: number };

export function readingProgress(
  chapters: readonly ChapterWords[],
  place: { chapter: number; offset: number },
  chapterLength: number,
): ReadingProgress {
  const words = (chapter: ChapterWords) => Math.max(0, chapter.word_count ?? 0);
  const chapterFraction = chapterLength > 0 ? Math.min(1, Math.max(0, place.offset / chapterLength)) : 0;
  const current = chapters.find((chapter) => chapter.index === place.chapter);
  const currentWords = current ? words(current) : 0;
  const total = chapters.reduce((sum, chapter) => sum + words(chapter), 0);
  const before = chapters
    .filter((chapter) => chapter.index < place.chapter)
    .reduce((sum, chapter) => sum + words(chapter), 0);
  const bookFraction =
    total > 0
      ? (before + currentWords * chapterFraction) / total
      : chapters.length > 0
        ? (place.chapter + chapterFraction) / chapters.length
        : 0;
  const minutesLeft = Math.ceil((currentWords * (1 - chapterFraction)) / WORDS_PER_MINUTE);
  return { bookFraction: Math.min(1, bookFraction), chapterFraction, minutesLeft };
}
