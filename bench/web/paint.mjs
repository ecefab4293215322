/** When a chapter's text was painted, on the page's performance timeline (ms).
 *
 * The reader marks `chapter-painted` once a chapter's HTML is laid out; the bench takes the
 * first such mark for the chapter (its `detail.chapter`) after the watch was armed. It also watches the DOM for a snippet of the chapter's text
 * and takes the frame after the one that showed it (two animation frames: when the second
 * starts, the first has been painted), so a reader without the mark is still measured. */
export async function armPaintWatch(page, { chapter, snippet, timeoutMs = 30_000 }) {
  await page.evaluate(
    ({ chapter, snippet, timeoutMs }) => {
      const after = performance.now();
      window.__benchClickAt = null;
      document.addEventListener("click", (event) => (window.__benchClickAt = event.timeStamp), {
        capture: true,
        once: true,
      });
      window.__benchPaint = new Promise((resolve, reject) => {
        let textAt = null;
        let settled = false;
        const markAfter = () =>
          performance
            .getEntriesByName("chapter-painted", "mark")
            .find((m) => m.startTime > after && (m.detail?.chapter ?? chapter) === chapter);
        const hasSnippet = (node) => node.textContent !== null && node.textContent.includes(snippet);
        const finish = () => {
          if (settled) return;
          settled = true;
          observer.disconnect();
          marks.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() =>
            requestAnimationFrame((frame) => {
              const mark = markAfter();
              // The chapter's own request, if the page made one after the watch was armed.
              const request = performance
                .getEntriesByType("resource")
                .filter((r) => r.startTime > after && r.name.includes(`/chapters/${chapter}`))
                .at(-1);
              resolve({
                request: request ? { start: request.startTime, end: request.responseEnd } : null,
                click: window.__benchClickAt,
                armed: after,
                mark: mark ? mark.startTime : null,
                text: textAt,
                frame,
              });
            }),
          );
        };
        const observer = new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.addedNodes) {
              if (hasSnippet(node)) {
                textAt = performance.now();
                finish();
                return;
              }
            }
          }
        });
        const marks = new PerformanceObserver(() => {
          if (markAfter()) finish();
        });
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          observer.disconnect();
          marks.disconnect();
          reject(new Error(`chapter not painted within ${timeoutMs} ms (snippet ${snippet})`));
        }, timeoutMs);
        if (markAfter()) return finish();
        if (document.querySelector("main") && hasSnippet(document.querySelector("main"))) {
          textAt = performance.now();
          return finish();
        }
        observer.observe(document.body, { childList: true, subtree: true });
        marks.observe({ type: "mark" });
      });
    },
    { chapter, snippet, timeoutMs },
  );
}

/** The armed watch's answer: page times of the click, the mark, the text and the frame. */
export function paintResult(page) {
  return page.evaluate(() => window.__benchPaint);
}

/** Arm, act, and wait until `chapter` ({index, snippet}) is painted. */
export async function paintAfter(page, chapter, act) {
  await armPaintWatch(page, { chapter: chapter.index, snippet: chapter.snippet });
  await act();
  return paintResult(page);
}
