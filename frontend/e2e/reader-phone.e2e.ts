/**
 * The reader on a phone held upright (390 px): the top bar's six buttons leave room for a few
 * words only, and the chapter being read must still be told there whole, not cut to "Глава…";
 * the book page before it keeps its stacked buttons apart.
 */
import { register } from "./support/account";
import { CHEKHOV_EPUB, uploadByInput, uploadRow } from "./support/books";
import { expect, test } from "./support/fixtures";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("on a phone the book page keeps its buttons apart and the top bar names the chapter whole", async ({
  page,
  ui,
}) => {
  await register(page, ui);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  await uploadRow(page, ui, CHEKHOV_EPUB)
    .getByRole("link", { name: ui.open(CHEKHOV_EPUB.title) })
    .click({ timeout: 60_000 });

  // The book page's stacked buttons stand apart, not touching.
  const save = page.getByRole("button", { name: "Save the whole book for offline reading" });
  const download = page.getByRole("button", { name: "Download illustrated EPUB" });
  const above = (await save.boundingBox())!;
  const below = (await download.boundingBox())!;
  expect(below.y - (above.y + above.height), "space between the two buttons").toBeGreaterThan(8);

  await page.getByRole("link", { name: ui.startReading }).click();
  await expect(page.getByRole("button", { name: ui.nextPage })).toBeVisible();

  const bar = page.getByRole("banner");
  await expect(bar.getByRole("heading", { level: 1, name: CHEKHOV_EPUB.title })).toBeAttached();
  const chapter = bar.getByText("Глава первая. Дурное поведение", { exact: true });
  await expect(chapter).toBeVisible();
  // Every line of it is shown: nothing clipped off the end or below the last line.
  const clipped = await chapter.evaluate(
    (element) =>
      element.scrollWidth > element.clientWidth + 1 ||
      element.scrollHeight > element.clientHeight + 1,
  );
  expect(clipped, "the chapter's title is cut").toBe(false);
  const box = (await chapter.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
});
