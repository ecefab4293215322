/**
 * The main journey, as a new reader lives it: register, add two books (one dropped, one chosen
 * in the file dialog), watch them upload and get processed, read one in both modes, change
 * theme and font size, come back after a reload and on another device to the same paragraph
 * (and the same settings), sign out. Runs on a desktop in English and on a phone in Russian (see playwright.config.ts).
 */
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { expectLibrary, fillSignIn, register } from "./support/account";
import {
  CHEKHOV_EPUB,
  PUSHKIN_FB2,
  type RowState,
  recordUploadRows,
  throttleUploads,
  uploadByDrop,
  uploadByInput,
  uploadRow,
  uploadRowHistory,
} from "./support/books";
import { currentView, expectMovedFrom, expectOnScreen, rememberPlace } from "./support/reader";
import { UI, type Ui } from "./support/ui";

test("a new reader adds books, reads, and picks up where they left off", async ({
  page,
  ui,
  language,
  isMobile,
  newDevice,
}) => {
  test.setTimeout(240_000);
  const account = await test.step("register", () => register(page, ui));
  const fb2Row = uploadRow(page, ui, PUSHKIN_FB2);
  const epubRow = uploadRow(page, ui, CHEKHOV_EPUB);
  await recordUploadRows(page, ui, [CHEKHOV_EPUB, PUSHKIN_FB2]);

  await test.step("drop an EPUB on the upload area", async () => {
    await uploadByDrop(page, ui, CHEKHOV_EPUB);
    await expect(epubRow).toBeVisible();
  });

  await test.step("meanwhile, upload an FB2 through the file input and watch its progress bar", async () => {
    // A slow connection (64 KB/s), so the bar is seen moving, not just empty then gone.
    const unthrottle = await throttleUploads(page, 64 * 1024);
    await uploadByInput(page, ui, PUSHKIN_FB2);
    const bar = fb2Row.getByRole("progressbar", { name: ui.uploadProgress(PUSHKIN_FB2.name) });
    await expect(bar).toBeVisible();
    const seen = await watchProgress(bar);
    expect(
      seen.some((value) => value > 0 && value < 100),
      `upload progress seen: ${seen.join(", ")}`,
    ).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // never backwards
    await unthrottle();
  });

  await test.step("live: each row follows its book until it is ready, never going back", async () => {
    await expect(epubRow.getByText(ui.uploadReady)).toBeVisible({ timeout: 150_000 });
    await expect(epubRow.getByRole("progressbar")).toHaveCount(0);
    await expect(fb2Row.getByRole("link", { name: ui.open(PUSHKIN_FB2.title) })).toBeVisible({
      timeout: 60_000,
    });
    await expect(fb2Row.getByText(ui.uploadReady)).toBeVisible({ timeout: 150_000 });
    for (const book of [CHEKHOV_EPUB, PUSHKIN_FB2]) {
      expectLiveStates(await uploadRowHistory(page, book), ui, book.title);
    }
  });

  await test.step("open the book", async () => {
    await fb2Row.getByRole("link", { name: ui.open(PUSHKIN_FB2.title) }).click();
    await expect(page.getByRole("heading", { level: 1, name: PUSHKIN_FB2.title })).toBeVisible();
    await page.getByRole("link", { name: ui.startReading }).click();
    await expect(page.getByRole("button", { name: ui.nextPage })).toBeVisible();
    await currentView(page); // laid out, fonts loaded
    if (process.env.E2E_SCREENSHOT === "1" && test.info().project.name === "desktop-en") {
      // The README's picture of the reader: the novel's first page, as a new reader sees it.
      await page.screenshot({
        path: fileURLToPath(new URL("../../docs/reader.png", import.meta.url)),
      });
    }
  });

  await test.step("turn pages forward and back in paginated mode", async () => {
    await turnPages(page, {
      next: () => page.getByRole("button", { name: ui.nextPage }).click(),
      previous: () => page.getByRole("button", { name: ui.previousPage }).click(),
    });
    if (isMobile) {
      // A tap on the outer thirds of the text turns the page.
      const { width, height } = page.viewportSize()!;
      await turnPages(page, {
        next: () => page.touchscreen.tap(width * 0.72, height / 2),
        previous: () => page.touchscreen.tap(width * 0.28, height / 2),
      });
    } else {
      // The keyboard turns pages too.
      await turnPages(page, {
        next: () => page.keyboard.press("ArrowRight"),
        previous: () => page.keyboard.press("ArrowLeft"),
      });
    }
  });

  await test.step("turn pages forward and back in scroll mode", async () => {
    await chooseSetting(page, ui, ui.scrollMode);
    // The text scrolls a screen at a time: by the page buttons, and by Page Down / Page Up.
    await turnPages(page, {
      next: () => page.getByRole("button", { name: ui.nextPage }).click(),
      previous: () => page.getByRole("button", { name: ui.previousPage }).click(),
    });
    await turnPages(page, {
      next: () => page.keyboard.press("PageDown"),
      previous: () => page.keyboard.press("PageUp"),
    });
    await chooseSetting(page, ui, ui.pagedMode);
  });

  await test.step("change the theme and the font size", async () => {
    const before = await looks(page);
    expect(before.background, "a light page to begin with").toBeGreaterThan(0.5);
    await chooseSetting(page, ui, ui.darkTheme);
    await openSettings(page, ui);
    await page.getByRole("button", { name: ui.largerText }).click();
    await page.keyboard.press("Escape");
    await expect
      .poll(async () => (await looks(page)).background, { message: "the page turned dark" })
      .toBeLessThan(0.2);
    await expect.poll(async () => (await looks(page)).fontSize).toBeGreaterThan(before.fontSize);
  });

  const settings = await looks(page);
  const place =
    await test.step("read on a few pages, reload: the same paragraph is on screen", async () => {
      const next = page.getByRole("button", { name: ui.nextPage });
      let view = await currentView(page);
      for (let turn = 0; turn < 3; turn += 1) {
        await next.click();
        view = await expectMovedFrom(page, view);
      }
      const place = await rememberPlace(page);
      await page.reload();
      await expectOnScreen(page, place);
      expect((await looks(page)).background, "the dark theme is kept").toBeLessThan(0.2);
      return place;
    });

  await test.step("another device, its browser in the other language, opens the book at the same place", async () => {
    const otherLanguage = language === "ru" ? "en" : "ru";
    const device = await newDevice({ locale: otherLanguage === "ru" ? "ru-RU" : "en-GB" });
    const other = await device.newPage();
    // Signing in happens in the browser's language; then the profile's language takes over.
    await other.goto("/sign-in");
    await fillSignIn(other, UI[otherLanguage], account);
    await expectLibrary(other, ui);
    await other
      .getByRole("list", { name: ui.books })
      .getByRole("link", { name: PUSHKIN_FB2.title })
      .click();
    await other.getByRole("link", { name: ui.continueReading }).click();
    await expectOnScreen(other, place);
    // The reader's settings live in the profile: this device reads dark, in the larger text.
    expect(await looks(other)).toEqual(settings);
  });

  await test.step("sign out", async () => {
    await page.getByRole("link", { name: ui.backToLibrary }).click();
    await page.getByRole("button", { name: ui.signOut }).click();
    await expect(page.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
    // Signed out for good: a reload does not bring the session back.
    await page.reload();
    await expect(page.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

type Turns = { next: () => Promise<void>; previous: () => Promise<void> };

/** Forward twice, back once: the screen moves on, then shows again what it showed before. */
/**
 * A row's history, as a reader watching it would judge it: it showed progress before it was
 * ready, once ready it stayed ready, and whenever it said passages were being found the book
 * could already be opened, with a processing bar. (How many intermediate states a row shows
 * depends on how fast the server is: a small book can be ready between two polls.)
 */
function expectLiveStates(history: RowState[], ui: Ui, title: string): void {
  const ready = (state: RowState) => state.text.includes(ui.uploadReady);
  const firstReady = history.findIndex(ready);
  const summary = history.map((state) => state.text).join(" | ");
  expect(firstReady, `never ready: ${summary}`).toBeGreaterThan(0);
  expect(
    history.slice(0, firstReady).some((state) => state.bars.length > 0),
    summary,
  ).toBe(true);
  expect(history.slice(firstReady).every(ready), `went back after ready: ${summary}`).toBe(true);
  const finding = new RegExp(ui.findingPassages.source.replace(/^\^|\$$/g, ""));
  for (const state of history.filter((candidate) => finding.test(candidate.text))) {
    expect(state.readable, `finding passages but not readable: ${state.text}`).toBe(true);
    expect(state.bars).toContain(ui.processing(title));
  }
}

async function turnPages(page: Page, turn: Turns): Promise<void> {
  await rememberPlace(page); // the text is on screen
  const first = await currentView(page);
  await turn.next();
  const second = await expectMovedFrom(page, first);
  const shown = await rememberPlace(page);
  await turn.next();
  const third = await expectMovedFrom(page, second);
  await turn.previous();
  await expectMovedFrom(page, third);
  await expectOnScreen(page, shown);
}

async function openSettings(page: Page, ui: Ui): Promise<void> {
  await page.getByRole("button", { name: ui.settings }).click();
}

/** Opens the reader's settings, picks the option named `name`, closes them again. */
async function chooseSetting(page: Page, ui: Ui, name: string): Promise<void> {
  await openSettings(page, ui);
  await page.getByRole("radio", { name, exact: true }).check();
  await page.keyboard.press("Escape");
}

/** The page's background lightness (0 black … 1 white) and the text's font size in px. */
async function looks(page: Page): Promise<{ background: number; fontSize: number }> {
  return page.evaluate(() => {
    const paragraph = document.querySelector<HTMLElement>("main [data-p]");
    let element: HTMLElement | null = paragraph;
    let colour = "rgba(0, 0, 0, 0)";
    while (element) {
      colour = getComputedStyle(element).backgroundColor;
      if (!/rgba\(.*, 0\)$/.test(colour) && colour !== "transparent") break;
      element = element.parentElement;
    }
    const [r = 255, g = 255, b = 255] = (colour.match(/[\d.]+/g) ?? []).map(Number);
    const background = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    const fontSize = paragraph ? parseFloat(getComputedStyle(paragraph).fontSize) : 0;
    return { background, fontSize };
  });
}

/** The values the progress bar shows until it goes away (the bytes are all sent). */
async function watchProgress(bar: Locator): Promise<number[]> {
  const seen: number[] = [];
  await expect
    .poll(
      async () => {
        // count() does not wait: 0 means the upload is over (React swaps the row's parts in
        // one commit, so there is no gap between one phase's bar and the next).
        const value =
          (await bar.count()) === 0
            ? null
            : await bar.getAttribute("aria-valuenow").catch(() => null);
        if (value === null) return "gone";
        if (Number(value) !== seen.at(-1)) seen.push(Number(value));
        return "uploading";
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBe("gone");
  return seen;
}
