/**
 * Export: from the book's page, "Download illustrated EPUB" shows the build going on, then a link
 * that saves the EPUB — a real EPUB file, named after the book.
 */
import { readFileSync } from "node:fs";
import { register } from "./support/account";
import { apiAs } from "./support/api";
import { CHEKHOV_EPUB, uploadByInput } from "./support/books";
import { expect, test } from "./support/fixtures";
import { ELSEWHERE } from "./support/ui-elsewhere";

test("the book page downloads the book as an EPUB", async ({ page, ui, language }) => {
  test.setTimeout(60_000);
  const names = ELSEWHERE[language];
  const credentials = await register(page, ui);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  const api = await apiAs(page.request, credentials);
  // Read in is enough: an export needs the parsed book, not the passages still being found.
  let bookId = "";
  await expect
    .poll(
      async () => {
        const books = await api.get<{ items: { id: string; title: string; state: string }[] }>(
          "/books",
        );
        const found = books.items.find((book) => book.title === CHEKHOV_EPUB.title);
        bookId = found?.id ?? "";
        return ["parsed", "extracting", "ready"].includes(found?.state ?? "");
      },
      { message: "the book is read in", timeout: 30_000, intervals: [500] },
    )
    .toBe(true);

  await page.goto(`/books/${bookId}`);
  await page.getByRole("button", { name: names.downloadEpub }).click();
  const save = page.getByRole("link", { name: names.saveEpub });
  await expect(save).toBeVisible({ timeout: 30_000 });

  const downloading = page.waitForEvent("download");
  await save.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`${CHEKHOV_EPUB.title}.epub`);
  const file = readFileSync(await download.path());
  expect(file.subarray(0, 2).toString()).toBe("PK");
  // The first entry of an EPUB is its media type, stored uncompressed.
  expect(file.subarray(30, 58).toString()).toBe("mimetypeapplication/epub+zip");
});
