/**
 * Sends the positions queued while offline, once the app is online and signed in. Each goes
 * through the normal PUT /books/{id}/position, unless the server already holds a position made
 * later (on another device): the later one wins.
 */
import { ApiError, api, type createApiClient, unwrap } from "@/lib/api";
import { queuedPositions, type QueuedPosition, unqueuePosition } from "./core/offlineDb";
import { laterPosition, REPLAY_HEADER } from "./core/positions";

export type PositionApi = {
  read: (bookId: string) => Promise<unknown>;
  save: (position: QueuedPosition) => Promise<unknown>;
};

/** The position routes through an API client (the app's own, or a test's). */
export function positionApiOf(client: ReturnType<typeof createApiClient>): PositionApi {
  return {
    read: async (bookId) => {
      try {
        return await unwrap(
          client.GET("/books/{book_id}/position", { params: { path: { book_id: bookId } } }),
        );
      } catch (error) {
        if (error instanceof ApiError && error.code === "position_not_found") return null;
        throw error;
      }
    },
    save: ({ bookId, chapter, offset }) =>
      unwrap(
        client.PUT("/books/{book_id}/position", {
          params: { path: { book_id: bookId } },
          body: { chapter, offset },
          headers: { [REPLAY_HEADER]: "1" },
        }),
      ),
  };
}

let running: Promise<number> | null = null;

/**
 * Sends every queued position; returns how many reached the server. A network failure leaves
 * the rest queued for the next try; a book that is gone (404) is dropped from the queue.
 */
export function sendQueuedPositions(through: PositionApi = positionApiOf(api)): Promise<number> {
  running ??= (async () => {
    let sent = 0;
    try {
      for (const queued of await queuedPositions()) {
        try {
          const server = await through.read(queued.bookId);
          if (laterPosition(server, queued) === queued) {
            await through.save(queued);
            sent += 1;
          }
          await unqueuePosition(queued);
        } catch (error) {
          // The book is gone or the place no longer exists: nothing to send, ever.
          if (error instanceof ApiError && [400, 404, 422].includes(error.status)) {
            await unqueuePosition(queued);
            continue;
          }
          break;
        }
      }
    } finally {
      running = null;
    }
    return sent;
  })();
  return running;
}
