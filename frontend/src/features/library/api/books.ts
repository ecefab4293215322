/** The library's calls to the API: the book list, one book, deleting, the reading position. */
import { api, type BookDetail, type BookPage, type ReadingPosition, unwrap } from "@/lib/api";
import type { ApiBookQuery } from "../libraryQuery";

/** A page of the user's books; `q` searches titles, authors and file names on the server. */
export function listBooks(query: ApiBookQuery): Promise<BookPage> {
  return unwrap(api.GET("/books", { params: { query } }));
}

export function getBook(bookId: string): Promise<BookDetail> {
  return unwrap(api.GET("/books/{book_id}", { params: { path: { book_id: bookId } } }));
}

export async function deleteBook(bookId: string): Promise<void> {
  await unwrap(api.DELETE("/books/{book_id}", { params: { path: { book_id: bookId } } }));
}

/**
 * Where the reader stopped, or null before the book was opened: the API answers a first visit
 * with 200 `null`, so the browser logs no failed request for it.
 */
export async function getPosition(bookId: string): Promise<ReadingPosition | null> {
  const position = await unwrap(
    api.GET("/books/{book_id}/position", { params: { path: { book_id: bookId } } }),
  );
  return position ?? null;
}
