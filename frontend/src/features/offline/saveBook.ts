/**
 * Saves a whole book for offline reading: every chapter not yet kept, and the book's own pictures
 * in them, fetched through the service worker (which keeps what passes through it).
 */
import { api, unwrap } from "@/lib/api";
import { pictureBookOf, pictureKey } from "./core/keys";
import { BOOKS_CACHE, PICTURES_CACHE } from "./core/names";

const IMAGE_SRC = /<img\b[^>]*?\bsrc="([^"]+)"/gi;

/** The stored pictures a chapter's HTML shows. */
export function picturesIn(html: string, base: string): URL[] {
  const urls: URL[] = [];
  for (const match of html.matchAll(IMAGE_SRC)) {
    try {
      const url = new URL(match[1]!.replaceAll("&amp;", "&"), base);
      if (pictureBookOf(url) !== null) urls.push(url);
    } catch {
      // Not a URL: nothing to keep.
    }
  }
  return urls;
}

export async function saveBookOffline(
  bookId: string,
  chapters: readonly number[],
  onProgress: (done: number) => void,
): Promise<void> {
  const books = await caches.open(BOOKS_CACHE);
  const pictures = await caches.open(PICTURES_CACHE);
  let done = 0;
  for (const index of chapters) {
    const url = new URL(
      `/api/books/${encodeURIComponent(bookId)}/chapters/${index}`,
      location.href,
    );
    if (!(await books.match(url.href))) {
      const chapter = await unwrap(
        api.GET("/books/{book_id}/chapters/{index}", {
          params: { path: { book_id: bookId, index } },
        }),
      );
      for (const picture of picturesIn(chapter.html, location.href)) {
        if (await pictures.match(pictureKey(picture))) continue;
        await fetch(picture, { mode: "no-cors", credentials: "omit" }).catch(() => undefined);
      }
    }
    done += 1;
    onProgress(done);
  }
}
