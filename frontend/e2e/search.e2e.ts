/**
 * Full-text search: in the library, an inflected form of a Russian word finds the book and its
 * passages; a hit opens the reader at it, with the hit marked on screen; the reader's own search
 * (ё written as е), typed as soon as its drawer opens, lists hits with snippets and steps from one
 * to the next, each marked.
 */
import type { Page } from "@playwright/test";
import { register } from "./support/account";
import { apiAs, paragraphAt } from "./support/api";
import { CHEKHOV_EPUB, uploadByInput } from "./support/books";
import { expect, test } from "./support/fixtures";
import { expectParagraphOnScreen } from "./support/reader-place";
import { SEARCH_UI } from "./support/ui-search";

type Mark = { text: string; onScreen: boolean } | null;

/** The hit marked as current in the reader (CSS Custom Highlight `search-current`). */
function currentMark(page: Page): Promise<Mark> {
  return page.evaluate(() => {
    const registry = (CSS as unknown as { highlights?: Map<string, Set<Range>> }).highlights;
    const range = [...(registry?.get("search-current") ?? [])][0];
    if (!range) return null;
    const rect = range.getBoundingClientRect();
    const onScreen =
      rect.width > 0 &&
      rect.left >= 0 &&
      rect.right <= window.innerWidth &&
      rect.top >= 0 &&
      rect.bottom <= window.innerHeight;
    return { text: range.toString(), onScreen };
  });
}

async function expectMarkedOnScreen(page: Page, stem: RegExp, message: string): Promise<string> {
  let text = "";
  await expect
    .poll(
      async () => {
        const mark = await currentMark(page);
        text = mark?.text ?? "";
        return mark !== null && mark.onScreen && stem.test(text.toLowerCase());
      },
      { message, timeout: 15_000 },
    )
    .toBe(true);
  return text;
}

test("a Russian word's other form finds the passage and opens the reader at it, marked", async ({
  page,
  ui,
  language,
}) => {
  test.setTimeout(120_000);
  const names = SEARCH_UI[language];
  const credentials = await register(page, ui);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  const api = await apiAs(page.request, credentials);
  await expect
    .poll(
      async () => {
        const books = await api.get<{ items: { title: string; state: string }[] }>("/books");
        return books.items.find((book) => book.title === CHEKHOV_EPUB.title)?.state ?? "";
      },
      { message: "the book is parsed", timeout: 60_000 },
    )
    .toMatch(/^(parsed|extracting|ready)$/);

  // An inflected form of the dog's name: the stemmer finds the others.
  await page.reload();
  const search = page.getByRole("search").filter({ has: page.getByLabel(names.libraryField) });
  await search.getByLabel(names.libraryField).fill("Каштанкой");
  await search.getByRole("button", { name: names.submit }).click();
  const hit = page.getByRole("link", { name: names.openHit(CHEKHOV_EPUB.title) }).first();
  await expect(hit).toBeVisible();
  const href = new URL((await hit.getAttribute("href"))!, "http://x");
  const chapter = Number(href.searchParams.get("chapter"));
  const offset = Number(href.searchParams.get("offset"));
  await hit.click();

  await expect(page).toHaveURL(/\/books\/[^/]+\/read/);
  const book = href.pathname.split("/")[2]!;
  await expectParagraphOnScreen(
    page,
    await paragraphAt(api, book, chapter, offset),
    "the hit's paragraph is on screen",
  );
  await expectMarkedOnScreen(page, /^каштанк/, "the hit is marked where the reader opened");

  // The reader's own search: «тетку» (е for ё) finds «Тётка» in its forms, hit after hit.
  // The drawer opens ready to type: the words replace the query the reader came with (the
  // library's), Enter searches.
  await page.getByRole("button", { name: names.openSearch }).click();
  const drawer = page.getByRole("dialog", { name: names.openSearch });
  await expect(drawer.getByLabel(names.field)).toBeFocused();
  await expect(drawer.getByLabel(names.field)).toHaveValue("Каштанкой");
  await page.keyboard.type("тетку");
  await page.keyboard.press("Enter");
  await expect(drawer.getByRole("status")).toHaveText(names.resultCount);
  const results = drawer.getByRole("list", { name: names.results }).getByRole("button");
  expect(await results.count()).toBeGreaterThan(2);
  await expect(results.nth(1).locator("mark").first()).toHaveText(/^т[её]тк/i);
  await results.nth(1).click();
  await expect(drawer).toBeHidden();
  const second = await expectMarkedOnScreen(page, /^т[её]тк/, "the chosen hit is marked");

  const bar = page.getByRole("toolbar", { name: names.bar });
  await bar.getByRole("button", { name: names.next }).click();
  await expect
    .poll(async () => (await currentMark(page))?.onScreen ?? false, { timeout: 15_000 })
    .toBe(true);
  await expectMarkedOnScreen(page, /^т[её]тк/, "the next hit is marked");
  await bar.getByRole("button", { name: names.previous }).click();
  expect(await expectMarkedOnScreen(page, /^т[её]тк/, "back at the chosen hit")).toBe(second);
});
