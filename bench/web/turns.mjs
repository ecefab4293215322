/** Page turns in paginated mode: main-thread work per turn from a Chromium trace, and the long
 * tasks the page itself observed. Arrow keys turn the pages (ArrowRight to the chapter's last
 * page, then ArrowLeft), each press given time to settle before the next. */
import { createHash } from "node:crypto";
import { openReader } from "./chapter.mjs";
import { startTrace, stopTrace, workPerInput } from "./trace.mjs";

const SETTLE_MS = 300; // longer than any turn animation, so each turn's work ends in its window

async function screenHash(page) {
  return createHash("sha256").update(await page.screenshot()).digest("hex");
}

/** The reader's "Page N of M", or null when it shows none. */
async function pageOf(page) {
  const label = page.getByText(/^Page \d+ of \d+$/).first();
  if (!(await label.isVisible())) return null;
  const [, current, total] = (await label.textContent()).match(/(\d+) of (\d+)/);
  return { page: Number(current), pages: Number(total) };
}

export async function pageTurns(context, baseUrl, book, { turns, warmup = 3, log }) {
  const page = await context.newPage();
  try {
    await openReader(page, baseUrl, book, book.long);
    for (let n = 0; n < warmup; n += 1) {
      await page.keyboard.press("ArrowRight");
      await page.waitForTimeout(SETTLE_MS);
    }
    const before = await screenHash(page);
    const first = await pageOf(page);
    // Observed from here to the last turn only (a screenshot may itself be a long task).
    await page.evaluate(() => {
      window.__benchLongTasks = [];
      window.__benchLongTaskObserver = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__benchLongTasks.push(entry.duration);
      });
      window.__benchLongTaskObserver.observe({ type: "longtask" });
    });
    const cdp = await context.newCDPSession(page);
    await startTrace(cdp);
    // Forward to the chapter's last page, then back: every press turns a page.
    const forward = first ? first.pages - first.page : turns;
    for (let n = 0; n < turns; n += 1) {
      await page.keyboard.press(n < forward ? "ArrowRight" : "ArrowLeft");
      await page.waitForTimeout(SETTLE_MS);
    }
    const longTasks = await page.evaluate(() => {
      window.__benchLongTaskObserver.disconnect();
      return window.__benchLongTasks;
    });
    const events = await stopTrace(cdp);
    await cdp.detach();
    const after = await screenHash(page);
    const last = await pageOf(page);
    if (before === after) throw new Error("ArrowRight did not change the page: no page turns to measure");
    const perTurn = workPerInput(events, "keydown", SETTLE_MS, { top: 6 });
    log(`page turns: ${perTurn.length} traced`);
    return { turns: perTurn, long_tasks_ms: longTasks, first_page: first, last_page: last };
  } finally {
    await page.close();
  }
}
