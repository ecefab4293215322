/**
 * Sends the positions queued while offline, once the app is online and signed in. Each goes
 * through the normal PUT /books/{id}/position with the version it was based on, so the server
 * judges it like any save: a place another device saved meanwhile is not overwritten. Such a
 * conflict is announced (the reader of that book asks which place to keep) and the position stays
 * queued until the reader has chosen, so nothing is lost.
 */
import { ApiError, api, type createApiClient, NETWORK_ERROR, unwrap } from "@/lib/api";
import { queuedPositions, type QueuedPosition, unqueuePosition } from "./core/offlineDb";
import { queuedBody, REPLAY_HEADER } from "./core/positions";

export const POSITION_CONFLICT = "position_conflict";

export type PositionApi = { save: (position: QueuedPosition) => Promise<unknown> };

/** The position route through an API client (the app's own, or a test's). */
export function positionApiOf(client: ReturnType<typeof createApiClient>): PositionApi {
  return {
    save: (queued) =>
      unwrap(
        client.PUT("/books/{book_id}/position", {
          params: { path: { book_id: queued.bookId } },
          // The queued body is the one the reader sent (validated again by the server).
          body: queuedBody(queued) as { chapter: number },
          headers: { [REPLAY_HEADER]: "1" },
        }),
      ),
  };
}

export type QueuedConflict = { queued: QueuedPosition; error: ApiError };
const conflictListeners = new Set<(conflict: QueuedConflict) => void>();

/** Tells `listener` of every queued position the server refused for a later place elsewhere. */
export function onQueuedConflict(listener: (conflict: QueuedConflict) => void): () => void {
  conflictListeners.add(listener);
  return () => conflictListeners.delete(listener);
}

type SendResult = { sent: number; unreachable: boolean };
let running: Promise<SendResult> | null = null;

/**
 * Sends every queued position; returns how many the server took. A network failure leaves the
 * rest queued for the next try; a book that is gone (404) or a place that no longer exists (422)
 * is dropped from the queue; a conflict stays queued and is announced.
 */
export async function sendQueuedPositions(
  through: PositionApi = positionApiOf(api),
): Promise<number> {
  return (await sendQueue(through)).sent;
}

/** Waits before each new try when the API could not be reached. */
export const RETRY_DELAYS_MS = [1_000, 3_000, 10_000, 30_000];

/**
 * `sendQueuedPositions` for the moment the browser says it is online again: its network (and
 * the service worker's) may come up a moment later, so a send that could not reach the API is
 * tried again after each of `delays` — else the queue would wait for the next reconnection.
 */
export async function sendQueuedPositionsOnceOnline(
  through: PositionApi = positionApiOf(api),
  delays: readonly number[] = RETRY_DELAYS_MS,
): Promise<number> {
  let result = await sendQueue(through);
  for (const delay of delays) {
    if (!result.unreachable) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    result = await sendQueue(through);
  }
  return result.sent;
}

function sendQueue(through: PositionApi): Promise<SendResult> {
  running ??= (async () => {
    let sent = 0;
    let unreachable = false;
    try {
      for (const queued of await queuedPositions()) {
        try {
          await through.save(queued);
          await unqueuePosition(queued);
          sent += 1;
        } catch (error) {
          if (error instanceof ApiError && error.code === POSITION_CONFLICT) {
            for (const listener of conflictListeners) listener({ queued, error });
            continue;
          }
          // The book is gone or the place no longer exists: nothing to send, ever.
          if (error instanceof ApiError && [400, 404, 422].includes(error.status)) {
            await unqueuePosition(queued);
            continue;
          }
          unreachable = !(error instanceof ApiError) || error.code === NETWORK_ERROR;
          break;
        }
      }
    } finally {
      running = null;
    }
    return { sent, unreachable };
  })();
  return running;
}
