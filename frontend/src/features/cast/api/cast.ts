import { api, unwrap } from "@/lib/api";
import type { components } from "@/lib/api/schema";

export type CastList = components["schemas"]["CastList"];
export type CastMember = components["schemas"]["CastMember"];

export const castKeys = {
  book: (bookId: string) => ["cast", bookId] as const,
};

/** Only who the reader has met: the server cuts the list at the saved position. */
export function getCast(bookId: string): Promise<CastList> {
  return unwrap(api.GET("/books/{book_id}/cast", { params: { path: { book_id: bookId } } }));
}
