/**
 * The gallery: a picture made through the API (the local `sketch` provider) shows in the book's
 * gallery and in the library's recent strip; clicking it opens the reader at its paragraph.
 */
import { register } from "./support/account";
import { apiAs, descriptions, illustrate, paragraphAt, readyBook } from "./support/api";
import { CHEKHOV_EPUB, uploadByInput } from "./support/books";
import { expect, test } from "./support/fixtures";
import { expectParagraphOnScreen } from "./support/reader-place";
import { ELSEWHERE } from "./support/ui-elsewhere";

test("a picture in the gallery opens the reader at its passage", async ({ page, ui, language }) => {
  test.setTimeout(360_000);
  const names = ELSEWHERE[language];
  const credentials = await register(page, ui);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  const api = await apiAs(page.request, credentials);
  const book = await readyBook(api, CHEKHOV_EPUB.title);

  // A passage well inside a later chapter, so "opens at the passage" is not the chapter's start.
  const found = await descriptions(api, book.id);
  const chapters = [...new Set(found.map((d) => d.chapter))].sort((a, b) => a - b);
  const later = found.filter((d) => d.chapter === chapters[Math.min(1, chapters.length - 1)]);
  const passage = later.at(-1)!;
  await illustrate(api, passage.id);
  const paragraph = await paragraphAt(api, book.id, passage.chapter, passage.start);

  await page.goto(`/books/${book.id}`);
  await page.getByRole("link", { name: names.gallery, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: names.gallery })).toBeVisible();
  const words = passage.text.replace(/\s+/g, " ").trim().slice(0, 20);
  const picture = page.getByRole("img", { name: names.pictureOf(words) });
  await expect(picture).toBeVisible();
  // The thumbnail really loaded (not a broken image with the right alt text).
  await expect
    .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);

  await picture.click();
  // (The reader tidies its address once it has opened at the link's place.)
  await expect(page).toHaveURL(new RegExp(`/books/${book.id}/read`));
  await expectParagraphOnScreen(
    page,
    paragraph,
    `paragraph ${paragraph.index} of chapter ${passage.chapter} is on screen`,
  );

  // The library shows it among the recent illustrations, linking to the same place.
  await page.goto("/");
  const strip = page.getByRole("region", { name: names.recent });
  await expect(strip.getByRole("img")).toHaveCount(1);
  await expect(strip.getByRole("link")).toHaveAttribute(
    "href",
    `/books/${book.id}/read?chapter=${passage.chapter}${passage.start ? `&offset=${passage.start}` : ""}`,
  );
});
