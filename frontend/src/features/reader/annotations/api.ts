/**
 * The reader's calls about bookmarks, highlights and notes: list, create, change, delete, the
 * export download, and illustrating a passage the reader chose.
 */
import { api, apiErrorFrom, unwrap } from "@/lib/api";
import type { Bookmark, Highlight, HighlightColor, HighlightCreate } from "@/lib/api/types";

export type { Bookmark, Highlight, HighlightColor, HighlightCreate };

export const HIGHLIGHT_COLORS: readonly NonNullable<HighlightColor>[] = [
  "yellow",
  "green",
  "blue",
  "pink",
  "purple",
];

export type ExportFormat = "md" | "json" | "csv";

export async function listHighlights(bookId: string): Promise<Highlight[]> {
  const list = await unwrap(
    api.GET("/books/{book_id}/highlights", { params: { path: { book_id: bookId } } }),
  );
  return list.items;
}

export async function listBookmarks(bookId: string): Promise<Bookmark[]> {
  const list = await unwrap(
    api.GET("/books/{book_id}/bookmarks", { params: { path: { book_id: bookId } } }),
  );
  return list.items;
}

export function createHighlight(bookId: string, body: HighlightCreate) {
  return unwrap(
    api.POST("/books/{book_id}/highlights", { params: { path: { book_id: bookId } }, body }),
  );
}

export function updateHighlight(id: string, change: { color?: HighlightColor; note?: string }) {
  return unwrap(
    api.PATCH("/highlights/{highlight_id}", {
      params: { path: { highlight_id: id } },
      body: change,
    }),
  );
}

export function deleteHighlight(id: string) {
  return unwrap(
    api.DELETE("/highlights/{highlight_id}", { params: { path: { highlight_id: id } } }),
  );
}

export function createBookmark(bookId: string, chapter: number, offset: number) {
  return unwrap(
    api.POST("/books/{book_id}/bookmarks", {
      params: { path: { book_id: bookId } },
      body: { chapter, offset },
    }),
  );
}

export function deleteBookmark(id: string) {
  return unwrap(api.DELETE("/bookmarks/{bookmark_id}", { params: { path: { bookmark_id: id } } }));
}

export function illustrateSpan(
  bookId: string,
  span: { chapter: number; start: number; end: number },
) {
  return unwrap(
    api.POST("/books/{book_id}/illustrations", {
      params: { path: { book_id: bookId } },
      body: span,
    }),
  );
}

/** The export as a file: its bytes and the name the server gave it. */
export async function exportAnnotations(
  bookId: string,
  format: ExportFormat,
): Promise<{ blob: Blob; filename: string }> {
  const { data, error, response } = await api.GET("/books/{book_id}/annotations/export", {
    params: { path: { book_id: bookId }, query: { format } },
    parseAs: "blob",
  });
  if (!response.ok || error !== undefined || !data) throw apiErrorFrom(response, error);
  return {
    blob: data as Blob,
    filename: filenameOf(response.headers.get("Content-Disposition")) ?? `annotations.${format}`,
  };
}

/** The file name of a Content-Disposition header (the UTF-8 one when there is one). */
export function filenameOf(header: string | null): string | null {
  if (!header) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded?.[1]) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? null;
}
