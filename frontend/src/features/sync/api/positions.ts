/**
 * Saving the reading position with what sync needs: this device and the version of the position
 * it last saw (`based_on`). Also while the page unloads (a keepalive request that outlives it).
 */
import { API_BASE, api, apiErrorFrom, getAccessToken } from "@/lib/api";
import type { components } from "@/lib/api/schema";

export type Place = { chapter: number; offset: number };
export type PositionBody = components["schemas"]["PositionUpdate"];
export type SavedPosition = components["schemas"]["SavedPosition"];

/** The service worker answers a save it queued offline with this header. */
const QUEUED_HEADER = "X-Offline-Queued";

export type SaveAnswer = { position: SavedPosition; queued: boolean };

/** Saves; `queued` when the device is offline and the service worker keeps it for later. */
export async function savePosition(bookId: string, body: PositionBody): Promise<SaveAnswer> {
  const { data, error, response } = await api.PUT("/books/{book_id}/position", {
    params: { path: { book_id: bookId } },
    body,
  });
  if (!response.ok || error !== undefined) throw apiErrorFrom(response, error);
  return { position: data as SavedPosition, queued: response.headers.has(QUEUED_HEADER) };
}

/**
 * Save while the page goes away. Offline (no token), it is still sent: the service worker queues
 * it for when the app is back online.
 */
export function savePositionOnExit(bookId: string, body: PositionBody): void {
  const token = getAccessToken();
  const auth: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  void fetch(`${API_BASE}/books/${encodeURIComponent(bookId)}/position`, {
    method: "PUT",
    keepalive: true,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", ...auth },
    body: JSON.stringify(body),
  }).catch(() => undefined);
}
