/** The library's calls to the API: the book list, one book, deleting, the reading position. */
import {
  ApiError,
  api,
  type BookDetail,
  type BookPage,
  type ReadingPosition,
  unwrap,
} from "@/lib/api";
import { MAX_SEARCHED, SEARCH_PAGE_SIZE, searchPage } from "../bookSearch";
import type { ApiBookQuery } from "../libraryQuery";

export async function listBooks({ q, ...query }: ApiBookQuery): Promise<BookPage> {
  if (!q) return unwrap(api.GET("/books", { params: { query } }));
  // Title search happens here (see bookSearch.ts): read the filtered list, then match.
  const books = [];
  for (let page = 1; books.length < MAX_SEARCHED; page++) {
    const batch = await unwrap(
      api.GET("/books", { params: { query: { ...query, page, page_size: SEARCH_PAGE_SIZE } } }),
    );
    books.push(...batch.items);
    if (page * SEARCH_PAGE_SIZE >= batch.total) break;
  }
  return searchPage(books, q, query.page, query.page_size);
}

export function getBook(bookId: string): Promise<BookDetail> {
  return unwrap(api.GET("/books/{book_id}", { params: { path: { book_id: bookId } } }));
}

export async function deleteBook(bookId: string): Promise<void> {
  await unwrap(api.DELETE("/books/{book_id}", { params: { path: { book_id: bookId } } }));
}

/** Where the reader stopped, or null before the book was opened. */
export async function getPosition(bookId: string): Promise<ReadingPosition | null> {
  try {
    return await unwrap(
      api.GET("/books/{book_id}/position", { params: { path: { book_id: bookId } } }),
    );
  } catch (error) {
    if (error instanceof ApiError && error.code === "position_not_found") return null;
    throw error;
  }
}
