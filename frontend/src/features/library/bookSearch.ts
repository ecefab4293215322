/**
 * Search by title or author. The API filters by author only, so a search reads the filtered
 * list (up to MAX_SEARCHED books) and matches here; when the API learns `q`, this goes.
 */
import type { BookPage, BookSummary } from "@/lib/api";

export const SEARCH_PAGE_SIZE = 100; // the API's largest page
export const MAX_SEARCHED = 1000;

/** A text without case and diacritics (so ё matches е, é matches e), for matching. */
export function searchForm(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

export function matchesSearch(
  book: Pick<BookSummary, "title" | "authors">,
  query: string,
): boolean {
  const words = searchForm(query).split(/\s+/).filter(Boolean);
  const haystack = searchForm([book.title, ...book.authors].join(" "));
  return words.every((word) => haystack.includes(word));
}

/** One page of the books matching `query`, numbered as the API numbers its pages. */
export function searchPage(
  books: BookSummary[],
  query: string,
  page: number,
  pageSize: number,
): BookPage {
  const found = books.filter((book) => matchesSearch(book, query));
  return {
    items: found.slice((page - 1) * pageSize, page * pageSize),
    total: found.length,
    page,
    page_size: pageSize,
  };
}
