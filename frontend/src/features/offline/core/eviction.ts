/** Which books leave the offline cache when it is over its size: least recently read first. */

export type CachedBook = {
  bookId: string;
  /** When a chapter of it was last fetched (ms since the epoch); 0 when only its cover was. */
  lastRead: number;
  bytes: number;
  /** Chapters kept on the device, in no particular order. */
  chapters: number[];
};

/**
 * The books to drop, oldest read first, until the rest fits in `limitBytes`. The book read most
 * recently is never dropped, even when it alone is larger than the limit: it is being read.
 */
export function booksToEvict(books: readonly CachedBook[], limitBytes: number): string[] {
  let total = books.reduce((sum, book) => sum + book.bytes, 0);
  if (total <= limitBytes) return [];
  const byAge = [...books].sort(
    (a, b) => a.lastRead - b.lastRead || a.bookId.localeCompare(b.bookId),
  );
  const newest = byAge.at(-1);
  const evicted: string[] = [];
  for (const book of byAge) {
    if (total <= limitBytes || book === newest) break;
    evicted.push(book.bookId);
    total -= book.bytes;
  }
  return evicted;
}

/** The size limit: a fixed ceiling, or less when the browser gives the origin little room. */
export function cacheLimit(quotaBytes: number | undefined, ceilingBytes: number): number {
  if (!quotaBytes || !Number.isFinite(quotaBytes)) return ceilingBytes;
  return Math.max(0, Math.min(ceilingBytes, Math.floor(quotaBytes / 2)));
}
