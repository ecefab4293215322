/**
 * End-to-end tests: Debian's Chromium against the real local runtime (embedded PostgreSQL and
 * Redis, the built SPA from dist/). `npm run build` first; then `npm run test:e2e`.
 * E2E_BASE_URL=http://127.0.0.1:8000 runs them against a runtime that is already up instead;
 * E2E_SCREENSHOT=1 also renews the README's picture of the reader (docs/reader.png).
 * E2E_EDGE_URL=https://127.0.0.1:8443 runs only edge.e2e.ts, through nginx in front of a runtime
 * that is already up (tests/test_edge_browser.py does that).
 */
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

// The config is loaded again in every worker process; they inherit the runner's environment,
// so the port is chosen once.
const edge = process.env.E2E_EDGE_URL;
const external = edge ?? process.env.E2E_BASE_URL;
if (!external) {
  process.env.E2E_PORT ??= String(await freePort());
  // The runtime's data directory, known to the tests too: `make admin` runs against it.
  process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "bookreader-e2e-"));
}
const baseURL = external ?? `http://127.0.0.1:${process.env.E2E_PORT}`;

// Without the networking flags Chromium keeps calling home, which this machine's closed
// network answers with a flood of refused connections.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.e2e.ts", // not *.spec.ts: Vitest would collect those
  outputDir: join(tmpdir(), "bookreader-e2e-results"),
  fullyParallel: false,
  workers: 2,
  // CI retries a failed spec once: a known flake (sign-out after a refresh whose answer was lost
  // going offline, see the offline spec) must not hide behind a red run, nor block one; a spec
  // that passes only on retry is reported as flaky in the output.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: chromium,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  // The phone's journey first: it is the longest, so it runs beside the desktop's tests.
  projects: edge
    ? [
        {
          // nginx's certificate is a self-signed one made for the test.
          name: "edge",
          testMatch: "edge.e2e.ts",
          use: { viewport: { width: 1280, height: 800 }, locale: "en-GB", ignoreHTTPSErrors: true },
        },
      ]
    : [
        {
          // The main journey once more, on a phone, by a Russian-speaking reader; and KOReader's
          // sync, whose device name the web reader says in the interface's language.
          name: "phone-ru",
          testMatch: ["journey.e2e.ts", "koreader-sync.e2e.ts"],
          use: {
            ...devices["Pixel 5"],
            browserName: "chromium",
            viewport: { width: 360, height: 740 },
            locale: "ru-RU",
          },
        },
        {
          name: "desktop-en",
          testIgnore: "edge.e2e.ts",
          use: { viewport: { width: 1280, height: 800 }, locale: "en-GB" },
        },
      ],
  webServer: external
    ? undefined
    : {
        command: "exec node e2e/serve-runtime.mjs",
        url: `${baseURL}/api/health`,
        timeout: 180_000,
        reuseExistingServer: false,
        stdout: "ignore",
        stderr: "pipe",
        gracefulShutdown: { signal: "SIGTERM", timeout: 60_000 },
      },
});
