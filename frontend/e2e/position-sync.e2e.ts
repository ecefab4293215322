/**
 * Position sync between two devices of one reader (two browser contexts), in a real Chromium with
 * the built app's service worker, against the real runtime: a place moved offline is queued; when
 * it comes back after the other device read on, the reader is asked, not overwritten; staying
 * there (going back on purpose) wins; the other device in turn is asked and continues there; the
 * book page lists each device's place. Nothing either device did is lost on the server.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { register, signIn } from "./support/account";
import { CHEKHOV_EPUB, uploadByInput, uploadRow } from "./support/books";
import { apiAs, expectServiceWorker, queuedPositions } from "./support/offline";
import {
  currentView,
  expectChapter,
  expectMovedFrom,
  expectOnScreen,
  openChapter,
  rememberPlace,
} from "./support/reader";
import type { Ui } from "./support/ui";

type ServerPosition = {
  chapter: number;
  offset: number;
  version: number;
  device_id: string;
  devices: { device_id: string; chapter: number; offset: number }[];
};

async function nextPage(page: Page, ui: Ui): Promise<void> {
  const view = await currentView(page);
  await page.getByRole("button", { name: ui.nextPage }).click();
  await expectMovedFrom(page, view);
}

const deviceOf = (page: Page) =>
  page.evaluate(() => localStorage.getItem("bookreader.device") ?? "");

test("two devices read on and off line: the later place wins or the reader is asked, and nothing is lost", async ({
  page: laptop,
  newDevice,
  ui,
  baseURL,
}) => {
  const credentials = await register(laptop, ui);
  await expectServiceWorker(laptop);
  await uploadByInput(laptop, ui, CHEKHOV_EPUB);
  await uploadRow(laptop, ui, CHEKHOV_EPUB)
    .getByRole("link", { name: ui.open(CHEKHOV_EPUB.title) })
    .click({ timeout: 60_000 });
  const bookPage = laptop.url();
  await laptop.getByRole("link", { name: ui.startReading }).click();
  await rememberPlace(laptop);
  const bookId = /\/books\/([^/]+)\/read/.exec(laptop.url())![1]!;

  const api = await apiAs(baseURL!, credentials);
  const server = async (): Promise<ServerPosition | null> => {
    const answer = await api.get(`/api/books/${bookId}/position`);
    return answer.ok() ? ((await answer.json()) as ServerPosition) : null;
  };
  const serverChapter = async () => (await server())?.chapter ?? null;

  // The laptop reads chapter 2.
  await openChapter(laptop, ui, 1);
  await expect.poll(serverChapter, { message: "the laptop's place is saved" }).toBe(1);
  const laptopId = await deviceOf(laptop);

  // The phone opens the book where the laptop left it, then loses its network and reads a page on.
  const phoneContext = await newDevice();
  const phone = await phoneContext.newPage();
  await signIn(phone, ui, credentials);
  await expectServiceWorker(phone);
  await phone.goto(`/books/${bookId}`);
  await phone.getByRole("link", { name: ui.continueReading }).click();
  await rememberPlace(phone);
  await expectChapter(phone, 1);
  const phoneId = await deviceOf(phone);
  expect(phoneId).not.toBe(laptopId);

  // (A page on may be the next chapter: the reader fetched it ahead, so it reads offline too.)
  await phoneContext.setOffline(true);
  await nextPage(phone, ui);
  const phonePlace = await rememberPlace(phone);
  await expect
    .poll(async () => (await queuedPositions(phone)).length, {
      message: "the phone's place waits on the phone",
    })
    .toBe(1);
  const [queued] = await queuedPositions(phone);
  expect(queued).toMatchObject({ bookId, deviceId: phoneId });
  expect([1, 2]).toContain(queued!.chapter);
  expect((await server())?.device_id).toBe(laptopId); // not on the server yet

  // Meanwhile the laptop reads on to chapter 4.
  await openChapter(laptop, ui, 3);
  await expect.poll(serverChapter, { message: "the laptop's later place is saved" }).toBe(3);

  // The phone is back online: its older view does not overwrite the laptop's place; it asks.
  await phoneContext.setOffline(false);
  const phoneAsks = phone.getByRole("dialog", { name: ui.placeMoved });
  await expect(phoneAsks).toBeVisible({ timeout: 45_000 });
  const question = (await phoneAsks.getByRole("paragraph").textContent()) ?? "";
  const [, chapter, device, when] = ui.placeQuestion.exec(question) ?? [];
  expect(chapter, question).toBe("4");
  expect(device, question).toMatch(/ on | на /);
  expect(when, question).toBeTruthy();
  const waiting = await server();
  expect(waiting?.chapter).toBe(3);
  // Nothing is lost: the server already keeps the phone's place as the phone's.
  expect(waiting?.devices.find((item) => item.device_id === phoneId)).toMatchObject({
    chapter: queued!.chapter,
    offset: queued!.offset,
  });

  // "Stay here": going back on purpose; the phone's place becomes the book's.
  await phoneAsks.getByRole("button", { name: ui.stayHere }).click();
  await expect(phoneAsks).toBeHidden();
  await expect
    .poll(async () => {
      const held = await server();
      return held && { chapter: held.chapter, device: held.device_id };
    })
    .toEqual({ chapter: queued!.chapter, device: phoneId });
  await expect.poll(() => queuedPositions(phone)).toEqual([]);
  await expectOnScreen(phone, phonePlace);

  // The laptop, reading on from its older view, is asked in turn, and continues at the phone's.
  await nextPage(laptop, ui);
  const laptopAsks = laptop.getByRole("dialog", { name: ui.placeMoved });
  await expect(laptopAsks).toBeVisible({ timeout: 15_000 });
  const asked = (await laptopAsks.getByRole("paragraph").textContent()) ?? "";
  expect(ui.placeQuestion.exec(asked)?.[1], asked).toBe(String(queued!.chapter + 1));
  expect((await server())?.device_id).toBe(phoneId); // not overwritten while asking
  await laptopAsks.getByRole("button", { name: ui.continueThere }).click();
  await expect(laptopAsks).toBeHidden();
  await expectOnScreen(laptop, phonePlace);
  await expect.poll(serverChapter).toBe(queued!.chapter);

  // Where was I on each device: both, on the book's page.
  await laptop.goto(bookPage);
  const places = laptop.getByRole("region", { name: ui.devicePlaces });
  await expect(places.getByRole("listitem")).toHaveCount(2);
  await api.dispose();
});
