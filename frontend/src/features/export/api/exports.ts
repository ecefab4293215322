/** Exports: ask for a book as an EPUB with its illustrations, and follow it until it is built. */
import { api, unwrap } from "@/lib/api";
import type { components } from "@/lib/api/schema";

export type BookExport = components["schemas"]["Export"];

export const exportKeys = {
  one: (exportId: string) => ["exports", exportId] as const,
};

/** Asks for the illustrated EPUB: a new export to follow, or the one already built. */
export async function requestEpub(bookId: string): Promise<BookExport> {
  return unwrap(
    api.POST("/books/{book_id}/exports", {
      params: { path: { book_id: bookId } },
      body: { format: "epub", illustrations: "ready" },
    }),
  );
}

export async function getExport(exportId: string): Promise<BookExport> {
  return unwrap(api.GET("/exports/{export_id}", { params: { path: { export_id: exportId } } }));
}

export function isBuilding(state: BookExport["state"]): boolean {
  return state === "queued" || state === "running";
}
