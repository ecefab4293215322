/**
 * Highlights and notes, on The Waste Land: select a line in the reader → the toolbar → a note
 * in Markdown → saved; after a reload the line is still highlighted and the panel lists it with
 * its note rendered (never its HTML); the export downloads a Markdown file with the quote and
 * the note under the chapter's heading.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { register } from "./support/account";
import { apiAs } from "./support/api";
import { uploadByInput, uploadRow, WASTELAND_EPUB } from "./support/books";
import { expect, test } from "./support/fixtures";
import { rememberPlace } from "./support/reader";
import { ANNOTATIONS } from "./support/ui-annotations";

/** Selects the first words (about 20 characters) of the first paragraph on screen, as a mouse
 * drag would; the words selected. */
async function selectWords(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clip = document.querySelector("main")!.getBoundingClientRect();
    const paragraph = [...document.querySelectorAll("main [data-p]")].find((element) => {
      const box = element.getBoundingClientRect();
      const text = element.textContent ?? "";
      return (
        text.trim().length > 30 &&
        box.left >= clip.left &&
        box.right <= clip.right &&
        box.top >= clip.top &&
        box.bottom <= clip.bottom
      );
    })!;
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode() as Text | null;
    while (node && node.data.trim().length < 20) node = walker.nextNode() as Text | null;
    const start = node!.data.search(/\S/);
    const end = node!.data.indexOf(" ", start + 15);
    const range = document.createRange();
    range.setStart(node!, start);
    range.setEnd(node!, end > 0 ? end : node!.data.length);
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    return range.toString();
  });
}

test("select → highlight with a note → reload → still there → export it as Markdown", async ({
  page,
  ui,
  language,
}) => {
  test.setTimeout(120_000);
  const names = ANNOTATIONS[language];
  const credentials = await register(page, ui);
  await uploadByInput(page, ui, WASTELAND_EPUB);
  await uploadRow(page, ui, WASTELAND_EPUB)
    .getByRole("link", { name: ui.open(WASTELAND_EPUB.title) })
    .click({ timeout: 60_000 });
  await page.getByRole("link", { name: ui.startReading }).click();
  await rememberPlace(page); // the chapter's text is on screen

  const words = await selectWords(page);
  const toolbar = page.getByRole("toolbar", { name: names.toolbar });
  await expect(toolbar).toBeVisible();
  await toolbar.getByRole("button", { name: names.addNote }).click();
  const note = "A *stony* line. <script>window.noted = 1</script>";
  await page.getByRole("textbox", { name: names.noteField }).fill(note);
  await page.getByRole("button", { name: names.saveNote }).click();
  await expect(page.getByRole("textbox", { name: names.noteField })).toBeHidden();

  // The API has it exactly as selected, offsets and all.
  const api = await apiAs(page.request, credentials);
  const book = (await api.get<{ items: { id: string; title: string }[] }>("/books")).items.find(
    (item) => item.title === WASTELAND_EPUB.title,
  )!;
  const saved = await api.get<{ items: { quote: string; note: string }[] }>(
    `/books/${book.id}/highlights`,
  );
  expect(saved.items.map((item) => [item.quote, item.note])).toEqual([[words.trim(), note]]);

  await page.reload();
  await rememberPlace(page);
  // Drawn over the text again (the page's CSS highlights hold the words).
  await expect
    .poll(() =>
      page.evaluate(() => {
        const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
        return [...(registry.get("annotation-yellow") ?? [])].map((range) => range.toString());
      }),
    )
    .toEqual([words.trim()]);

  await page.getByRole("button", { name: names.panel }).click();
  const panel = page.getByRole("dialog", { name: names.panel });
  const listed = panel.getByRole("region", { name: names.highlights }).getByRole("listitem");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText(words.trim());
  await expect(listed.locator("em")).toHaveText("stony"); // Markdown rendered…
  expect(await page.evaluate(() => (window as { noted?: number }).noted)).toBeUndefined();
  await expect(listed.locator("script")).toHaveCount(0); // …its HTML never

  const downloading = page.waitForEvent("download");
  await panel.getByRole("button", { name: names.exportMarkdown }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.md$/);
  const markdown = await readFile((await download.path())!, "utf-8");
  expect(markdown).toMatch(new RegExp(`^# ${WASTELAND_EPUB.title}`, "m"));
  expect(markdown).toContain(`> ${words.trim()}`);
  expect(markdown).toContain("A *stony* line.");
  expect(markdown).toMatch(/^## /m);
});

test("“Illustrate this passage” draws the selected words into the chapter", async ({
  page,
  ui,
  language,
}) => {
  test.setTimeout(120_000);
  const names = ANNOTATIONS[language];
  await register(page, ui);
  await uploadByInput(page, ui, WASTELAND_EPUB);
  await uploadRow(page, ui, WASTELAND_EPUB)
    .getByRole("link", { name: ui.open(WASTELAND_EPUB.title) })
    .click({ timeout: 60_000 });
  await page.getByRole("link", { name: ui.startReading }).click();
  await rememberPlace(page);

  await selectWords(page);
  const toolbar = page.getByRole("toolbar", { name: names.toolbar });
  await toolbar.getByRole("button", { name: names.illustrate }).click();
  // The local `sketch` provider draws it; the picture stands in the chapter once ready.
  const picture = page.getByRole("main").getByRole("figure").getByRole("img");
  await expect(picture).toHaveCount(1, { timeout: 60_000 });
  await expect
    .poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth), {
      timeout: 30_000,
    })
    .toBeGreaterThan(0);
});
