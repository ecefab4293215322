/**
 * KOReader and the web reader, one reader's place: an app password of scope `kosync` made on the
 * account page; KOReader (its sync plugin's requests, from Node: the file's partial MD5 as the
 * document, md5 of the app password as the key, a crengine XPointer) saves a later chapter; the
 * web reader, open at an earlier place, is asked "Continue at … (KOReader on <model>, …)" and
 * continuing opens KOReader's paragraph; the web reader reads on, and KOReader's next pull
 * points at the web reader's chapter.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "./support/fixtures";
import { register } from "./support/account";
import { CHEKHOV_EPUB, uploadByInput, uploadRow } from "./support/books";
import { Koreader, paragraphOfEpub, partialMd5 } from "./support/koreader";
import { apiAs } from "./support/offline";
import {
  currentView,
  expectChapter,
  expectMovedFrom,
  expectOnScreen,
  openChapter,
  rememberPlace,
} from "./support/reader";
import { E_READERS } from "./support/ui-e-readers";

test("KOReader and the web reader hand the place to each other through an app password", async ({
  page,
  ui,
  language,
  baseURL,
}) => {
  const names = E_READERS[language];
  const credentials = await register(page, ui);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  await uploadRow(page, ui, CHEKHOV_EPUB)
    .getByRole("link", { name: ui.open(CHEKHOV_EPUB.title) })
    .click({ timeout: 60_000 });
  const bookPage = page.url();
  const bookId = /\/books\/([^/?#]+)/.exec(bookPage)![1]!;

  // The account page: an app password for KOReader's sync only, shown once.
  await page
    .getByRole("navigation")
    .getByRole("link", { name: names.account, exact: true })
    .click();
  const section = page.getByRole("region", { name: names.appPasswords });
  const form = section.getByRole("form", { name: names.createForm });
  await form.getByLabel(names.deviceName, { exact: true }).fill("Kobo Libra");
  await form.getByRole("checkbox", { name: names.browseScope }).uncheck();
  await expect(form.getByRole("checkbox", { name: names.syncScope })).toBeChecked();
  await form.getByRole("button", { name: names.createForm }).click();
  const created = section.getByRole("status", { name: names.createdFor("Kobo Libra") });
  const secret = (await created.getByLabel(names.secret, { exact: true }).textContent()) ?? "";
  expect(secret).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);

  const file = readFileSync(CHEKHOV_EPUB.path);
  const document = partialMd5(file);
  const kobo = new Koreader(new URL(baseURL!).origin, credentials.email, secret);
  expect(await kobo.authorize()).toEqual({ authorized: "OK" });

  // The web reader reads chapter 2, and the place is saved.
  const api = await apiAs(baseURL!, credentials);
  const serverChapter = async () => {
    const answer = await api.get(`/api/books/${bookId}/position`);
    // A book not started yet answers 200 null.
    return answer.ok()
      ? (((await answer.json()) as { chapter: number } | null)?.chapter ?? null)
      : null;
  };
  await page.goto(bookPage);
  await page.getByRole("link", { name: ui.startReading }).click();
  await rememberPlace(page);
  await openChapter(page, ui, 1);
  await expect.poll(serverChapter, { message: "the web reader's place is saved" }).toBe(1);

  // KOReader, meanwhile, is at the third paragraph of chapter 5.
  const target = paragraphOfEpub(CHEKHOV_EPUB.path, 5, 3);
  await kobo.updateProgress(document, target.xpointer, 0.52);
  await expect.poll(serverChapter, { message: "KOReader's place is the book's" }).toBe(4);

  // The web reader reads on from its older view and is asked.
  const view = await currentView(page);
  await page.getByRole("button", { name: ui.nextPage }).click();
  await expectMovedFrom(page, view);
  const asks = page.getByRole("dialog", { name: ui.placeMoved });
  await expect(asks).toBeVisible({ timeout: 15_000 });
  const question = (await asks.getByRole("paragraph").textContent()) ?? "";
  const [, chapter, device, when] = ui.placeQuestion.exec(question) ?? [];
  expect(chapter, question).toBe("5");
  expect(device, question).toBe(names.koreaderDevice(kobo.model));
  expect(when, question).toBeTruthy();
  await expect.poll(serverChapter, { message: "not overwritten while asking" }).toBe(4);

  // Continuing opens the chapter and the paragraph KOReader was at.
  await asks.getByRole("button", { name: ui.continueThere }).click();
  await expect(asks).toBeHidden();
  await expectChapter(page, 4);
  await expectOnScreen(page, { index: -1, text: target.text });

  // The web reader moves on to chapter 6; KOReader's next pull points there.
  await openChapter(page, ui, 5);
  await expect.poll(serverChapter, { message: "the web reader's new place is saved" }).toBe(5);
  let pulled: Awaited<ReturnType<Koreader["getProgress"]>> = {};
  await expect
    .poll(
      async () => {
        pulled = await kobo.getProgress(document);
        return /^\/body\/DocFragment\[(\d+)\]\//.exec(pulled.progress ?? "")?.[1];
      },
      { message: "KOReader's pull names the web reader's chapter" },
    )
    .toBe("6");
  expect(pulled.document).toBe(document);
  expect(pulled.percentage).toBeGreaterThan(0.52);
  expect(pulled.percentage).toBeLessThan(1);
  expect(pulled.device_id).not.toBe(kobo.deviceId);
  await api.dispose();
});
