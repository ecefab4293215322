/**
 * What is on the reader's screen, measured the way a person sees it: which of the book's
 * paragraphs (the chapter's text blocks, marked data-p by the API) are inside the window and
 * not clipped away by the page they sit on (paginated mode hides the other columns).
 */
import { expect, type Page } from "@playwright/test";
import type { Ui } from "./ui";

export type Paragraph = { index: number; text: string };

/**
 * Paragraphs on screen (any part of them), in book order; `view` tells one screenful from
 * another even when a long paragraph fills both (it holds where the visible paragraphs sit).
 */
type Seen = { visible: Paragraph[]; view: string };

export async function onScreen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    // The window, and every ancestor that hides its overflow (the page in paginated mode).
    function clipsOf(
      element: HTMLElement,
    ): { top: number; left: number; bottom: number; right: number }[] {
      const clips = [{ top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth }];
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX !== "visible" || style.overflowY !== "visible")
          clips.push(parent.getBoundingClientRect());
      }
      return clips;
    }
    const blocks = [...document.querySelectorAll<HTMLElement>("main [data-p]")];
    const visible: { index: number; text: string }[] = [];
    const places: string[] = [];
    for (const block of blocks) {
      const text = (block.innerText || "").replace(/\s+/g, " ").trim();
      if (text.length < 2) continue;
      // Across columns a paragraph has one box per fragment: visible if any fragment is.
      const clips = clipsOf(block);
      const area = block.getBoundingClientRect();
      const shown = [...block.getClientRects()].some((rect) => {
        const top = Math.max(rect.top, ...clips.map((clip) => clip.top));
        const left = Math.max(rect.left, ...clips.map((clip) => clip.left));
        const bottom = Math.min(rect.bottom, ...clips.map((clip) => clip.bottom));
        const right = Math.min(rect.right, ...clips.map((clip) => clip.right));
        return bottom - top >= 4 && right - left >= 4;
      });
      if (!shown || getComputedStyle(block).visibility === "hidden") continue;
      const paragraph = { index: Number(block.dataset.p), text };
      visible.push(paragraph);
      places.push(`${paragraph.index}@${Math.round(area.left)},${Math.round(area.top)}`);
    }
    return { visible, view: places.join(" ") };
  });
}

/**
 * Where the reader is: the paragraph the screen starts in (maybe only its end is visible, the
 * rest on the page before). A saved position names a place in this paragraph, so coming back,
 * here or on another device, must show it again.
 */
export async function rememberPlace(page: Page): Promise<Paragraph> {
  let place: Paragraph | undefined;
  await expect
    .poll(
      async () => {
        place = (await onScreen(page)).visible[0];
        return place?.text ?? "";
      },
      { message: "a paragraph of the book is on screen" },
    )
    .not.toBe("");
  return place!;
}

/** Waits until `paragraph` is on screen (at least partly). */
export async function expectOnScreen(
  page: Page,
  paragraph: Paragraph,
  timeout = 15_000,
): Promise<void> {
  await expect
    .poll(async () => (await onScreen(page)).visible.map((seen) => seen.text), {
      message: `“${paragraph.text.slice(0, 60)}…” is on screen`,
      timeout,
    })
    .toContain(paragraph.text);
}

/**
 * What the screen shows once it holds still (web fonts loaded, the page laid out, a turn's
 * transition over): read until two readings in a row agree.
 */
export async function currentView(page: Page): Promise<string> {
  return settle(page, () => true, "the page holds still");
}

/** Waits until the screen shows, and holds, something else than `before`; returns it. */
export async function expectMovedFrom(page: Page, before: string): Promise<string> {
  return settle(page, (view) => view !== before, "the page turned");
}

async function settle(
  page: Page,
  wanted: (view: string) => boolean,
  message: string,
): Promise<string> {
  let last: string | null = null;
  let settled = "";
  await expect
    .poll(
      async () => {
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const view = (await onScreen(page)).view;
        const still = view === last && view !== "" && wanted(view);
        last = view;
        if (still) settled = view;
        return still;
      },
      { message, intervals: [100, 150, 250] },
    )
    .toBe(true);
  return settled;
}

/** Каштанка's chapters by index (CHEKHOV_EPUB: one content document each, so chapter i is
 * KOReader's DocFragment[i + 1]); the titles are Russian whatever the interface's language. */
export const KASHTANKA_CHAPTERS = [
  "Глава первая. Дурное поведение",
  "Глава вторая. Таинственный незнакомец",
  "Глава третья. Новое, очень приятное знакомство",
  "Глава четвертая. Чудеса в решете",
  "Глава пятая. Талант! Талант!",
  "Глава шестая. Беспокойная ночь",
];

/** Opens a chapter of Каштанка from the contents, as a reader does. */
export async function openChapter(page: Page, ui: Ui, index: number): Promise<void> {
  await page.getByRole("button", { name: ui.contents }).click();
  const contents = page.getByRole("dialog", { name: ui.contents });
  await contents.getByRole("button", { name: KASHTANKA_CHAPTERS[index] }).click();
  await expectChapter(page, index);
}

/** The reader's bar names the chapter on screen. */
export async function expectChapter(page: Page, index: number): Promise<void> {
  await expect(
    page.getByRole("banner").getByText(KASHTANKA_CHAPTERS[index]!, { exact: true }),
  ).toBeVisible();
}
