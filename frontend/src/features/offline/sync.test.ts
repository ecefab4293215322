// @vitest-environment node
// A real HTTP server in the API's place; fake-indexeddb is a complete in-memory IndexedDB.
import "fake-indexeddb/auto";
import { createApiClient, signedIn, signedOut } from "@/lib/api";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";
import { claimOfflineData, queuedPositions, queuePosition } from "./core/offlineDb";
import {
  onQueuedConflict,
  positionApiOf,
  type QueuedConflict,
  sendQueuedPositions,
  sendQueuedPositionsOnceOnline,
} from "./sync";

const FRESH = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0001"; // never saved on the server
const STALE = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0002"; // the server holds the version the device saw
const MOVED_ON = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0003"; // another device saved since
const DELETED = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0004";
const QUEUED_AT = Date.parse("2026-12-05T10:00:00Z");

type Saved = {
  book_id: string;
  chapter: number;
  offset: number;
  version: number;
  device_id: string;
};
let server: TestServer;
let positions: Map<string, Saved>;

beforeAll(async () => {
  server = await startServer((request, response) => {
    const match = /^\/api\/books\/([^/]+)\/position$/.exec(request.path);
    if (!match || request.headers.authorization !== "Bearer token") {
      return sendError(response, 401, "token_invalid");
    }
    const bookId = match[1]!;
    if (bookId === DELETED) return sendError(response, 404, "book_not_found");
    const held = positions.get(bookId);
    const body = JSON.parse(request.body.toString()) as Record<string, unknown>;
    // The API's rule, for the cases here: another device saved after the version it saw.
    if (held && body.based_on !== held.version && body.device_id !== held.device_id) {
      return sendJson(response, 409, {
        error: {
          code: "position_conflict",
          message: "moved elsewhere",
          details: { current: { ...held, updated_at: "2026-12-05T11:00:00Z" }, yours: body },
        },
      });
    }
    const saved = {
      book_id: bookId,
      chapter: body.chapter as number,
      offset: body.offset as number,
      version: (held?.version ?? 0) + 1,
      device_id: body.device_id as string,
    };
    positions.set(bookId, saved);
    return sendJson(response, 200, { ...saved, illustrating: [] });
  });
});
afterAll(() => server.close());

beforeEach(async () => {
  positions = new Map([
    [STALE, { book_id: STALE, chapter: 0, offset: 0, version: 4, device_id: "laptop-1" }],
    [MOVED_ON, { book_id: MOVED_ON, chapter: 7, offset: 0, version: 5, device_id: "laptop-1" }],
  ]);
  server.seen.length = 0;
  signedIn({ access_token: "token", user: reader });
  await claimOfflineData("nobody", null); // an empty queue
  await claimOfflineData(reader.id, reader);
});
afterEach(() => signedOut());

const api = () => positionApiOf(createApiClient(`${server.origin}/api`));
const fromPhone = (bookId: string, basedOn: number) => ({
  bookId,
  chapter: 3,
  offset: 42,
  at: QUEUED_AT,
  deviceId: "phone-1",
  deviceName: "Chrome on Android",
  basedOn,
});

it("sends queued positions through the normal PUT with the version they were based on", async () => {
  await queuePosition(fromPhone(FRESH, 0));
  await queuePosition(fromPhone(STALE, 4));
  expect(await sendQueuedPositions(api())).toBe(2);

  expect(positions.get(FRESH)).toMatchObject({ chapter: 3, offset: 42, device_id: "phone-1" });
  expect(positions.get(STALE)).toMatchObject({ chapter: 3, offset: 42, version: 5 });
  const puts = server.seen.filter((request) => request.method === "PUT");
  expect(puts.every((request) => request.headers["x-offline-replay"] === "1")).toBe(true);
  expect(JSON.parse(puts.find((put) => put.path.includes(STALE))!.body.toString())).toEqual({
    chapter: 3,
    offset: 42,
    device_id: "phone-1",
    device_name: "Chrome on Android",
    based_on: 4,
  });
  expect(await queuedPositions()).toEqual([]);
});

it("keeps a position refused for a later one elsewhere queued, and announces the conflict", async () => {
  const heard: QueuedConflict[] = [];
  const stop = onQueuedConflict((conflict) => heard.push(conflict));
  await queuePosition(fromPhone(MOVED_ON, 3));
  expect(await sendQueuedPositions(api())).toBe(0);
  stop();

  expect(positions.get(MOVED_ON)).toMatchObject({ chapter: 7, version: 5 });
  expect(await queuedPositions()).toEqual([fromPhone(MOVED_ON, 3)]);
  expect(heard).toHaveLength(1);
  expect(heard[0]!.queued.bookId).toBe(MOVED_ON);
  expect(heard[0]!.error.details).toMatchObject({ current: { chapter: 7, version: 5 } });
});

it("drops a position for a book that is gone, and keeps the others", async () => {
  await queuePosition({ bookId: DELETED, chapter: 1, offset: 0, at: QUEUED_AT });
  await queuePosition({ bookId: FRESH, chapter: 1, offset: 5, at: QUEUED_AT });
  expect(await sendQueuedPositions(api())).toBe(1);
  expect(await queuedPositions()).toEqual([]);
});

it("keeps every position queued while the API cannot be reached", async () => {
  await queuePosition({ bookId: FRESH, chapter: 2, offset: 9, at: QUEUED_AT });
  const closed = await startServer(() => undefined);
  await closed.close(); // nothing listens at this address any more
  const unreachable = positionApiOf(createApiClient(`${closed.origin}/api`));
  expect(await sendQueuedPositions(unreachable)).toBe(0);
  expect(await queuedPositions()).toEqual([
    { bookId: FRESH, chapter: 2, offset: 9, at: QUEUED_AT },
  ]);
});

it("sends the queue once the network comes up a moment after the browser said it was online", async () => {
  await queuePosition({ bookId: FRESH, chapter: 4, offset: 2, at: QUEUED_AT });
  const closed = await startServer(() => undefined);
  await closed.close(); // the first try finds no network yet
  const unreachable = positionApiOf(createApiClient(`${closed.origin}/api`));
  let tries = 0;
  const comingUp = {
    save: (queued: Parameters<typeof unreachable.save>[0]) =>
      (tries++ === 0 ? unreachable : api()).save(queued),
  };
  expect(await sendQueuedPositionsOnceOnline(comingUp, [5, 5])).toBe(1);
  expect(tries).toBe(2);
  expect(positions.get(FRESH)).toMatchObject({ chapter: 4, offset: 2 });
  expect(await queuedPositions()).toEqual([]);
});

it("does not send a conflict again: it stays queued for the reader's choice, announced once", async () => {
  const heard: QueuedConflict[] = [];
  const stop = onQueuedConflict((conflict) => heard.push(conflict));
  await queuePosition(fromPhone(MOVED_ON, 3));
  expect(await sendQueuedPositionsOnceOnline(api(), [5, 5])).toBe(0);
  stop();
  expect(heard).toHaveLength(1);
  expect(await queuedPositions()).toEqual([fromPhone(MOVED_ON, 3)]);
});
