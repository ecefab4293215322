/** The book's pictures and the library's newest ones. */
import { api, unwrap } from "@/lib/api";
import type { components } from "@/lib/api/schema";

export type Illustration = components["schemas"]["Illustration"];
export type RecentIllustration = components["schemas"]["RecentIllustration"];

export const galleryKeys = {
  all: ["illustrations"] as const,
  book: (bookId: string) => ["illustrations", "book", bookId] as const,
  recent: (limit: number) => ["illustrations", "recent", limit] as const,
};

export async function listBookIllustrations(bookId: string): Promise<Illustration[]> {
  const page = await unwrap(
    api.GET("/books/{book_id}/illustrations", { params: { path: { book_id: bookId } } }),
  );
  return page.items;
}

export async function listRecentIllustrations(limit: number): Promise<RecentIllustration[]> {
  const page = await unwrap(api.GET("/illustrations", { params: { query: { limit } } }));
  return page.items;
}
