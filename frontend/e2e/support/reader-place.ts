/** The reader opened at a place: that chapter's paragraph is on screen (by index and by text). */
import { expect, type Page } from "@playwright/test";
import { onScreen } from "./reader";

export async function expectParagraphOnScreen(
  page: Page,
  paragraph: { index: number; text: string },
  message: string,
): Promise<void> {
  const opening = paragraph.text.replace(/\s+/g, " ").trim().slice(0, 30);
  await expect
    .poll(
      async () => {
        const seen = (await onScreen(page)).visible.find((p) => p.index === paragraph.index);
        return seen?.text.slice(0, 30) ?? null;
      },
      { message, timeout: 15_000 },
    )
    .toBe(opening);
}
