/**
 * The device's offline index in IndexedDB, shared by the page and the service worker: which
 * cached responses belong to which book (for the "available offline" mark and for eviction),
 * reading positions waiting to be sent, and whose data all of it is.
 */
import type { CachedBook } from "./eviction";

export const OFFLINE_DB = "bookreader-offline";
const VERSION = 1;

/** One cached response: its cache key, the cache it is in, its size, its book. */
export type CacheEntry = {
  key: string;
  cacheName: string;
  bookId: string;
  bytes: number;
  chapter: number | null;
};

/**
 * A position saved while the API could not be reached; `at` is when (ms since the epoch). The
 * device and the version it was based on travel with it: the server judges it like any save, so
 * a later place saved meanwhile on another device is not overwritten (the reader is asked).
 * Entries queued before position sync have no device fields.
 */
export type QueuedPosition = {
  bookId: string;
  chapter: number;
  offset: number;
  at: number;
  percentage?: number | null;
  deviceId?: string;
  deviceName?: string | null;
  basedOn?: number;
};

/** Whose offline data this is; `user` (the profile) is what lets the app open offline. */
export type OfflineOwner = { id: "owner"; userId: string; user: unknown };

type StoreName = "books" | "entries" | "positions" | "owner";

let opening: Promise<IDBDatabase> | null = null;

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(OFFLINE_DB, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("books", { keyPath: "bookId" });
      db.createObjectStore("entries", { keyPath: "key" }).createIndex("bookId", "bookId");
      db.createObjectStore("positions", { keyPath: "bookId" });
      db.createObjectStore("owner", { keyPath: "id" });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another context upgrading the database: step aside, reopen on the next call.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error);
    };
  });
  return opening;
}

/** Runs `work` in one transaction over `stores`; resolves once the transaction has committed. */
async function inTransaction<T>(
  stores: StoreName[],
  mode: IDBTransactionMode,
  work: (transaction: IDBTransaction) => Promise<T>,
): Promise<T> {
  const db = await openDb();
  const transaction = db.transaction(stores, mode);
  const committed = new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error("transaction aborted"));
  });
  const result = await work(transaction);
  await committed;
  return result;
}

/**
 * Records a response just cached for a book and renews the book's totals. `read` (a chapter was
 * fetched) makes the book the most recently read.
 */
export function recordEntry(entry: CacheEntry, read: boolean, now: number): Promise<CachedBook[]> {
  return inTransaction(["entries", "books"], "readwrite", async (transaction) => {
    const entries = transaction.objectStore("entries");
    const books = transaction.objectStore("books");
    await done(entries.put(entry));
    const ofBook = (await done(entries.index("bookId").getAll(entry.bookId))) as CacheEntry[];
    const before = (await done(books.get(entry.bookId))) as CachedBook | undefined;
    const chapters = [
      ...new Set(ofBook.flatMap((item) => (item.chapter === null ? [] : [item.chapter]))),
    ];
    const book: CachedBook = {
      bookId: entry.bookId,
      lastRead: read ? now : (before?.lastRead ?? 0),
      bytes: ofBook.reduce((sum, item) => sum + item.bytes, 0),
      chapters: chapters.sort((a, b) => a - b),
    };
    await done(books.put(book));
    return (await done(books.getAll())) as CachedBook[];
  });
}

/** The books with something cached on this device. */
export function cachedBooks(): Promise<CachedBook[]> {
  return inTransaction(["books"], "readonly", async (transaction) => {
    return (await done(transaction.objectStore("books").getAll())) as CachedBook[];
  });
}

