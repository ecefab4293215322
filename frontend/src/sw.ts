/// <reference lib="webworker" />
/**
 * The service worker (built by vite-plugin-pwa's injectManifest from this file).
 *
 * - The app shell (scripts, styles, fonts, icons, index.html) is precached; every navigation
 *   outside /api/ gets index.html, so the app opens without a network.
 * - A book's API data (detail, chapters, passages, illustrations, position) and its pictures are
 *   fetched network first and kept, so a book opened once reads offline. Pictures are kept under
 *   their path without the presigned query (the signature changes, the object does not).
 * - Positions saved without a network are queued in IndexedDB and answered 202; the page sends
 *   them when it is back online and signed in (this worker never holds a token), and the server
 *   judges them by the version they were based on, like any save.
 * - Nothing under /api/auth/ is ever handled or kept: only the GET routes listed here are.
 * - An index in IndexedDB knows each book's cached responses; over the size limit the least
 *   recently read books leave the cache.
 */
import { clientsClaim, type WorkboxPlugin } from "workbox-core";
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { booksToEvict, cacheLimit } from "./features/offline/core/eviction";
import {
  bookRequestOf,
  isAuthPath,
  isBookList,
  pictureBookOf,
  pictureKey,
} from "./features/offline/core/keys";
import {
  queuedPosition,
  queuePosition,
  recordEntry,
  removeBooks,
} from "./features/offline/core/offlineDb";
import {
  BOOKS_CACHE,
  CHANGED_CHANNEL,
  LISTS_CACHE,
  PICTURES_CACHE,
  CACHE_CEILING_BYTES,
} from "./features/offline/core/names";
import {
  devicesOf,
  positionBody,
  queuedAnswer,
  REPLAY_HEADER,
} from "./features/offline/core/positions";

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>;
};

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

const origin = self.location.origin;
const LISTS_KEPT = 12;
// On a connection that hangs, the kept copy is shown after this long (the network still answers
// a request nothing was kept for).
const NETWORK_TIMEOUT_S = 8;
registerRoute(
  new NavigationRoute(createHandlerBoundToURL("/index.html"), {
    denylist: [/^\/api(\/|$)/, /^\/_local\//],
  }),
);

const changed = new BroadcastChannel(CHANGED_CHANNEL);

/** Only complete, readable answers are kept (no errors, no opaque cross-origin bodies). */
const onlyComplete: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) =>
    response.status === 200 && response.type !== "opaque" ? response : null,
};

// Bookkeeping runs one at a time, so totals and evictions never interleave.
let bookkeeping: Promise<unknown> = Promise.resolve();

function keep(
  entry: { key: string; cacheName: string; bookId: string; chapter: number | null },
  response: Response,
  read: boolean,
) {
  bookkeeping = bookkeeping
    .then(async () => {
      const bytes = (await response.blob()).size;
      const books = await recordEntry({ ...entry, bytes }, read, Date.now());
      const estimate = await self.navigator.storage?.estimate?.().catch(() => undefined);
      const evicted = booksToEvict(books, cacheLimit(estimate?.quota, CACHE_CEILING_BYTES));
      if (evicted.length) {
        for (const gone of await removeBooks(evicted)) {
          await (await caches.open(gone.cacheName)).delete(gone.key);
        }
      }
      changed.postMessage({ type: "books-changed" });
    })
    .catch(() => undefined);
  return bookkeeping;
}

/** Records what a book's route just cached (a chapter counts as reading the book). */
const bookIndex: WorkboxPlugin = {
  cacheDidUpdate: async ({ cacheName, request, newResponse }) => {
    const url = new URL(request.url);
    const api = bookRequestOf(url, origin);
    const bookId = api?.bookId ?? pictureBookOf(url);
    if (!bookId) return;
    const chapter = api?.part === "chapter" ? api.chapter : null;
    await keep({ key: request.url, cacheName, bookId, chapter }, newResponse, chapter !== null);
  },
};

/**
 * The picture's stable key, and a CORS request for another origin's (a readable, sized body; the
 * template's bucket allows GET from any origin). A store without CORS still shows the picture:
 * the page's own request goes out as it was, and nothing is kept.
 */
