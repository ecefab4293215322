/** Full-text search calls: in one book, or in every book of the library. */
import { api, unwrap } from "@/lib/api";
import type { components } from "@/lib/api/schema";

export type SearchPage = components["schemas"]["SearchPage"];
export type SearchHit = components["schemas"]["SearchHit"];
export type SearchBook = components["schemas"]["SearchBook"];

export const searchKeys = {
  book: (bookId: string, q: string) => ["search", "book", bookId, q] as const,
  library: (q: string) => ["search", "library", q] as const,
};

/** The most the API gives per page. */
export const PAGE_LIMIT = 100;

/** Hits in reading order (the reader steps through them one after another). */
export function searchBook(bookId: string, q: string, cursor?: string): Promise<SearchPage> {
  return unwrap(
    api.GET("/books/{book_id}/search", {
      params: {
        path: { book_id: bookId },
        query: { q, limit: PAGE_LIMIT, order: "position", ...(cursor ? { cursor } : {}) },
      },
    }),
  ) as Promise<SearchPage>;
}

/** The best hits across the library, and the books that match. */
export function searchLibrary(q: string): Promise<SearchPage> {
  return unwrap(api.GET("/search", { params: { query: { q, limit: 50 } } })) as Promise<SearchPage>;
}
