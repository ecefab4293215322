/**
 * The main journey through nginx, as self-hosters run the edge (TLS, its CSP and headers, its
 * rate limits): register, upload a book, open it and turn a page, without a single
 * Content-Security-Policy violation. Run by tests/test_edge_browser.py, which starts the runtime
 * with nginx in front and sets E2E_EDGE_URL (playwright.config.ts then runs only this file).
 */
import { expect, test } from "./support/fixtures";
import { register } from "./support/account";
import { PUSHKIN_FB2, uploadByInput, uploadRow } from "./support/books";

test("through nginx a reader registers, uploads and reads with no CSP violation", async ({
  page,
  ui,
}) => {
  test.setTimeout(180_000);
  const violations: string[] = [];
  // Chromium reports every violation on the console; the event catches any it does not.
  page.on("console", (message) => {
    if (/content.security.policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `Content-Security-Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });

  await test.step("register", () => register(page, ui));

  const row = uploadRow(page, ui, PUSHKIN_FB2);
  const open = row.getByRole("link", { name: ui.open(PUSHKIN_FB2.title) });
  await test.step("upload a book through the bucket path", async () => {
    await uploadByInput(page, ui, PUSHKIN_FB2);
    await expect(open).toBeVisible({ timeout: 150_000 });
  });

  await test.step("open it and turn a page", async () => {
    await open.click();
    await expect(page.getByRole("heading", { level: 1, name: PUSHKIN_FB2.title })).toBeVisible();
    await page.getByRole("link", { name: ui.startReading }).click();
    const next = page.getByRole("button", { name: ui.nextPage });
    await expect(next).toBeVisible();
    await next.click();
  });

  await test.step("it all came through nginx over HTTPS, and the CSP held", async () => {
    const health = await page.request.get("/api/health");
    expect(health.url()).toMatch(/^https:/);
    expect(health.headers()["strict-transport-security"]).toContain("max-age=");
    expect(violations).toEqual([]);
    // The watch above does see a violation: an inline script, which the CSP forbids.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.name = 'inline';";
      document.body.append(script);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
  });
});
