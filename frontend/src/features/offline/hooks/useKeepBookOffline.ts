/**
 * Makes sure the book being read is kept for offline reading. The service worker keeps what
 * passes through it, but on the first visit the book may have been fetched before the worker took
 * control of the page: then its detail, the chapter on screen, the position and the pictures on
 * screen are fetched once more, through the worker. Also asks the browser to keep the data
 * (persistent storage), which Chromium grants to sites in use without a prompt.
 */
import { useEffect } from "react";
import { apiBaseUrl, createAuthFetch } from "@/lib/api";
import { pictureBookOf, pictureKey } from "../core/keys";
import { BOOKS_CACHE, PICTURES_CACHE } from "../core/names";

const SETTLE_MS = 1500; // after the chapter is on screen, so its pictures are in the page

async function keepMissing(bookId: string, chapter: number, isCurrent: () => boolean) {
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

export function useKeepBookOffline(bookId: string, chapter: number | null): void {
  useEffect(() => {
    if (chapter === null || !("serviceWorker" in navigator) || !("caches" in globalThis)) return;
    let current = true;
    const run = () => void keepMissing(bookId, chapter, () => current).catch(() => undefined);
    const timer = window.setTimeout(run, SETTLE_MS);
    navigator.serviceWorker.addEventListener("controllerchange", run);
    return () => {
      current = false;
      window.clearTimeout(timer);
      navigator.serviceWorker.removeEventListener("controllerchange", run);
    };
  }, [bookId, chapter]);
}
