import { booksToEvict, cacheLimit, type CachedBook } from "./eviction";

const MB = 1024 * 1024;
const book = (bookId: string, lastRead: number, megabytes: number): CachedBook => ({
  bookId,
  lastRead,
  bytes: megabytes * MB,
  chapters: [0],
});

describe("booksToEvict", () => {
  it("keeps everything while the books fit", () => {
    expect(booksToEvict([book("a", 1, 10), book("b", 2, 10)], 20 * MB)).toEqual([]);
  });

  it("drops the least recently read books first, only as many as needed", () => {
    const books = [
      book("read-monday", 100, 30),
      book("read-today", 300, 30),
      book("read-tuesday", 200, 30),
      book("read-sunday", 50, 30),
    ];
    expect(booksToEvict(books, 65 * MB)).toEqual(["read-sunday", "read-monday"]);
  });

  it("drops books only their covers were kept for before any book that was read", () => {
    const books = [book("read", 100, 5), book("cover-only", 0, 1), book("reading", 200, 5)];
    expect(booksToEvict(books, 10 * MB)).toEqual(["cover-only"]);
  });

  it("never drops the book being read, even when it alone is over the limit", () => {
    const books = [book("old", 1, 5), book("huge-and-open", 9, 50)];
    expect(booksToEvict(books, 20 * MB)).toEqual(["old"]);
  });
});

describe("cacheLimit", () => {
  it("is the ceiling when the browser has room, half the quota when it has little", () => {
    expect(cacheLimit(10_000 * MB, 200 * MB)).toBe(200 * MB);
    expect(cacheLimit(100 * MB, 200 * MB)).toBe(50 * MB);
    expect(cacheLimit(undefined, 200 * MB)).toBe(200 * MB);
  });
});
