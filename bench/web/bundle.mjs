/** The JavaScript a signed-in reader downloads before the library page is interactive, from
 * the network log of a real page load (cache empty), each script gzipped as a server would. */
import { gzipSync } from "node:zlib";
import { clearCache } from "./browser.mjs";

/** Scripts of one page load: url, bytes decoded, bytes gzipped (level 9), bytes on the wire. */
async function scriptsDuring(page, load) {
  const pending = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    pending.push(
      (async () => {
        const body = await response.body();
        const sizes = await response.request().sizes();
        return {
          url: new URL(response.url()).pathname,
          bytes: body.length,
          gzip_bytes: gzipSync(body, { level: 9 }).length,
          wire_bytes: sizes.responseBodySize,
          encoding: (await response.allHeaders())["content-encoding"] ?? null,
        };
      })(),
    );
  });
  const interactiveMs = await load();
  return { interactiveMs, scripts: await Promise.all(pending) };
}

/** The library page: interactive when its heading and its answer (count, list or empty
 * state) are shown and the network is quiet (every lazy chunk it asked for has arrived). */
export async function libraryLoad(context, baseUrl) {
  await clearCache(context);
  const page = await context.newPage();
  try {
    const { interactiveMs, scripts } = await scriptsDuring(page, async () => {
      await page.goto(`${baseUrl}/`);
      await page.locator("main h1").waitFor();
      await page.locator("main [role=status]").waitFor({ state: "detached" });
      await page.waitForLoadState("networkidle");
      return page.evaluate(() => performance.now());
    });
    return { interactive_ms: interactiveMs, scripts, title: await page.title() };
  } finally {
    await page.close();
  }
}

/** The scripts the reader page adds to the library's: what was split off for the reader. */
export async function readerLoad(context, baseUrl, readerPath, isPainted) {
  await clearCache(context);
  const page = await context.newPage();
  try {
    const { scripts } = await scriptsDuring(page, async () => {
      await page.goto(`${baseUrl}${readerPath}`);
      await isPainted(page);
      await page.waitForLoadState("networkidle");
      return page.evaluate(() => performance.now());
    });
    return { scripts };
  } finally {
    await page.close();
  }
}
