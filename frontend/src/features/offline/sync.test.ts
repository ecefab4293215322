// @vitest-environment node
// A real HTTP server in the API's place; fake-indexeddb is a complete in-memory IndexedDB.
import "fake-indexeddb/auto";
import { createApiClient, signedIn, signedOut } from "@/lib/api";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";
import { claimOfflineData, queuedPositions, queuePosition } from "./core/offlineDb";
import { positionApiOf, sendQueuedPositions } from "./sync";

const FRESH = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0001"; // never saved on the server
const STALE = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0002"; // the server's position is older
const MOVED_ON = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0003"; // another device saved later
const DELETED = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0004";
const QUEUED_AT = Date.parse("2026-12-05T10:00:00Z");

type Saved = { book_id: string; chapter: number; offset: number; updated_at: string };
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
    if (request.method === "PUT") {
      const saved = {
        book_id: bookId,
        ...JSON.parse(request.body.toString()),
        updated_at: new Date().toISOString(),
      };
      positions.set(bookId, saved);
      return sendJson(response, 200, { ...saved, illustrating: [] });
    }
    const saved = positions.get(bookId);
    return saved ? sendJson(response, 200, saved) : sendError(response, 404, "position_not_found");
  });
});
afterAll(() => server.close());

beforeEach(async () => {
  positions = new Map([
    [STALE, { book_id: STALE, chapter: 0, offset: 0, updated_at: "2026-12-05T09:00:00Z" }],
    [MOVED_ON, { book_id: MOVED_ON, chapter: 7, offset: 0, updated_at: "2026-12-05T11:00:00Z" }],
  ]);
  server.seen.length = 0;
  signedIn({ access_token: "token", user: reader });
  await claimOfflineData("nobody", null); // an empty queue
  await claimOfflineData(reader.id, reader);
});
afterEach(() => signedOut());

const api = () => positionApiOf(createApiClient(`${server.origin}/api`));

it("sends queued positions through the normal PUT; a later one from another device wins", async () => {
  for (const bookId of [FRESH, STALE, MOVED_ON]) {
    await queuePosition({ bookId, chapter: 3, offset: 42, at: QUEUED_AT });
  }
  expect(await sendQueuedPositions(api())).toBe(2);

  expect(positions.get(FRESH)).toMatchObject({ chapter: 3, offset: 42 });
  expect(positions.get(STALE)).toMatchObject({ chapter: 3, offset: 42 });
  expect(positions.get(MOVED_ON)).toMatchObject({ chapter: 7, offset: 0 });
  const puts = server.seen.filter((request) => request.method === "PUT");
  expect(puts.map((request) => request.path).sort()).toEqual(
    [FRESH, STALE].map((bookId) => `/api/books/${bookId}/position`).sort(),
  );
  expect(puts.every((request) => request.headers["x-offline-replay"] === "1")).toBe(true);
  expect(await queuedPositions()).toEqual([]);
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
