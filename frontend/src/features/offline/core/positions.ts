/** Reading positions saved on the device while the API could not be reached. */
import type { QueuedPosition } from "./offlineDb";

/** Marks the page's own sending of a queued position: offline again, it stays queued as it was. */
export const REPLAY_HEADER = "X-Offline-Replay";

/** What a queued position keeps of a PUT /books/{id}/position body. */
export type PlaceBody = Omit<QueuedPosition, "bookId" | "at">;

const DEVICE_ID = /^[A-Za-z0-9._:-]{0,64}$/;

/** The place (and device, and version it was based on) in a position PUT body, or null. */
export function positionBody(text: string): PlaceBody | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const {
      chapter,
      offset = 0,
      percentage = null,
      device_id: deviceId,
      device_name: deviceName = null,
      based_on: basedOn = 0,
    } = value as Record<string, unknown>;
    if (!Number.isInteger(chapter) || !Number.isInteger(offset)) return null;
    if ((chapter as number) < 0 || (offset as number) < 0) return null;
    const body: PlaceBody = { chapter: chapter as number, offset: offset as number };
    if (typeof percentage === "number" && percentage >= 0 && percentage <= 100) {
      body.percentage = percentage;
    }
    if (typeof deviceId === "string" && DEVICE_ID.test(deviceId)) body.deviceId = deviceId;
    if (typeof deviceName === "string" && deviceName) body.deviceName = deviceName;
    if (Number.isInteger(basedOn) && (basedOn as number) >= 0) body.basedOn = basedOn as number;
    return body;
  } catch {
    return null;
  }
}

/** The PUT body that sends a queued position (without device fields when it had none). */
export function queuedBody(queued: QueuedPosition): Record<string, unknown> {
  const body: Record<string, unknown> = {
    chapter: queued.chapter,
    offset: queued.offset,
    based_on: queued.basedOn ?? 0,
  };
  if (queued.percentage !== undefined && queued.percentage !== null) {
    body.percentage = queued.percentage;
  }
  if (queued.deviceId !== undefined) body.device_id = queued.deviceId;
  if (queued.deviceName) body.device_name = queued.deviceName;
  return body;
}

/**
 * A queued position in the API's shape (what the reader reads back): this device's own latest
 * place, still based on the version it last saw, so its next save is judged against the
 * server's. `devices` comes from the server's answer when there was one.
 */
export function queuedAnswer(
  queued: QueuedPosition,
  status: 200 | 202,
  devices: unknown[] = [],
): Response {
  const body = {
    book_id: queued.bookId,
    chapter: queued.chapter,
    offset: queued.offset,
    percentage: queued.percentage ?? null,
    version: queued.basedOn ?? 0,
    device_id: queued.deviceId ?? "",
    device_name: queued.deviceName ?? null,
    updated_at: new Date(queued.at).toISOString(),
    devices,
    illustrating: [],
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "X-Offline-Queued": "1" },
  });
}

/** The `devices` of a position answer, or none. */
export function devicesOf(answer: unknown): unknown[] {
  const devices = (answer as { devices?: unknown } | null)?.devices;
  return Array.isArray(devices) ? devices : [];
}
