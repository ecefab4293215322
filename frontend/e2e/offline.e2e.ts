/**
 * Offline reading, in a real Chromium with the built app's service worker, against the real
 * runtime: a book opened once reads after a reload without a network, the place moved to offline
 * reaches the server once the network is back, and signing out leaves nothing of it on the device.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { register } from "./support/account";
import { CHEKHOV_EPUB, uploadByInput, uploadRow, WASTELAND_EPUB } from "./support/books";
import {
  apiAs,
  cachedUrls,
  expectServiceWorker,
  indexedBooks,
  queuedPositions,
} from "./support/offline";
import { currentView, expectMovedFrom, expectOnScreen, rememberPlace } from "./support/reader";
import type { Ui } from "./support/ui";

const OFFLINE_NOTICE = {
  en: "You're offline. Books saved on this device can still be read; your place is sent when you're back online.",
  ru: "Нет подключения к сети. Книги, сохранённые на этом устройстве, можно читать; место, где вы остановились, отправится, когда сеть появится.",
};
const AVAILABLE_OFFLINE = { en: "Available offline", ru: "Доступна офлайн" };
const SAVE_BOOK = {
  en: "Save the whole book for offline reading",
  ru: "Сохранить всю книгу для чтения офлайн",
};
const ALL_SEVEN_KEPT = {
  en: "Available offline: 7 of 7 chapters on this device",
  ru: "Доступна офлайн: на устройстве 7 из 7 глав",
};

/** A new reader adds The Waste Land and opens it in the reader; returns the book's id. */
async function openWasteLand(page: Page, ui: Ui): Promise<string> {
  await uploadByInput(page, ui, WASTELAND_EPUB);
  await uploadRow(page, ui, WASTELAND_EPUB)
    .getByRole("link", { name: ui.open(WASTELAND_EPUB.title) })
    .click({ timeout: 60_000 });
  await page.getByRole("link", { name: ui.startReading }).click();
  await rememberPlace(page);
  const bookId = /\/books\/([^/]+)\/read/.exec(page.url())?.[1];
  expect(bookId, "the reader's address names the book").toBeTruthy();
  return bookId!;
}

function bookItem(page: Page, ui: Ui) {
  return page
    .getByRole("list", { name: ui.books })
    .getByRole("listitem")
    .filter({ hasText: WASTELAND_EPUB.title });
}

