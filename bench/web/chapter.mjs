/** Click on a chapter in the reader's contents → its text painted, in ms on the page's clock.
 *
 * Cold: the reader is opened afresh at a short chapter each time, so the long chapter is
 * fetched, parsed and laid out after the click. Warm: in the same page, back and forth between
 * the two chapters, so the long one may come from the app's cache. */
import { paintAfter } from "./paint.mjs";
import { startTrace, stopTrace, workPerInput } from "./trace.mjs";

export function readerPath(book, chapter) {
  return `/books/${encodeURIComponent(book.id)}/read?chapter=${chapter.index}`;
}

/** The contents entry for `chapter` (the n-th entry with its label, as in the book's TOC). */
function tocEntry(page, chapter) {
  const name = { name: chapter.toc_label, exact: true };
  return page
    .getByRole("link", name)
    .or(page.getByRole("button", name))
    .or(page.getByRole("treeitem", name))
    .nth(chapter.toc_occurrence);
}

async function openChapterFromContents(page, chapter) {
  await page.getByRole("button", { name: "Contents" }).click();
  const entry = tocEntry(page, chapter);
  await entry.scrollIntoViewIfNeeded();
  return paintAfter(page, chapter, () => entry.click());
}

function timing(result) {
  if (result.click === null) throw new Error("the click was not seen by the page");
  return {
    to_mark_ms: result.mark === null ? null : result.mark - result.click,
    to_frame_ms: result.frame - result.click,
    to_text_ms: result.text === null ? null : result.text - result.click,
    to_response_ms: result.request === null ? null : result.request.end - result.click,
  };
}

/** Open the reader at `chapter` and wait until its text is painted (the watch is armed once
 * the new document exists, and finds the text if it is already there). */
export async function openReader(page, baseUrl, book, chapter) {
  await page.goto(`${baseUrl}${readerPath(book, chapter)}`);
  return paintAfter(page, chapter, async () => {});
}

export async function chapterClicks(context, baseUrl, book, { samples, log }) {
  const cold = [];
  const warm = [];
  for (let n = 0; n < samples; n += 1) {
    const page = await context.newPage();
    try {
      await openReader(page, baseUrl, book, book.start);
      cold.push(timing(await openChapterFromContents(page, book.long)));
      await openChapterFromContents(page, book.start);
      warm.push(timing(await openChapterFromContents(page, book.long)));
      log(`chapter click ${n + 1}/${samples}: cold ${cold.at(-1).to_frame_ms.toFixed(0)} ms`);
    } finally {
      await page.close();
    }
  }
  return { cold, warm, traced: await tracedClick(context, baseUrl, book) };
}

/** One more cold click, traced: where the main thread's time goes between click and paint. */
async function tracedClick(context, baseUrl, book) {
  const page = await context.newPage();
  try {
    await openReader(page, baseUrl, book, book.start);
    const cdp = await context.newCDPSession(page);
    await startTrace(cdp);
    const result = await openChapterFromContents(page, book.long);
    await page.waitForTimeout(100);
    const events = await stopTrace(cdp);
    await cdp.detach();
    const clicks = workPerInput(events, "click", timing(result).to_frame_ms + 50, { top: 8 });
    return { ...timing(result), main_thread: clicks.at(-1) };
  } finally {
    await page.close();
  }
}
