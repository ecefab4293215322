/**
 * Finding one's way in a book, on T. S. Eliot's The Waste Land (EPUB 3, 50 note references to
 * rear notes, five sections): a footnote opens in place and goes away again without leaving the
 * page; the contents drawer goes to a section and marks where the reader is.
 */
import type { Page, Response } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { register } from "./support/account";
import { uploadByInput, uploadRow, WASTELAND_EPUB } from "./support/books";
import { currentView, expectMovedFrom, onScreen, rememberPlace } from "./support/reader";
import type { Ui } from "./support/ui";

const LINE_20 = "Out of this stony rubbish? Son of man,";

/**
 * A new reader adds The Waste Land and starts reading it; returns the API's first answer to
 * "where was I in this book?".
 */
async function openWasteLand(page: Page, ui: Ui): Promise<Response> {
  await register(page, ui);
  await uploadByInput(page, ui, WASTELAND_EPUB);
  const firstPosition = page.waitForResponse(
    (answer) =>
      answer.request().method() === "GET" &&
      /^\/api\/books\/[^/]+\/position$/.test(new URL(answer.url()).pathname),
  );
  await uploadRow(page, ui, WASTELAND_EPUB)
    .getByRole("link", { name: ui.open(WASTELAND_EPUB.title) })
    .click({ timeout: 60_000 });
  await page.getByRole("link", { name: ui.startReading }).click();
  return firstPosition;
}

async function shows(page: Page, text: string): Promise<boolean> {
  return (await onScreen(page)).visible.some((paragraph) => paragraph.text.includes(text));
}

test("a note reference opens its footnote as a popover", async ({ page, ui }) => {
  await openWasteLand(page, ui);

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

test("the contents drawer goes to a section and marks where the reader is", async ({
  page,
  ui,
}) => {
  // A book never opened has no saved place: an ordinary answer (null), not a failed request
  // that the browser would log as an error.
  const position = await openWasteLand(page, ui);
  expect(position.status()).toBe(200);
  expect(await position.json()).toBeNull();
  await rememberPlace(page);

  await page.getByRole("button", { name: ui.contents }).click();
  const contents = page.getByRole("dialog", { name: ui.contents });
  await contents.getByRole("button", { name: "III. THE FIRE SERMON" }).click();
  await expect(contents).toBeHidden();
  await expect(page.getByRole("main").getByText("The river's tent is broken")).toBeInViewport();

  // One page on, the page starts inside section III: the contents say so.
  const view = await currentView(page);
  await page.getByRole("button", { name: ui.nextPage }).click();
  await expectMovedFrom(page, view);
  await page.getByRole("button", { name: ui.contents }).click();
  await expect(contents.getByRole("button", { name: "III. THE FIRE SERMON" })).toHaveAttribute(
    "aria-current",
    "location",
  );
  await expect(contents.locator("[aria-current]")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(contents).toBeHidden();
});
