import type { ApiBookQuery } from "../libraryQuery";

export const bookKeys = {
  all: ["books"] as const,
  list: (query: ApiBookQuery) => ["books", "list", query] as const,
  detail: (bookId: string) => ["books", "detail", bookId] as const,
  position: (bookId: string) => ["books", "position", bookId] as const,
};
