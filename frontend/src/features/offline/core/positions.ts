/** Reading positions saved on the device while the API could not be reached. */
import type { QueuedPosition } from "./offlineDb";

/** Marks the page's own sending of a queued position: offline again, it stays queued as it was. */
export const REPLAY_HEADER = "X-Offline-Replay";

export type PlaceBody = { chapter: number; offset: number };

/** The place in a PUT /books/{id}/position body, or null when it is not one. */
export function positionBody(text: string): PlaceBody | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const { chapter, offset = 0 } = value as Record<string, unknown>;
    if (!Number.isInteger(chapter) || !Number.isInteger(offset)) return null;
    if ((chapter as number) < 0 || (offset as number) < 0) return null;
    return { chapter: chapter as number, offset: offset as number };
  } catch {
    return null;
  }
}

type ServerPosition = { chapter: number; offset: number; updated_at: string };

function isServerPosition(value: unknown): value is ServerPosition {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ServerPosition).updated_at === "string" &&
    Number.isFinite(Date.parse((value as ServerPosition).updated_at))
  );
}

/**
 * Of the server's position and one queued on this device, the one made later: a position
 * another device saved after this one was queued wins over it.
 */
export function laterPosition(
  server: unknown,
  queued: QueuedPosition,
): ServerPosition | QueuedPosition {
  if (!isServerPosition(server)) return queued;
  return Date.parse(server.updated_at) > queued.at ? server : queued;
}

/** A queued position in the API's shape (what the reader reads back). */
export function queuedAnswer(queued: QueuedPosition, status: 200 | 202): Response {
  const body = {
    book_id: queued.bookId,
    chapter: queued.chapter,
    offset: queued.offset,
    updated_at: new Date(queued.at).toISOString(),
    illustrating: [],
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "X-Offline-Queued": "1" },
  });
}
