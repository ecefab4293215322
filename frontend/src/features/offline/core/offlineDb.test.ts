// @vitest-environment node
// fake-indexeddb: a complete in-memory IndexedDB (Node has none), the same API the browser runs.
import "fake-indexeddb/auto";
import {
  cachedBooks,
  claimOfflineData,
  queuedPosition,
  queuedPositions,
  queuePosition,
  readOwner,
  recordEntry,
  releaseOfflineData,
  removeBooks,
  unqueuePosition,
} from "./offlineDb";

const BOOK = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0001";
const OTHER = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0002";

async function reset() {
  await claimOfflineData("nobody", null);
  await claimOfflineData("reader", { id: "reader" });
}

beforeEach(reset);

describe("the per-book index", () => {
  it("adds up a book's cached responses and knows its chapters", async () => {
    await recordEntry(
      { key: "/api/books/b", cacheName: "c", bookId: BOOK, bytes: 100, chapter: null },
      false,
      5,
    );
    await recordEntry(
      { key: "/api/books/b/chapters/2", cacheName: "c", bookId: BOOK, bytes: 1000, chapter: 2 },
      true,
      10,
    );
    await recordEntry(
      { key: "/api/books/b/chapters/0", cacheName: "c", bookId: BOOK, bytes: 2000, chapter: 0 },
      true,
      20,
    );
    // The same chapter cached again replaces its size, it does not add to it.
    await recordEntry(
      { key: "/api/books/b/chapters/0", cacheName: "c", bookId: BOOK, bytes: 1500, chapter: 0 },
      true,
      30,
    );
    expect(await cachedBooks()).toEqual([
      { bookId: BOOK, lastRead: 30, bytes: 2600, chapters: [0, 2] },
    ]);
  });

  it("a picture does not make a book recently read", async () => {
    await recordEntry(
      { key: "/c/0", cacheName: "c", bookId: BOOK, bytes: 10, chapter: 0 },
      true,
      50,
    );
    await recordEntry(
      { key: "/p/cover", cacheName: "p", bookId: BOOK, bytes: 10, chapter: null },
      false,
      90,
    );
    expect((await cachedBooks())[0]?.lastRead).toBe(50);
  });

  it("hands back a removed book's entries so they can leave the caches", async () => {
    await recordEntry(
      { key: "/a", cacheName: "books", bookId: BOOK, bytes: 1, chapter: 0 },
      true,
      1,
    );
    await recordEntry(
      { key: "/p", cacheName: "pictures", bookId: BOOK, bytes: 1, chapter: null },
      false,
      1,
    );
    await recordEntry(
      { key: "/b", cacheName: "books", bookId: OTHER, bytes: 1, chapter: 0 },
      true,
      2,
    );
    const removed = await removeBooks([BOOK]);
    expect(removed.map((entry) => `${entry.cacheName}${entry.key}`).sort()).toEqual([
      "books/a",
      "pictures/p",
    ]);
    expect((await cachedBooks()).map((book) => book.bookId)).toEqual([OTHER]);
  });
});

describe("the position queue", () => {
  it("keeps the latest position of each book", async () => {
    await queuePosition({ bookId: BOOK, chapter: 1, offset: 10, at: 100 });
    await queuePosition({ bookId: BOOK, chapter: 1, offset: 90, at: 200 });
    await queuePosition({ bookId: BOOK, chapter: 0, offset: 5, at: 150 }); // arrived late, older
    await queuePosition({ bookId: OTHER, chapter: 4, offset: 0, at: 120 });
    expect(await queuedPosition(BOOK)).toEqual({ bookId: BOOK, chapter: 1, offset: 90, at: 200 });
    expect(await queuedPositions()).toHaveLength(2);
  });

  it("takes a sent position off the queue, but not a newer one queued while it was sent", async () => {
    const sent = { bookId: BOOK, chapter: 1, offset: 10, at: 100 };
    await queuePosition(sent);
    await queuePosition({ ...sent, offset: 20, at: 110 });
    await unqueuePosition(sent);
    expect(await queuedPosition(BOOK)).toMatchObject({ offset: 20 });
    await unqueuePosition({ ...sent, offset: 20, at: 110 });
    expect(await queuedPosition(BOOK)).toBeNull();
  });
});

describe("whose data it is", () => {
  it("signing out forgets the books and the profile, keeps unsent positions for their owner", async () => {
    await recordEntry({ key: "/a", cacheName: "c", bookId: BOOK, bytes: 1, chapter: 0 }, true, 1);
    await queuePosition({ bookId: BOOK, chapter: 2, offset: 0, at: 5 });
    await releaseOfflineData();
    expect(await cachedBooks()).toEqual([]);
    expect(await readOwner()).toEqual({ id: "owner", userId: "reader", user: null });
    expect(await claimOfflineData("reader", { id: "reader" })).toBe(false);
    expect(await queuedPosition(BOOK)).not.toBeNull();
  });

  it("another user signing in drops everything the previous one left", async () => {
    await recordEntry({ key: "/a", cacheName: "c", bookId: BOOK, bytes: 1, chapter: 0 }, true, 1);
    await queuePosition({ bookId: BOOK, chapter: 2, offset: 0, at: 5 });
    expect(await claimOfflineData("someone-else", { id: "someone-else" })).toBe(true);
    expect(await cachedBooks()).toEqual([]);
    expect(await queuedPositions()).toEqual([]);
    expect((await readOwner())?.userId).toBe("someone-else");
  });
});
