/** The work behind useKeepBookOffline, loaded only when it runs (it stays out of the pages' chunks). */
import { apiBaseUrl, createAuthFetch } from "@/lib/api";
import { pictureBookOf, pictureKey } from "./core/keys";
import { BOOKS_CACHE, PICTURES_CACHE } from "./core/names";

export async function keepMissing(bookId: string, chapter: number, isCurrent: () => boolean) {
  if (!navigator.serviceWorker.controller) return;
  void navigator.storage?.persist?.().catch(() => false);
  const authFetch = createAuthFetch();
  const base = `${apiBaseUrl()}/books/${encodeURIComponent(bookId)}`;
  const books = await caches.open(BOOKS_CACHE);
  for (const url of [base, `${base}/chapters/${chapter}`, `${base}/position`]) {
    if (!isCurrent()) return;
    if (!(await books.match(url))) await authFetch(new Request(url)).catch(() => undefined);
  }
  const pictures = await caches.open(PICTURES_CACHE);
  const shown = document.querySelectorAll<HTMLImageElement>("#main img");
  for (const image of shown) {
    if (!isCurrent()) return;
    const src = image.currentSrc || image.src;
    if (!src) continue;
    const url = new URL(src, location.href);
    if (pictureBookOf(url) === null || (await pictures.match(pictureKey(url)))) continue;
    await fetch(url, { mode: "no-cors", credentials: "omit" }).catch(() => undefined);
  }
}
