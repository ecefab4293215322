/**
 * The reader's calls to the API: a chapter, saving the position (also while the page unloads),
 * and saving preferences. Types for what the placeholder schema does not describe yet live here,
 * in one place, until `npm run gen:api` brings them.
 */
import type { Client } from "openapi-fetch";
import {
  API_BASE,
  api,
  getAccessToken,
  type SessionUser,
  unwrap,
  updateUser,
} from "@/lib/api";
import type { paths } from "@/lib/api/schema";
import type { Footnote } from "../content/bookHtml";
import type { ReaderPreferences } from "../preferences/preferences";

export type Chapter = {
  book_id: string;
  index: number;
  title: string | null;
  level?: number;
  linear?: boolean;
  word_count: number;
  html: string;
  /** The chapter's plain text (newer servers); paragraph offsets point into it. */
  text?: string;
  paragraphs: [number, number][];
  footnotes: Footnote[];
  previous: number | null;
  next: number | null;
  /** Text direction when the book declares one. */
  dir?: "ltr" | "rtl" | null;
};

type Json<T> = { content: { "application/json": T } };
type ReaderPaths = {
  "/books/{book_id}/chapters/{index}": {
    get: {
      parameters: { query?: never; path: { book_id: string; index: number } };
      responses: { 200: Json<Chapter>; default: Json<unknown> };
    };
  };
  "/auth/me": {
    patch: {
      parameters: { query?: never; path?: never };
      requestBody: Json<{ preferences: Partial<ReaderPreferences> }>;
      responses: { 200: Json<SessionUser & { preferences?: unknown }>; default: Json<unknown> };
    };
  };
};
const readerApi = api as unknown as Client<paths & ReaderPaths>;

export async function getChapter(bookId: string, index: number): Promise<Chapter> {
  const call = readerApi.GET("/books/{book_id}/chapters/{index}", {
    params: { path: { book_id: bookId, index } },
  });
  // openapi-fetch widens the (start, end) tuples to number[]; the shape is the declared one.
  return (await unwrap(call)) as Chapter;
}

export type Place = { chapter: number; offset: number };

export function savePosition(bookId: string, place: Place) {
  return unwrap(
    api.PUT("/books/{book_id}/position", { params: { path: { book_id: bookId } }, body: place }),
  );
}

/** Save while the page goes away: a keepalive request outlives the document. */
export function savePositionOnExit(bookId: string, place: Place): void {
  const token = getAccessToken();
  if (token === null) return;
  void fetch(`${API_BASE}/books/${encodeURIComponent(bookId)}/position`, {
    method: "PUT",
    keepalive: true,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(place),
  }).catch(() => undefined);
}

export async function savePreferences(changes: Partial<ReaderPreferences>): Promise<void> {
  const user = await unwrap(readerApi.PATCH("/auth/me", { body: { preferences: changes } }));
  updateUser(user);
}

/** The preferences in a profile (the API calls the field `preferences`). */
export function profilePreferences(user: SessionUser | null): unknown {
  if (!user) return undefined;
  return (user as { preferences?: unknown }).preferences ?? user.reader_preferences;
}
