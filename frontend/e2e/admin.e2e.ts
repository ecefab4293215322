/**
 * Administration: the first administrator (made as `make admin` makes one) sees the overview and
 * disables a user; that user's open session, on another device, is sent to sign-in at its next
 * step. A reader who is not an administrator has no Admin entry and is told "not allowed".
 */
import { expectLibrary, fillSignIn, register } from "./support/account";
import { makeAdmin } from "./support/admin";
import { expect, test } from "./support/fixtures";
import { ELSEWHERE } from "./support/ui-elsewhere";

test("an administrator disables a reader, whose open session ends", async ({
  page,
  ui,
  language,
  newDevice,
}) => {
  const names = ELSEWHERE[language];
  const nav = (p: typeof page) => p.getByRole("banner").getByRole("navigation");

  // The reader, signed in on their own device: no Admin entry, and /admin is not allowed.
  const readerDevice = await newDevice();
  const reader = await readerDevice.newPage();
  const victim = await register(reader, ui);
  await expect(nav(reader).getByRole("link", { name: names.account })).toBeVisible();
  await expect(nav(reader).getByRole("link", { name: names.admin })).toHaveCount(0);
  await reader.goto("/admin");
  await expect(reader.getByRole("heading", { level: 1, name: names.notAllowed })).toBeVisible();
  await reader.goto("/");
  await expectLibrary(reader, ui);

  // The administrator: registered, promoted by the CLI, signed in again for the role.
  const admin = await register(page, ui);
  makeAdmin(admin.email);
  await page.getByRole("button", { name: ui.signOut }).click();
  // Sign-out ends on the sign-in page; going there before the logout answered raced it, and the
  // still-valid refresh cookie signed the page straight back in.
  await fillSignIn(page, ui, admin);
  await expectLibrary(page, ui);
  await nav(page).getByRole("link", { name: names.admin }).click();
  await expect(page.getByRole("heading", { level: 1, name: names.administration })).toBeVisible();
  await expect(page.getByRole("region", { name: names.overview })).toBeVisible();

  const users = page.getByRole("main");
  await users.getByRole("searchbox").fill(victim.email);
  await users.getByRole("button", { name: names.search, exact: true }).click();
  await users.getByRole("button", { name: names.disable(victim.email) }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(victim.email);
  await dialog.getByRole("button", { name: names.disableConfirm, exact: true }).click();
  await expect(dialog).toBeHidden();
  const row = users.getByRole("row").filter({ hasText: victim.email });
  await expect(row.getByRole("cell", { name: names.disabled, exact: true })).toBeVisible();

  // The reader's next step in the app (no reload) meets the ended session: sign-in.
  await nav(reader).getByRole("link", { name: names.account }).click();
  await expect(reader.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
  await expect(reader).toHaveURL(/\/sign-in/);
  // And a reload does not bring the session back (the refresh token is refused too).
  await reader.reload();
  await expect(reader.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
});