const pictureByPath: WorkboxPlugin = {
  cacheKeyWillBeUsed: async ({ request }) => pictureKey(new URL(request.url)),
  requestWillFetch: async ({ request }) =>
    new URL(request.url).origin === origin
      ? request
      : new Request(request.url, { mode: "cors", credentials: "omit" }),
  handlerDidError: async ({ request }) => fetch(request).catch(() => Response.error()),
};

/**
 * A position queued on this device and not yet accepted is this device's latest place: the reader
 * opens there, based on the version it had seen, and its next save lets the server judge it
 * against any later place from another device (the reader is asked then).
 */
const queuedWins: WorkboxPlugin = {
  cachedResponseWillBeUsed: async ({ request, cachedResponse }) => {
    const api = bookRequestOf(new URL(request.url), origin);
    const queued = api ? await queuedPosition(api.bookId).catch(() => null) : null;
    if (!queued) return cachedResponse ?? null;
    const cached = await cachedResponse
      ?.clone()
      .json()
      .catch(() => null);
    return queuedAnswer(queued, 200, devicesOf(cached));
  },
  fetchDidSucceed: async ({ request, response }) => {
    const api = bookRequestOf(new URL(request.url), origin);
    // 404: the server has no position yet; the queued one is all there is.
    const answered = response.ok || response.status === 404;
    const queued = api && answered ? await queuedPosition(api.bookId).catch(() => null) : null;
    if (!queued) return response;
    const server = await response
      .clone()
      .json()
      .catch(() => null);
    return queuedAnswer(queued, 200, devicesOf(server));
  },
};

registerRoute(
  ({ url, request }) =>
    request.method === "GET" &&
    !isAuthPath(url, origin) &&
    bookRequestOf(url, origin)?.part === "position",
  // No timeout: a slow answer is better than opening the book at an old place.
  new NetworkFirst({ cacheName: BOOKS_CACHE, plugins: [onlyComplete, queuedWins, bookIndex] }),
);

registerRoute(
  ({ url, request }) =>
    request.method === "GET" && !isAuthPath(url, origin) && bookRequestOf(url, origin) !== null,
  new NetworkFirst({
    cacheName: BOOKS_CACHE,
    networkTimeoutSeconds: NETWORK_TIMEOUT_S,
    plugins: [onlyComplete, bookIndex],
  }),
);

/**
 * Only the lists fetched last stay (a cache keeps its keys in the order they were put). Not
 * workbox-expiration: its own database would keep the lists' addresses (search words) after a
 * sign-out has deleted the caches.
 */
const latestLists: WorkboxPlugin = {
  cacheDidUpdate: async ({ cacheName }) => {
    const cache = await caches.open(cacheName);
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - LISTS_KEPT))) await cache.delete(old);
  },
};

// The library's list, so the app opens on the library offline.
registerRoute(
  ({ url, request }) => request.method === "GET" && isBookList(url, origin),
  new NetworkFirst({
    cacheName: LISTS_CACHE,
    networkTimeoutSeconds: NETWORK_TIMEOUT_S,
    plugins: [onlyComplete, latestLists],
  }),
);

registerRoute(
  ({ url, request }) => request.method === "GET" && pictureBookOf(url) !== null,
  new NetworkFirst({
    cacheName: PICTURES_CACHE,
    plugins: [pictureByPath, onlyComplete, bookIndex],
  }),
);

// A position saved without a network waits in the queue; the page sends it once it can.
registerRoute(
  ({ url, request }) => request.method === "PUT" && bookRequestOf(url, origin)?.part === "position",
  async ({ request, url }) => {
    const body = await request.clone().text();
    try {
      return await fetch(request);
    } catch (error) {
      if (request.headers.has(REPLAY_HEADER)) throw error; // the page's own retry: still queued
      const place = positionBody(body);
      const bookId = bookRequestOf(url, origin)?.bookId;
      if (!place || !bookId) throw error;
      const queued = { bookId, ...place, at: Date.now() };
      await queuePosition(queued);
      return queuedAnswer(queued, 202);
    }
  },
  "PUT",
);
