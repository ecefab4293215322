/** Registering and signing in the way a person does: through the forms, found by their labels. */
import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import type { Ui } from "./ui";

export type Credentials = { email: string; password: string };

export function newCredentials(): Credentials {
  const id = randomUUID().slice(0, 8);
  // A passphrase the password policy accepts (long, not common, not a pattern).
  return { email: `reader-${id}@example.com`, password: `amber kettle ${id} lantern` };
}

/** Registers a new account from the sign-in page and waits for the library. */
export async function register(
  page: Page,
  ui: Ui,
  credentials = newCredentials(),
): Promise<Credentials> {
  await page.goto("/register");
  const form = page.getByRole("main");
  await expect(form.getByRole("heading", { name: ui.registerTitle })).toBeVisible();
  await form.getByLabel(ui.email, { exact: true }).fill(credentials.email);
  await form.getByLabel(ui.password, { exact: true }).fill(credentials.password);
  await form.getByRole("button", { name: ui.registerTitle }).click();
  await expectLibrary(page, ui);
  return credentials;
}

export async function fillSignIn(page: Page, ui: Ui, credentials: Credentials): Promise<void> {
  const form = page.getByRole("main");
  await expect(form.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
  await form.getByLabel(ui.email, { exact: true }).fill(credentials.email);
  await form.getByLabel(ui.password, { exact: true }).fill(credentials.password);
  await form.getByRole("button", { name: ui.signInTitle }).click();
}

export async function signIn(page: Page, ui: Ui, credentials: Credentials): Promise<void> {
  await page.goto("/sign-in");
  await fillSignIn(page, ui, credentials);
  await expectLibrary(page, ui);
}

export async function expectLibrary(page: Page, ui: Ui): Promise<void> {
  await expect(page.getByRole("heading", { level: 1, name: ui.library })).toBeVisible();
}