/** Forgets `bookIds` in the index; returns their entries, for the caller to delete from the caches. */
export function removeBooks(bookIds: readonly string[]): Promise<CacheEntry[]> {
  return inTransaction(["entries", "books"], "readwrite", async (transaction) => {
    const entries = transaction.objectStore("entries");
    const removed: CacheEntry[] = [];
    for (const bookId of bookIds) {
      const ofBook = (await done(entries.index("bookId").getAll(bookId))) as CacheEntry[];
      for (const entry of ofBook) await done(entries.delete(entry.key));
      removed.push(...ofBook);
      await done(transaction.objectStore("books").delete(bookId));
    }
    return removed;
  });
}

/** Queues a position for `bookId`; of two for the same book the later one stays. */
export function queuePosition(position: QueuedPosition): Promise<void> {
  return inTransaction(["positions"], "readwrite", async (transaction) => {
    const store = transaction.objectStore("positions");
    const queued = (await done(store.get(position.bookId))) as QueuedPosition | undefined;
    if (!queued || queued.at <= position.at) await done(store.put(position));
  });
}

export function queuedPositions(): Promise<QueuedPosition[]> {
  return inTransaction(["positions"], "readonly", async (transaction) => {
    return (await done(transaction.objectStore("positions").getAll())) as QueuedPosition[];
  });
}

export function queuedPosition(bookId: string): Promise<QueuedPosition | null> {
  return inTransaction(["positions"], "readonly", async (transaction) => {
    const found = await done(transaction.objectStore("positions").get(bookId));
    return (found as QueuedPosition | undefined) ?? null;
  });
}

/** Takes a sent position off the queue, unless a newer one for the book was queued meanwhile. */
export function unqueuePosition(sent: QueuedPosition): Promise<void> {
  return inTransaction(["positions"], "readwrite", async (transaction) => {
    const store = transaction.objectStore("positions");
    const queued = (await done(store.get(sent.bookId))) as QueuedPosition | undefined;
    if (queued && queued.at === sent.at) await done(store.delete(sent.bookId));
  });
}

/** Forgets the book's queued position if it was made at `before` or earlier (a later save, or
 * the reader's choice in a conflict, took its place). */
export function forgetQueuedPosition(bookId: string, before: number): Promise<void> {
  return inTransaction(["positions"], "readwrite", async (transaction) => {
    const store = transaction.objectStore("positions");
    const queued = (await done(store.get(bookId))) as QueuedPosition | undefined;
    if (queued && queued.at <= before) await done(store.delete(bookId));
  });
}

export function readOwner(): Promise<OfflineOwner | null> {
  return inTransaction(["owner"], "readonly", async (transaction) => {
    const found = await done(transaction.objectStore("owner").get("owner"));
    return (found as OfflineOwner | undefined) ?? null;
  });
}

/**
 * Makes `userId` the owner of the device's offline data. Another user's data (books, entries,
 * queued positions) is dropped first; returns true when it was.
 */
export function claimOfflineData(userId: string, user: unknown): Promise<boolean> {
  return inTransaction(
    ["owner", "books", "entries", "positions"],
    "readwrite",
    async (transaction) => {
      const owners = transaction.objectStore("owner");
      const before = (await done(owners.get("owner"))) as OfflineOwner | undefined;
      const other = before !== undefined && before.userId !== userId;
      if (other) {
        for (const store of ["books", "entries", "positions"] as const) {
          await done(transaction.objectStore(store).clear());
        }
      }
      await done(owners.put({ id: "owner", userId, user } satisfies OfflineOwner));
      return other;
    },
  );
}

/**
 * After signing out: the books' index and the profile go (nobody can open the app offline any
 * more); positions not yet sent stay, for their owner's next sign-in (another user's drops them).
 */
export function releaseOfflineData(): Promise<void> {
  return inTransaction(["owner", "books", "entries"], "readwrite", async (transaction) => {
    await done(transaction.objectStore("books").clear());
    await done(transaction.objectStore("entries").clear());
    const owners = transaction.objectStore("owner");
    const before = (await done(owners.get("owner"))) as OfflineOwner | undefined;
    if (before) await done(owners.put({ ...before, user: null }));
  });
}