test("a book opened once reads offline after a reload; the place moved to offline reaches the server", async ({
  page,
  context,
  ui,
  language,
  baseURL,
}) => {
  const credentials = await register(page, ui);
  await expectServiceWorker(page);
  const bookId = await openWasteLand(page, ui);
  const readerUrl = page.url();

  // The library knows the book is kept on this device.
  await page.goto("/");
  const item = bookItem(page, ui);
  await expect(item.getByText(AVAILABLE_OFFLINE[language])).toBeVisible();
  await page.goto(readerUrl);
  const start = await rememberPlace(page);

  // Where the server has the reader, once the reader has saved the opening place.
  const api = await apiAs(baseURL!, credentials);
  const positionUrl = `/api/books/${bookId}/position`;
  const serverPlace = async () => {
    const answer = await api.get(positionUrl);
    if (!answer.ok()) return null;
    // A book not started yet answers 200 null.
    const place = (await answer.json()) as { chapter: number; offset: number } | null;
    return place && { chapter: place.chapter, offset: place.offset };
  };
  await expect.poll(serverPlace, { message: "the opening place is saved" }).not.toBeNull();
  const before = await serverPlace();

  await context.setOffline(true);
  // The page really has no network: the API cannot be reached.
  const reach = () =>
    fetch("/api/health").then(
      () => "online",
      () => "offline",
    );
  expect(await page.evaluate(reach)).toBe("offline");

  // Reloaded without a network, the reader shows the chapter where the reader was.
  await page.reload();
  await expectOnScreen(page, start);

  // A page on: the place is kept on the device, not yet on the server.
  const view = await currentView(page);
  await page.getByRole("button", { name: ui.nextPage }).click();
  await expectMovedFrom(page, view);
  let moved: { chapter: number; offset: number } | null = null;
  await expect
    .poll(
      async () => {
        const queued = (await queuedPositions(page)).find((item) => item.bookId === bookId);
        moved = queued ? { chapter: queued.chapter, offset: queued.offset } : null;
        return moved !== null && JSON.stringify(moved) !== JSON.stringify(before);
      },
      { message: "the new place is queued on the device" },
    )
    .toBe(true);
  expect(await serverPlace()).toEqual(before);

  // The app opens on the library offline too: it says so, and the book's cover is there (its
  // presigned address is not the one cached; the picture is kept by its path).
  await page.goto("/");
  await expect(
    page.getByRole("status").filter({ hasText: OFFLINE_NOTICE[language] }),
  ).toBeVisible();
  await expect(item.getByText(AVAILABLE_OFFLINE[language])).toBeVisible();
  const cover = item.locator("img.cover");
  await expect(cover).toHaveCount(1);
  await expect
    .poll(() => cover.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
    .toBeGreaterThan(0);

  // Back online: the queued place goes through the normal position route.
  await context.setOffline(false);
  await expect
    .poll(serverPlace, {
      message: "the place moved to offline reaches the server",
      timeout: 45_000,
    })
    .toEqual(moved);
  await expect.poll(() => queuedPositions(page)).toEqual([]);
  await expect(page.getByRole("status").filter({ hasText: OFFLINE_NOTICE[language] })).toHaveCount(
    0,
  );
  await api.dispose();
});

test("a whole book saved from its page reads offline, any chapter of it", async ({
  page,
  context,
  ui,
  language,
}) => {
  await register(page, ui);
  await expectServiceWorker(page);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  await uploadRow(page, ui, CHEKHOV_EPUB)
    .getByRole("link", { name: ui.open(CHEKHOV_EPUB.title) })
    .click({ timeout: 60_000 });
  await page.getByRole("button", { name: SAVE_BOOK[language] }).click();
  await expect(page.getByText(ALL_SEVEN_KEPT[language])).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("button", { name: SAVE_BOOK[language] })).toHaveCount(0);

  // Offline, a chapter never opened before reads: the last one, from the contents.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(ALL_SEVEN_KEPT[language])).toBeVisible();
  await page.getByRole("link", { name: ui.startReading }).click();
  await rememberPlace(page);
  await page.getByRole("button", { name: ui.contents }).click();
  const contents = page.getByRole("dialog", { name: ui.contents });
  await contents.getByRole("button", { name: "Глава седьмая. Неудачный дебют" }).click();
  await expect(
    page.getByRole("main").getByText("В один прекрасный вечер хозяин вошел", { exact: false }),
  ).toBeInViewport();
});

test("signing out removes the books kept for offline reading from the device", async ({
  page,
  context,
  ui,
  language,
}) => {
  await register(page, ui);
  await expectServiceWorker(page);
  const bookId = await openWasteLand(page, ui);
  const readerUrl = page.url();
  await expect
    .poll(async () =>
      (await cachedUrls(page)).some((url) => url.includes(`/api/books/${bookId}/chapters/`)),
    )
    .toBe(true);

  await page.goto("/");
  await expect(bookItem(page, ui).getByText(AVAILABLE_OFFLINE[language])).toBeVisible();
  await page.getByRole("button", { name: ui.signOut }).click();
  await expect(page.getByRole("heading", { name: ui.signInTitle })).toBeVisible();

  await expect.poll(() => cachedUrls(page), { message: "no book data is cached" }).toEqual([]);
  await expect.poll(() => indexedBooks(page)).toEqual([]);

  // Offline, the device no longer opens the book, or the app, for anyone.
  await context.setOffline(true);
  await page.goto(readerUrl);
  await expect(page.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
  await expect(page.getByText(WASTELAND_EPUB.title)).toHaveCount(0);
});

test("the app can be installed: its manifest and icons", async ({ page }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  const answer = await page.request.get(href!);
  expect(answer.headers()["content-type"]).toContain("application/manifest+json");
  const manifest = (await answer.json()) as {
    name: string;
    start_url: string;
    scope: string;
    display: string;
    icons: { src: string; sizes: string; purpose: string }[];
  };
  expect(manifest).toMatchObject({
    name: "BookReader",
    start_url: "/",
    scope: "/",
    display: "standalone",
  });
  const sizes = (purpose: string) =>
    manifest.icons.filter((icon) => icon.purpose === purpose).map((icon) => icon.sizes);
  expect(sizes("any")).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(sizes("maskable")).toEqual(expect.arrayContaining(["512x512"]));
  for (const icon of manifest.icons) {
    const image = await page.request.get(icon.src);
    expect(image.ok(), icon.src).toBe(true);
    expect(image.headers()["content-type"]).toMatch(/^image\//);
  }
});
