/**
 * A visitor who is not signed in is ordinary, not an error: the start-up session refresh answers
 * 200 null (no cookie, or one whose session has ended), so the browser's console stays clean —
 * a 401 there would be logged as a failed request on every visit.
 */
import type { ConsoleMessage, Page, Response } from "@playwright/test";
import { expect, test } from "./support/fixtures";

/** Visits the site's start page; the refresh's answer and every console error meanwhile. */
async function visit(page: Page): Promise<{ refresh: Response; errors: string[] }> {
  const errors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === "error") errors.push(message.text());
  };
  page.on("console", onConsole);
  page.on("pageerror", (error) => errors.push(error.message));
  const refresh = page.waitForResponse(
    (answer) => new URL(answer.url()).pathname === "/api/auth/refresh",
  );
  await page.goto("/");
  return { refresh: await refresh, errors };
}

test("a signed-out first visit logs no console error", async ({ page, ui }) => {
  const { refresh, errors } = await visit(page);
  expect(refresh.status()).toBe(200);
  expect(await refresh.json()).toBeNull();
  await expect(page.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a cookie whose session has ended signs nobody in, is cleared, and logs no error", async ({
  page,
  ui,
  baseURL,
}) => {
  await page.context().addCookies([
    {
      name: "refresh_token",
      value: "a-session-that-has-ended",
      // Where the server sets it (Path=/api/auth), so its answer can clear this very cookie.
      domain: new URL(baseURL!).hostname,
      path: "/api/auth",
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
    },
  ]);
  const { refresh, errors } = await visit(page);
  expect(refresh.status()).toBe(200);
  expect(await refresh.json()).toBeNull();
  await expect(page.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
  expect(errors).toEqual([]);
  const cookies = await page.context().cookies(new URL("/api/auth", baseURL).href);
  expect(cookies.filter((cookie) => cookie.name === "refresh_token")).toEqual([]);
});

test("the addresses people type out of habit lead to signing in and registering", async ({
  page,
  ui,
}) => {
  await page.goto("/login");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
  await page.goto("/signup");
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole("heading", { name: ui.registerTitle })).toBeVisible();
});
