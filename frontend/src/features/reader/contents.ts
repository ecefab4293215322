/**
 * The book's contents as the reader shows them: the book's own TOC when it has one, else its
 * chapters; and which entry holds a reading place (the last entry at or before it).
 */
import type { BookDetail, TocEntry } from "@/lib/api";

export type ContentsEntry = {
  title: string;
  chapter: number;
  offset: number;
  children: ContentsEntry[];
};

function fromToc(entry: TocEntry): ContentsEntry {
  return {
    title: entry.title,
    chapter: entry.chapter,
    offset: entry.offset ?? 0,
    children: (entry.children ?? []).map(fromToc),
  };
}

/** Entries from the TOC, or one per chapter (nested by level) when the book has no TOC. */
export function contentsOf(
  book: Pick<BookDetail, "toc" | "chapters">,
  untitled: (index: number) => string,
): ContentsEntry[] {
  if (book.toc && book.toc.length > 0) return book.toc.map(fromToc);
  const roots: ContentsEntry[] = [];
  const stack: { level: number; entry: ContentsEntry }[] = [];
  for (const chapter of book.chapters) {
    const entry = {
      title: chapter.title || untitled(chapter.index),
      chapter: chapter.index,
      offset: 0,
      children: [],
    };
    const level = chapter.level ?? 0;
    while (stack.length > 0 && stack.at(-1)!.level >= level) stack.pop();
    (stack.at(-1)?.entry.children ?? roots).push(entry);
    stack.push({ level, entry });
  }
  return roots;
}

export function entryKey(entry: { chapter: number; offset: number; title: string }): string {
  return `${entry.chapter}:${entry.offset}:${entry.title}`;
}

/** The key of the last entry (in reading order) at or before the place. */
export function currentEntryKey(
  entries: readonly ContentsEntry[],
  place: { chapter: number; offset: number },
): string | null {
  let found: string | null = null;
  const visit = (list: readonly ContentsEntry[]) => {
    for (const entry of list) {
      const atOrBefore =
        entry.chapter < place.chapter ||
        (entry.chapter === place.chapter && entry.offset <= place.offset);
      if (atOrBefore) found = entryKey(entry);
      visit(entry.children);
    }
  };
  visit(entries);
  return found;
}

/**
 * A chapter's title as a place in the book: with the part it belongs to when other chapters
 * share its title (Anna Karenina has eight chapters "XIX": "Часть восьмая, XIX").
 */
export function chapterTitle(
  book: Pick<BookDetail, "chapters" | "toc">,
  index: number,
  untitled: (index: number) => string,
): string {
  const own = book.chapters.find((chapter) => chapter.index === index)?.title || untitled(index);
  if (book.chapters.filter((chapter) => chapter.title === own).length < 2) return own;
  const part = enclosingTitle(contentsOf(book, untitled), index, own);
  return part ? `${part}, ${own}` : own;
}

/** The title of the entry holding the chapter's own entry (the one titled `own`). */
function enclosingTitle(
  entries: readonly ContentsEntry[],
  index: number,
  own: string,
  parent: string | null = null,
): string | null {
  for (const entry of entries) {
    if (entry.chapter === index && entry.title === own) return parent;
    const found = enclosingTitle(entry.children, index, own, entry.title);
    if (found) return found;
  }
  return null;
}
