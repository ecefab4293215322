/**
 * Footnotes open in place: T. S. Eliot's The Waste Land (EPUB 3, 50 note references to rear
 * notes) — the note's text shows next to the verse, and goes away again, without leaving the page.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { register } from "./support/account";
import { uploadByInput, WASTELAND_EPUB } from "./support/books";
import { currentView, expectMovedFrom, onScreen, rememberPlace } from "./support/reader";

const LINE_20 = "Out of this stony rubbish? Son of man,";

async function shows(page: Page, text: string): Promise<boolean> {
  return (await onScreen(page)).visible.some((paragraph) => paragraph.text.includes(text));
}

test("a note reference opens its footnote as a popover", async ({ page, ui }) => {
  await register(page, ui);
  await uploadByInput(page, ui, WASTELAND_EPUB);
  const row = page.getByRole("region", { name: ui.uploadRegion }).getByRole("listitem").filter({
    hasText: WASTELAND_EPUB.name,
  });
  await row.getByRole("link", { name: ui.open(WASTELAND_EPUB.title) }).click({ timeout: 60_000 });
  await page.getByRole("link", { name: ui.startReading }).click();

  // Line 20, "Out of this stony rubbish? Son of man,*": the first reference, on an early page.
  const verse = page.getByRole("main").getByText(LINE_20);
  const next = page.getByRole("button", { name: ui.nextPage });
  await expect(next).toBeVisible();
  await rememberPlace(page); // the text is on screen
  let view = await currentView(page);
  for (let turn = 0; turn < 15 && !(await shows(page, LINE_20)); turn += 1) {
    await next.click();
    view = await expectMovedFrom(page, view);
  }
  await expect(verse).toBeInViewport();
  const url = page.url();

  const note = page.getByRole("dialog");
  await expect(note).toHaveCount(0);
  await verse.getByRole("link").first().click();
  await expect(note).toBeVisible();
  await expect(note).toContainText("Cf. Ezekiel 2:1.");
  await expect(note).toBeInViewport();
  expect(page.url(), "the note opens in place, the reader stays on its page").toBe(url);

  await page.keyboard.press("Escape");
  await expect(note).toBeHidden();
  await expect(verse).toBeInViewport();
});
