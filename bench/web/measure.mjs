/** The web benchmark's browser side, driven by `python -m bench --suite web`.
 *
 *   node measure.mjs config.json
 *
 * The config names the running product, a signed-up reader, the book and its chapters, the
 * Chromium to use and what to measure; the results go to the config's `output` as JSON.
 * Each part runs on its own: one that fails records its error and the others still run. */
import { readFile, writeFile } from "node:fs/promises";
import { launch, renewIfSignedOut, signIn } from "./browser.mjs";
import { libraryLoad, readerLoad } from "./bundle.mjs";
import { chapterClicks, readerPath } from "./chapter.mjs";
import { audit } from "./lighthouse.mjs";
import { paintAfter } from "./paint.mjs";
import { illustrateToPicture, passagesApplied } from "./pictures.mjs";
import { pageTurns } from "./turns.mjs";

const log = (message) => process.stderr.write(`web: ${message}\n`);

async function part(results, name, run) {
  log(`${name} …`);
  try {
    results[name] = await run();
  } catch (error) {
    log(`${name} failed: ${error.stack ?? error}`);
    results[name] = { error: String(error.message ?? error).split("\n")[0] };
  }
}

/** The run with the median performance score (Lighthouse's advice: the median of several
 * runs), with every run's performance score beside it. */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.scores.performance - b.scores.performance);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], performance_runs: runs.map((r) => r.scores.performance) };
}

async function main() {
  const config = JSON.parse(await readFile(process.argv[2], "utf8"));
  const { base_url: baseUrl, book } = config;
  const results = {};
  const browser = await launch(config.chromium);
  try {
    await signIn(browser.context, baseUrl, config);
    const { context } = browser;
    const wanted = new Set(config.parts);
    if (wanted.has("bundle")) {
      await part(results, "library_load", () => libraryLoad(context, baseUrl));
      await part(results, "reader_load", () =>
        readerLoad(context, baseUrl, readerPath(book, book.start), (page) =>
          paintAfter(page, book.start, async () => {}),
        ),
      );
    }
    if (wanted.has("chapter")) {
      await part(results, "chapter_clicks", () =>
        chapterClicks(context, baseUrl, book, { samples: config.samples, log }),
      );
    }
    if (wanted.has("turns")) {
      await part(results, "page_turns", () => pageTurns(context, baseUrl, book, { turns: config.turns, log }));
    }
    if (wanted.has("passages")) {
      await part(results, "passages_applied", () =>
        passagesApplied(context, baseUrl, book, { samples: config.samples, figures: config.figures, log }),
      );
    }
    if (wanted.has("illustrate")) {
      await part(results, "illustrate", () =>
        illustrateToPicture(context, baseUrl, book, { passages: config.passages, log }),
      );
    }
    if (wanted.has("lighthouse")) {
      const pages = { library: "/", reader: readerPath(book, book.long) };
      results.lighthouse = {};
      for (const formFactor of config.form_factors) {
        for (const [name, path] of Object.entries(pages)) {
          await part(results.lighthouse, `${name}_${formFactor}`, async () => {
            const runs = [];
            for (let n = 0; n < config.lighthouse_runs; n += 1) {
              if (await renewIfSignedOut(context, baseUrl, config)) {
                log("the session had ended; signed in again");
                results.sessions_renewed = (results.sessions_renewed ?? 0) + 1;
              }
              runs.push(await audit(context, browser.port, `${baseUrl}${path}`, formFactor));
            }
            return medianRun(runs);
          });
        }
      }
    }
    results.browser = context.browser()?.version() ?? null;
  } finally {
    await browser.close();
  }
  await writeFile(config.output, JSON.stringify(results, null, 1));
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exit(1);
});
