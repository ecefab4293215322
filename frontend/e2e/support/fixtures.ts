/**
 * The test object every spec imports: Playwright's, plus
 * - each browser context acting as its own device with its own address (X-Forwarded-For, which
 *   the runtime believes from loopback), so registration's and sign-in's per-IP rate limits
 *   count per simulated device, not for the whole suite;
 * - `ui`: the accessible names in the language of the project's browser locale;
 * - `newDevice()`: another browser context (another phone or computer of the same person),
 *   optionally with another browser language.
 */
import { randomInt } from "node:crypto";
import { type BrowserContext, test as base } from "@playwright/test";
import { type Language, UI, type Ui } from "./ui";

/** A made-up address in 10.0.0.0/8, different for every context of a run (almost surely). */
export function deviceAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

type Fixtures = {
  language: Language;
  ui: Ui;
  newDevice: (options?: { locale?: string }) => Promise<BrowserContext>;
};

export const test = base.extend<Fixtures>({
  extraHTTPHeaders: async ({}, use) => {
    await use({ "X-Forwarded-For": deviceAddress() });
  },
  language: async ({ locale }, use) => {
    await use(locale?.startsWith("ru") ? "ru" : "en");
  },
  ui: async ({ language }, use) => {
    await use(UI[language]);
  },
  newDevice: async (
    {
      browser,
      contextOptions,
      viewport,
      locale,
      baseURL,
      isMobile,
      hasTouch,
      deviceScaleFactor,
      userAgent,
    },
    use,
  ) => {
    const opened: BrowserContext[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({
        ...contextOptions,
        viewport,
        locale: options.locale ?? locale,
        baseURL,
        isMobile,
        hasTouch,
        deviceScaleFactor,
        userAgent,
        extraHTTPHeaders: { "X-Forwarded-For": deviceAddress() },
      });
      opened.push(context);
      return context;
    });
    for (const context of opened) await context.close();
  },
});

export { expect } from "@playwright/test";
