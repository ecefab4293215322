/**
 * Pictures where they are read, on Chekhov's Kashtanka (EPUB 3) with the local `sketch`
 * provider: the passages the extractor found are underlined at their exact places; a click on
 * one opens its card, "Illustrate" puts the picture after the paragraph where the passage ends
 * (in pages and in scroll), and its menu redraws and deletes it. Automatic mode draws the
 * chapter's pictures unasked, and nothing beyond the saved position + N chapters.
 */
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { register } from "./support/account";
import { CHEKHOV_EPUB, uploadByInput, uploadRow } from "./support/books";
import { currentView } from "./support/reader";
import type { Ui } from "./support/ui";

type Description = {
  id: string;
  chapter: number;
  start: number;
  end: number;
  type: string;
  confidence: number;
  text: string;
};

const TYPE_NAMES: Record<string, string> = {
  location: "Place",
  character: "Character",
  atmosphere: "Atmosphere",
  object: "Object",
  action: "Action",
};

/** The API as the signed-in person (a fresh access token from the session's refresh cookie). */
async function apiGet<T>(request: APIRequestContext, path: string): Promise<T> {
  const refreshed = await request.post("/api/auth/refresh");
  expect(refreshed.ok()).toBe(true);
  const { access_token: token } = (await refreshed.json()) as { access_token: string };
  const response = await request.get(`/api/${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.ok(), `GET ${path}`).toBe(true);
  return (await response.json()) as T;
}

/** A new reader adds Kashtanka and waits until its passages are found; returns the book's id. */
async function addKashtanka(page: Page, ui: Ui): Promise<string> {
  await register(page, ui);
  await uploadByInput(page, ui, CHEKHOV_EPUB);
  const row = uploadRow(page, ui, CHEKHOV_EPUB);
  await expect(row.getByText(ui.uploadReady)).toBeVisible({ timeout: 150_000 });
  await row.getByRole("link", { name: ui.open(CHEKHOV_EPUB.title) }).click();
  await expect(page).toHaveURL(/\/books\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1)!;
}

/** The book's first chapter that has passages (sure enough for automatic mode too). */
async function chapterWithPassages(
  request: APIRequestContext,
  bookId: string,
): Promise<{ chapter: number; descriptions: Description[] }> {
  const page = await apiGet<{ items: Description[] }>(
    request,
    `books/${bookId}/descriptions?limit=500&min_confidence=0.6`,
  );
  const chapter = Math.min(...page.items.map((item) => item.chapter));
  expect(Number.isFinite(chapter), "the extractor found passages").toBe(true);
  const all = await apiGet<{ items: Description[] }>(
    request,
    `books/${bookId}/descriptions?chapter=${chapter}&limit=500`,
  );
  return { chapter, descriptions: all.items };
}

/** The marks on the page: each highlight's ranges, as text, by passage type. */
function markedTexts(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const result: Record<string, string[]> = {};
    for (const [name, highlight] of CSS.highlights) {
      result[name] = [...highlight].map((range) => {
        // The passage's text the way the server counts it: note markers are not part of it.
        const copy = (range as Range).cloneContents();
        for (const marker of copy.querySelectorAll("[data-note], rt, rp")) marker.remove();
        return (copy.textContent ?? "").replace(/\s+/g, " ").trim();
      });
    }
    return result;
  });
}

/** The centre of a mark that is on screen now, with its text; null when none is. */
function visibleMark(page: Page): Promise<{ x: number; y: number; text: string } | null> {
  return page.evaluate(() => {
    const clip = document.querySelector(".reader-clip")!.getBoundingClientRect();
    for (const [, highlight] of CSS.highlights) {
      for (const range of highlight) {
        for (const rect of (range as Range).getClientRects()) {
          const x = rect.left + Math.min(rect.width / 2, 20);
          const y = rect.top + rect.height / 2;
          if (
            rect.width > 8 &&
            x > clip.left &&
            x < clip.right &&
            y > clip.top &&
            y < clip.bottom
          ) {
            return { x, y, text: (range as Range).toString() };
          }
        }
      }
    }
    return null;
  });
}

/** The figure of the passage and the paragraph it follows (its data-p). */
function figurePlace(page: Page): Promise<{ after: string | null; afterText: string } | null> {
  return page.evaluate(() => {
    const figure = document.querySelector("main figure.illustration");
    if (!figure) return null;
    const before = figure.previousElementSibling;
    const paragraph = before?.matches("[data-p]")
      ? before
      : before?.querySelector("[data-p]:last-of-type");
    return {
      after: paragraph?.getAttribute("data-p") ?? null,
      afterText: (before?.textContent ?? "").replace(/\s+/g, " "),
    };
  });
}

const normalise = (text: string) => text.replace(/\s+/g, " ").trim();
// Between paragraphs the text has a blank line where the DOM has a block boundary.
const squash = (text: string) => text.replace(/\s+/g, "");

test("a marked passage is illustrated in place, in pages and in scroll, redrawn and deleted", async ({
  page,
  ui,
}) => {
  test.skip(test.info().project.name !== "desktop-en", "desktop only");
  const bookId = await addKashtanka(page, ui);
  const { chapter, descriptions } = await chapterWithPassages(page.request, bookId);
  await page.goto(`/books/${bookId}/read?chapter=${chapter}&offset=0`);
  await currentView(page);

  await test.step("every passage of the chapter is marked at its exact text", async () => {
    await expect
      .poll(async () => Object.values(await markedTexts(page)).flat().length)
      .toBe(descriptions.length);
    const marked = await markedTexts(page);
    for (const description of descriptions) {
      const texts = marked[`passage-${description.type}`] ?? [];
      expect(texts.map(squash), `passage ${description.id}`).toContain(squash(description.text));
    }
  });

  let passage: Description | undefined;
  await test.step("a click on a mark opens its card; Illustrate draws it", async () => {
    let mark = await visibleMark(page);
    for (let turn = 0; turn < 10 && !mark; turn += 1) {
      await page.getByRole("button", { name: ui.nextPage }).click();
      await currentView(page);
      mark = await visibleMark(page);
    }
    expect(mark, "a marked passage on screen").not.toBeNull();
    await page.mouse.click(mark!.x, mark!.y);
    const card = page.getByRole("dialog");
    await expect(card).toBeVisible();
    const shownText = squash(await card.locator("blockquote").innerText());
    passage = descriptions.find((item) => squash(item.text) === shownText);
    expect(passage, "the card shows one of the chapter's passages").toBeDefined();
    await expect(page.getByRole("dialog", { name: TYPE_NAMES[passage!.type] })).toBeVisible();
    await card.getByLabel("Style").selectOption("ink sketch");
    await card.getByRole("button", { name: "Illustrate" }).click();
    await expect(card.getByText("The picture is in the text after this passage.")).toBeVisible({
      timeout: 60_000,
    });
    await card.getByRole("button", { name: "Show the picture" }).click();
    await expect(card).toBeHidden();
  });

  const figure = page.getByRole("main").getByRole("figure");
  const expectAfterItsParagraph = async () => {
    await expect(figure).toHaveCount(1);
    const picture = figure.getByRole("img");
    await expect(picture).toHaveAttribute("alt", /^Picture: /);
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await expect(figure).toContainText(normalise(passage!.text).slice(0, 40));
    const place = await figurePlace(page);
    const ending = normalise(passage!.text).slice(-25);
    expect(place?.afterText, "the figure follows the paragraph where its passage ends").toContain(
      ending,
    );
    await expect(figure).toBeInViewport();
  };

  await test.step("paginated: the figure follows its paragraph and is on screen", async () => {
    await expectAfterItsParagraph();
  });

  await test.step("scroll mode: the same place", async () => {
    await page.getByRole("button", { name: ui.settings }).click();
    const settings = page.getByRole("dialog", { name: ui.settings });
    await settings.getByRole("radio", { name: ui.scrollMode, exact: true }).check();
    await page.keyboard.press("Escape");
    await expect(settings).toBeHidden();
    await figure.scrollIntoViewIfNeeded();
    await expectAfterItsParagraph();
  });

  await test.step("the figure's menu redraws the picture", async () => {
    // The picture's object, not its link: a link is signed anew whenever the list is fetched.
    const pictureObject = async () =>
      new URL((await figure.getByRole("img").getAttribute("src")) ?? "", page.url()).pathname;
    const before = await pictureObject();
    await figure.getByRole("button", { name: "Picture options" }).click();
    await figure.getByRole("button", { name: "Redraw" }).click();
    await expect.poll(pictureObject, { timeout: 60_000 }).not.toBe(before);
    await expectAfterItsParagraph();
  });

  await test.step("…and deletes it, for good", async () => {
    await figure.getByRole("button", { name: "Picture options" }).click();
    await figure.getByRole("button", { name: "Delete picture" }).click();
    await page
      .getByRole("dialog", { name: "Delete this picture?" })
      .getByRole("button", { name: "Delete picture" })
      .click();
    await expect(figure).toHaveCount(0);
    const left = await apiGet<{ items: unknown[] }>(page.request, `books/${bookId}/illustrations`);
    expect(left.items).toHaveLength(0);
    await page.reload();
    await currentView(page);
    await expect(page.getByRole("main").getByRole("figure")).toHaveCount(0);
  });
});

test("automatic mode draws the chapter's pictures unasked, never beyond the position + N chapters", async ({
  page,
  ui,
}) => {
  test.skip(test.info().project.name !== "desktop-en", "desktop only");
  const bookId = await addKashtanka(page, ui);
  const { chapter } = await chapterWithPassages(page.request, bookId);
  await page.goto(`/books/${bookId}/read?chapter=${chapter}&offset=0`);
  await currentView(page);
  await expect(page.getByRole("main").getByRole("figure")).toHaveCount(0);

  await page.getByRole("button", { name: ui.settings }).click();
  const settings = page.getByRole("dialog", { name: ui.settings });
  await expect(settings.getByText(/pictures left today/)).toBeVisible();
  await settings.getByLabel("Chapters ahead").fill("1");
  await settings.getByLabel("Illustrate automatically as I read").check();
  await page.keyboard.press("Escape");

  // Nothing is clicked from here on: the pictures come by themselves.
  await expect
    .poll(() => page.getByRole("main").getByRole("figure").count(), { timeout: 90_000 })
    .toBeGreaterThan(0);
  await expect(page.getByRole("main").getByRole("figure").first().getByRole("img")).toHaveAttribute(
    "alt",
    /^Picture: /,
  );

  const position = await apiGet<{ chapter: number }>(page.request, `books/${bookId}/position`);
  expect(position.chapter).toBe(chapter);
  const book = await apiGet<{ chapters: unknown[] }>(page.request, `books/${bookId}`);
  for (let beyond = position.chapter + 2; beyond < book.chapters.length; beyond += 1) {
    const list = await apiGet<{ items: unknown[] }>(
      page.request,
      `books/${bookId}/illustrations?chapter=${beyond}`,
    );
    expect(list.items, `no picture for chapter ${beyond}`).toHaveLength(0);
  }
  // The quota line counts what automatic mode spent.
  await page.getByRole("button", { name: ui.settings }).click();
  await expect(settings.getByText(/pictures left today/)).toBeVisible();
});
