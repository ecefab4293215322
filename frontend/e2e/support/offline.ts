/**
 * What the device keeps for offline reading, read inside the page: the service worker's caches
 * of user data and the offline index in IndexedDB (the names are the app's, written out here).
 */
import { type APIRequestContext, expect, type Page, request } from "@playwright/test";
import { deviceAddress } from "./fixtures";
import type { Credentials } from "./account";

export type QueuedPosition = { bookId: string; chapter: number; offset: number; at: number };

const USER_CACHES = ["bookreader-books", "bookreader-lists", "bookreader-pictures"];

/** Waits until a service worker controls the page (it registers once the page is idle). */
export async function expectServiceWorker(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), {
      message: "a service worker controls the page",
      timeout: 30_000,
    })
    .toBe("activated");
}

/** The URLs of every response kept in the user-data caches. */
export function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async (names) => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      if (!names.includes(name)) continue;
      const cache = await caches.open(name);
      urls.push(...(await cache.keys()).map((request) => request.url));
    }
    return urls;
  }, USER_CACHES);
}

function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (store) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open("bookreader-offline");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) return resolve([]);
          const all = db.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => {
            resolve(all.result as T[]);
            db.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
    store,
  );
}

/** Positions waiting on this device to be sent. */
export function queuedPositions(page: Page): Promise<QueuedPosition[]> {
  return readStore<QueuedPosition>(page, "positions");
}

/** Books the offline index knows (any cached part). */
export function indexedBooks(page: Page): Promise<{ bookId: string; chapters: number[] }[]> {
  return readStore(page, "books");
}

/** The API as the same user from elsewhere (outside the browser, unaffected by its network). */
export async function apiAs(baseURL: string, credentials: Credentials): Promise<APIRequestContext> {
  const headers = { "X-Forwarded-For": deviceAddress() };
  const signIn = await request.newContext({ baseURL, extraHTTPHeaders: headers });
  const answer = await signIn.post("/api/auth/login", { data: credentials });
  expect(answer.ok(), await answer.text()).toBe(true);
  const { access_token: token } = (await answer.json()) as { access_token: string };
  await signIn.dispose();
  return request.newContext({
    baseURL,
    extraHTTPHeaders: { ...headers, Authorization: `Bearer ${token}` },
  });
}
