/**
 * The cast page never spoils: it lists who the reader has met up to the saved position's chapter
 * and hides those first seen further on, until the reader gets there.
 */
import { register } from "./support/account";
import { apiAs, paragraphAt, readyBook } from "./support/api";
import { CHEKHOV_EPUB, uploadByInput } from "./support/books";
import { expect, test } from "./support/fixtures";
import { expectParagraphOnScreen } from "./support/reader-place";
import { ELSEWHERE } from "./support/ui-elsewhere";

type Member = { kind: string; name: string; first_chapter: number; first_offset: number };

test("the cast shows who the reader has met and hides who comes later", async ({
  page,
  ui,
  language,
}) => {
  test.setTimeout(360_000);
  const names = ELSEWHERE[language];
  const credentials = await register(page, ui);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  const api = await apiAs(page.request, credentials);
  const book = await readyBook(api, CHEKHOV_EPUB.title);

  const everyone = (await api.get<{ items: Member[] }>(`/books/${book.id}/cast?unread=true`)).items;
  const chapters = [...new Set(everyone.map((member) => member.first_chapter))].sort(
    (a, b) => a - b,
  );
  expect(chapters.length, "members first met in different chapters").toBeGreaterThan(1);
  const reached = chapters[0]!;
  const met = everyone.filter((member) => member.first_chapter <= reached);
  const later = everyone.filter((member) => member.first_chapter > reached);
  // The reader is in the chapter where the first of them appears.
  await api.send("PUT", `/books/${book.id}/position`, { chapter: reached, offset: 0 });

  await page.goto(`/books/${book.id}`);
  await page.getByRole("link", { name: names.cast, exact: true }).click();
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { level: 1, name: names.cast })).toBeVisible();
  for (const member of met) {
    await expect(
      main.getByRole("heading", { level: 3, name: member.name, exact: true }),
    ).toBeVisible();
  }
  for (const member of later) {
    await expect(
      main.getByRole("heading", { level: 3, name: member.name, exact: true }),
    ).toHaveCount(0);
  }
  await expect(main.getByText(names.moreLater)).toBeVisible();

  // Once the reader has reached the next of them, they join the cast.
  const next = later.find((member) => member.first_chapter === chapters[1])!;
  await api.send("PUT", `/books/${book.id}/position`, { chapter: chapters[1], offset: 0 });
  await page.reload();
  await expect(main.getByRole("heading", { level: 3, name: next.name, exact: true })).toBeVisible();

  // A first appearance opens the reader at that place (last: the reader saves positions).
  const first = met[0]!;
  const place = await paragraphAt(api, book.id, first.first_chapter, first.first_offset);
  await main.getByRole("link", { name: names.firstSeenLabel(first.name) }).click();
  await expect(page).toHaveURL(new RegExp(`/books/${book.id}/read`));
  await expectParagraphOnScreen(
    page,
    place,
    `the paragraph where ${first.name} first appears is on screen`,
  );
});
