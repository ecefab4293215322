/**
 * What a request the service worker keeps is: which book it belongs to, what part of the book,
 * and the stable key a picture is kept under (its presigned URL's signature changes; its path
 * in the store does not).
 */

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const BOOK_API = new RegExp(
  `^/api/books/(${UUID})(?:/chapters/(\\d+)|/(descriptions|illustrations|position))?/?$`,
  "i",
);
// Every object of a book lives under books/{user}/{book}/ in the store, whatever the store's host
// or bucket path (the local disk store, S3 path-style or virtual-host style).
const BOOK_OBJECT = new RegExp(
  `/books/${UUID}/(${UUID})/(?:images/[^/]+|illustrations/[^/]+|cover-thumb\\.webp)$`,
  "i",
);

export type BookPart = "book" | "chapter" | "descriptions" | "illustrations" | "position";

export type BookRequest = { bookId: string; part: BookPart; chapter: number | null };

/** A GET of the API that belongs to one book (its detail, a chapter, its passages, ...), or null. */
export function bookRequestOf(url: URL, origin: string): BookRequest | null {
  if (url.origin !== origin) return null;
  const match = BOOK_API.exec(url.pathname);
  if (!match) return null;
  const bookId = match[1]!.toLowerCase();
  if (match[2] !== undefined) return { bookId, part: "chapter", chapter: Number(match[2]) };
  const part = (match[3] as BookPart | undefined) ?? "book";
  return { bookId, part, chapter: null };
}

/** The library's list of books (any filter or page). */
export function isBookList(url: URL, origin: string): boolean {
  return url.origin === origin && /^\/api\/books\/?$/.test(url.pathname);
}

/** The book a stored picture (an image of the book, an illustration, a cover) belongs to. */
export function pictureBookOf(url: URL): string | null {
  const match = BOOK_OBJECT.exec(url.pathname);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * The key a picture is cached under: its URL without the query. Presigned URLs carry a
 * signature and an expiry in the query that change every time the API hands them out; the
 * object's path names the object.
 */
export function pictureKey(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Never kept: signing in, out, refreshing (responses that set cookies or hand out tokens). */
export function isAuthPath(url: URL, origin: string): boolean {
  return url.origin === origin && url.pathname.startsWith("/api/auth/");
}
