/**
 * The reader's calls to the API: a chapter, saving the position (also while the page unloads),
 * and saving preferences.
 */
import {
  API_BASE,
  api,
  type Chapter,
  getAccessToken,
  type SessionUser,
  unwrap,
  updateUser,
} from "@/lib/api";
import type { components } from "@/lib/api/schema";
import type { ReaderPreferences } from "../preferences/preferences";

export type { Chapter };
export type SavedPosition = components["schemas"]["SavedPosition"];

export async function getChapter(bookId: string, index: number): Promise<Chapter> {
  const call = api.GET("/books/{book_id}/chapters/{index}", {
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

/**
 * Save while the page goes away: a keepalive request outlives the document. Offline (no token),
 * it is still sent: the service worker queues it for when the app is back online.
 */
export function savePositionOnExit(bookId: string, place: Place): void {
  const token = getAccessToken();
  const auth: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  void fetch(`${API_BASE}/books/${encodeURIComponent(bookId)}/position`, {
    method: "PUT",
    keepalive: true,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", ...auth },
    body: JSON.stringify(place),
  }).catch(() => undefined);
}

export async function savePreferences(changes: Partial<ReaderPreferences>): Promise<void> {
  const user = await unwrap(api.PATCH("/auth/me", { body: { preferences: changes } }));
  updateUser(user);
}

/** The preferences in a profile. */
export function profilePreferences(user: SessionUser | null): unknown {
  return user?.preferences;
}
