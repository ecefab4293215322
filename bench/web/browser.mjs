/** Chromium for the measurements: a persistent profile (the default browser context, so
 * Lighthouse's tabs share its cookies) with a DevTools port, and signing in through the UI. */
import { createServer } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The browser and its one context; `close()` stops Chromium and removes the profile. */
export async function launch({ executable, args, locale = "en-US" }) {
  const profile = await mkdtemp(join(tmpdir(), "bookreader-webbench-"));
  const port = await freePort();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: [...args, `--remote-debugging-port=${port}`, "--remote-debugging-address=127.0.0.1"],
    locale,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    port,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Sign in through the sign-in page, as a person would; the refresh cookie stays in the context. */
export async function signIn(context, baseUrl, { email, password }) {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/email/i).fill(email);
    await page.getByLabel(/password|пароль/i).fill(password);
    await page.locator("form button[type=submit]").click();
    await page.waitForURL((url) => url.pathname === "/", { timeout: 30_000 });
  } finally {
    await page.close();
  }
}

/** Sign in again if the session has ended (the page would show the sign-in form); true when
 * it had. Every page load rotates the refresh cookie, and a rotated cookie that is sent again
 * ends the whole session, so a load torn down mid-refresh can sign the browser out. */
export async function renewIfSignedOut(context, baseUrl, credentials) {
  const page = await context.newPage();
  let signedOut = false;
  try {
    await page.goto(`${baseUrl}/`);
    await page.locator("main h1, form").first().waitFor();
    signedOut = new URL(page.url()).pathname === "/sign-in";
  } finally {
    await page.close();
  }
  if (signedOut) await signIn(context, baseUrl, credentials);
  return signedOut;
}

/** Start from an empty HTTP cache, as a first visit would (the session cookie stays). */
export async function clearCache(context) {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.clearBrowserCache");
    await cdp.detach();
  } finally {
    await page.close();
  }
}

/** Resolve after the next two frames: the first has been painted when the second begins. */
export function afterPaint(page) {
  return page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}
