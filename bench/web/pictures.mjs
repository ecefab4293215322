/** Passages and pictures in the reader, on the page's clock (ms).
 *
 * - applied: the reader measures `passages-applied` (performance.measure) each time it puts a
 *   chapter's marks and figures on the page (marks as highlights, figures placed, the chapter laid
 *   out again around them); per page load, the sum of those measures for the chapter once its
 *   marks and every ready figure are on it.
 * - illustrate: a click on a marked passage opens its card; the time from the click on
 *   "Illustrate" to the passage's picture loaded in its figure and painted (the frame after). */
import { readerPath } from "./chapter.mjs";

/** Wait until the chapter's marks and `figures` figures are on the page; the applied measures. */
async function appliedMeasures(page, chapter, figures, timeoutMs = 60_000) {
  await page.waitForFunction(
    ({ index, figures }) => {
      const measures = performance
        .getEntriesByName("passages-applied", "measure")
        .filter((m) => m.detail?.chapter === index);
      const last = measures.at(-1);
      const loaded = [...document.querySelectorAll("main figure.illustration img")].filter(
        (img) => img.complete && img.naturalWidth > 0,
      );
      return last && last.detail.marks > 0 && last.detail.figures >= figures && loaded.length >= figures;
    },
    { index: chapter.index, figures },
    { timeout: timeoutMs, polling: 50 },
  );
  return page.evaluate((index) => {
    const measures = performance
      .getEntriesByName("passages-applied", "measure")
      .filter((m) => m.detail?.chapter === index);
    return measures.map((m) => ({ ms: m.duration, marks: m.detail.marks, figures: m.detail.figures }));
  }, chapter.index);
}

export async function passagesApplied(context, baseUrl, book, { samples, figures, log }) {
  const loads = [];
  for (let n = 0; n < samples; n += 1) {
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}${readerPath(book, book.long)}`);
      const measures = await appliedMeasures(page, book.long, figures);
      const withMarks = measures.filter((m) => m.marks > 0);
      loads.push({
        total_ms: withMarks.reduce((sum, m) => sum + m.ms, 0),
        max_ms: Math.max(...withMarks.map((m) => m.ms)),
        applications: withMarks.length,
        marks: withMarks.at(-1).marks,
        figures: withMarks.at(-1).figures,
      });
      log(`passages applied ${n + 1}/${samples}: ${loads.at(-1).total_ms.toFixed(1)} ms`);
    } finally {
      await page.close();
    }
  }
  return { loads };
}

const normalise = (text) => text.replace(/\s+/g, " ").trim();

/** The on-screen centre of the marked passage with this text; null when it is not on screen. */
function markPoint(page, text) {
  return page.evaluate((wanted) => {
    const clip = document.querySelector(".reader-clip").getBoundingClientRect();
    for (const [, highlight] of CSS.highlights) {
      for (const range of highlight) {
        if (range.toString().replace(/\s+/g, " ").trim() !== wanted) continue;
        for (const rect of range.getClientRects()) {
          const x = rect.left + Math.min(rect.width / 2, 20);
          const y = rect.top + rect.height / 2;
          if (rect.width > 8 && x > clip.left && x < clip.right && y > clip.top && y < clip.bottom) {
            return { x, y };
          }
        }
      }
    }
    return null;
  }, normalise(text));
}

export async function illustrateToPicture(context, baseUrl, book, { passages, log }) {
  const samples = [];
  const skipped = [];
  for (const [n, passage] of passages.entries()) {
    const page = await context.newPage();
    try {
      const path = `/books/${encodeURIComponent(book.id)}/read?chapter=${passage.chapter}&offset=${passage.start}`;
      await page.goto(`${baseUrl}${path}`);
      await appliedMeasures(page, { index: passage.chapter }, 0);
      let point = null;
      for (let tries = 0; tries < 3 && point === null; tries += 1) {
        point = await markPoint(page, passage.text);
        if (point === null) await page.waitForTimeout(300); // a relayout still settling
      }
      if (point === null) throw new Error(`passage ${passage.id} is not on screen`);
      await page.mouse.click(point.x, point.y);
      const card = page.getByRole("dialog");
      await card.getByRole("button", { name: "Illustrate" }).waitFor();
      await page.evaluate((id) => {
        window.__pictureShown = new Promise((resolve, reject) => {
          let clickedAt = null;
          document.addEventListener(
            "click",
            (event) => {
              if (event.target.closest?.("button")) clickedAt = event.timeStamp;
            },
            { capture: true, once: true },
          );
          const done = () =>
            requestAnimationFrame(() => requestAnimationFrame((frame) => resolve(frame - clickedAt)));
          const check = () => {
            const img = document.querySelector(`figure[data-description="${id}"] img`);
            if (!img || clickedAt === null) return;
            if (img.complete && img.naturalWidth > 0) {
              observer.disconnect();
              done();
            } else img.addEventListener("load", check, { once: true });
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { subtree: true, childList: true, attributes: true });
          setTimeout(() => reject(new Error("no picture within 60 s")), 60_000);
        });
      }, passage.id);
      await card.getByRole("button", { name: "Illustrate" }).click();
      const ms = await page.evaluate(() => window.__pictureShown);
      samples.push(ms);
      log(`illustrate ${n + 1}/${passages.length}: ${ms.toFixed(0)} ms`);
    } catch (error) {
      // One passage that cannot be clicked (off screen, a note marker in its text) is skipped.
      skipped.push({ id: passage.id, error: String(error.message ?? error).split("\n")[0] });
      log(`illustrate ${n + 1}/${passages.length}: skipped (${skipped.at(-1).error})`);
    } finally {
      await page.close();
    }
  }
  return { samples_ms: samples, skipped };
}
