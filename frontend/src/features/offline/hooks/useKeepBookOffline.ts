/**
 * Makes sure the book being read is kept for offline reading. The service worker keeps what
 * passes through it, but on the first visit the book may have been fetched before the worker took
 * control of the page: then its detail, the chapter on screen, the position and the pictures on
 * screen are fetched once more, through the worker. Also asks the browser to keep the data
 * (persistent storage), which Chromium grants to sites in use without a prompt.
 */
import { useEffect } from "react";

const SETTLE_MS = 1500; // after the chapter is on screen, so its pictures are in the page

export function useKeepBookOffline(bookId: string, chapter: number | null): void {
  useEffect(() => {
    if (chapter === null || !("serviceWorker" in navigator) || !("caches" in globalThis)) return;
    let current = true;
    const run = () =>
      void import("../keepBook")
        .then((work) => work.keepMissing(bookId, chapter, () => current))
        .catch(() => undefined);
    const timer = window.setTimeout(run, SETTLE_MS);
    navigator.serviceWorker.addEventListener("controllerchange", run);
    return () => {
      current = false;
      window.clearTimeout(timer);
      navigator.serviceWorker.removeEventListener("controllerchange", run);
    };
  }, [bookId, chapter]);
}
