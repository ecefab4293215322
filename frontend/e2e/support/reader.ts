/**
 * What is on the reader's screen, measured the way a person sees it: which of the book's
 * paragraphs (the chapter's text blocks, marked data-p by the API) are inside the window and
 * not clipped away by the page they sit on (paginated mode hides the other columns).
 */
import { expect, type Page } from "@playwright/test";

export type Paragraph = { index: number; text: string };

type Seen = { visible: Paragraph[]; whole: Paragraph[] };

/** Paragraphs on screen: `visible` (any part of them) and `whole` (entirely), in book order. */
export async function onScreen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const blocks = [...document.querySelectorAll<HTMLElement>("main [data-p]")];
    const visible: { index: number; text: string }[] = [];
    const whole: { index: number; text: string }[] = [];
    for (const block of blocks) {
      const text = (block.innerText || "").replace(/\s+/g, " ").trim();
      if (text.length < 2) continue;
      let { top, bottom, left, right } = block.getBoundingClientRect();
      const area = { top, bottom, left, right };
      // Clip by the window, then by every ancestor that hides its overflow.
      top = Math.max(top, 0);
      left = Math.max(left, 0);
      bottom = Math.min(bottom, window.innerHeight);
      right = Math.min(right, window.innerWidth);
      for (let parent = block.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === "visible" && style.overflowY === "visible") continue;
        const clip = parent.getBoundingClientRect();
        top = Math.max(top, clip.top);
        left = Math.max(left, clip.left);
        bottom = Math.min(bottom, clip.bottom);
        right = Math.min(right, clip.right);
      }
      const style = getComputedStyle(block);
      if (style.visibility === "hidden" || bottom - top < 4 || right - left < 4) continue;
      const paragraph = { index: Number(block.dataset.p), text };
      visible.push(paragraph);
      const tolerance = 1;
      if (
        top <= area.top + tolerance &&
        bottom >= area.bottom - tolerance &&
        left <= area.left + tolerance &&
        right >= area.right - tolerance
      ) {
        whole.push(paragraph);
      }
    }
    return { visible, whole };
  });
}

/** The first paragraph shown whole (what a person would remember as "where I was"). */
export async function rememberPlace(page: Page): Promise<Paragraph> {
  let place: Paragraph | undefined;
  await expect
    .poll(async () => {
      const seen = await onScreen(page);
      place = seen.whole[0] ?? seen.visible[0];
      return place?.text ?? "";
    }, { message: "a paragraph of the book is on screen" })
    .not.toBe("");
  return place!;
}

/** Waits until `paragraph` is on screen (at least partly). */
export async function expectOnScreen(page: Page, paragraph: Paragraph, timeout = 15_000): Promise<void> {
  await expect
    .poll(async () => (await onScreen(page)).visible.map((seen) => seen.text), {
      message: `“${paragraph.text.slice(0, 60)}…” is on screen`,
      timeout,
    })
    .toContain(paragraph.text);
}

/** Waits until the screen shows a different first paragraph than `before`. */
export async function expectMovedFrom(page: Page, before: Paragraph): Promise<Paragraph> {
  let now: Paragraph | undefined;
  await expect
    .poll(async () => {
      const seen = await onScreen(page);
      now = seen.whole[0] ?? seen.visible[0];
      return now?.text;
    }, { message: "the page turned" })
    .not.toBe(before.text);
  return now!;
}
