/**
 * What a person sees when things go wrong: a file that is not a book, a wrong password, and
 * too many attempts (the countdown from Retry-After).
 */
import { expect, test } from "./support/fixtures";
import { fillSignIn, register } from "./support/account";
import { uploadRow } from "./support/books";

/** A real, one-page PDF document: what a person might rename to .epub by mistake. */
function pdfBytes(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Length 44 >>\nstream\nBT /F1 18 Tf 20 70 Td (Not a book) Tj ET\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

test("a PDF renamed to .epub is refused with its reason", async ({ page, ui }) => {
  await register(page, ui);
  await page.getByLabel(ui.uploadInput, { exact: true }).setInputFiles({
    name: "lecture-notes.epub",
    mimeType: "application/epub+zip",
    buffer: pdfBytes(),
  });
  const row = uploadRow(page, ui, "lecture-notes.epub");
  await expect(row.getByRole("alert")).toHaveText(ui.notABook, { timeout: 30_000 });
  // Nothing to open: the file never became a book.
  await expect(row.getByRole("link")).toHaveCount(0);
});

test("a wrong password is told apart, then too many attempts show a countdown", async ({
  page,
  ui,
  newDevice,
}) => {
  const account = await register(page, ui);
  await page.getByRole("button", { name: ui.signOut }).click();

  // Another device, so the attempts below count against its address only.
  const device = await newDevice();
  const other = await device.newPage();
  await other.goto("/sign-in");
  const wrong = { ...account, password: `${account.password} typo` };

  await test.step("a wrong password shows its error and keeps the email", async () => {
    await fillSignIn(other, ui, wrong);
    await expect(other.getByRole("alert")).toHaveText(ui.wrongPassword);
    await expect(other.getByLabel(ui.email, { exact: true })).toHaveValue(account.email);
    await expect(other.getByRole("heading", { name: ui.signInTitle })).toBeVisible();
  });

  await test.step("after the allowed attempts, the form counts down and waits", async () => {
    const submit = other.getByRole("button", { name: ui.signInTitle });
    const alert = other.getByRole("alert");
    // Five attempts per minute for one address and email: the sixth is refused.
    for (let attempt = 2; attempt <= 5; attempt += 1) {
      await submit.click();
      await expect(alert).toHaveText(ui.wrongPassword);
      await expect(submit).toBeEnabled();
    }
    await submit.click();
    await expect(alert).toHaveText(ui.rateLimited);
    await expect(submit).toBeDisabled();
    const first = secondsIn(await alert.textContent(), ui.rateLimited);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(60);
    // The number goes down while the person waits.
    await expect
      .poll(async () => secondsIn(await alert.textContent(), ui.rateLimited))
      .toBeLessThan(first);
  });

  await test.step("the right password still works on the first device", async () => {
    await fillSignIn(page, ui, account);
    await expect(page.getByRole("button", { name: ui.signOut })).toBeVisible();
  });
});

function secondsIn(text: string | null, pattern: RegExp): number {
  const match = pattern.exec(text ?? "");
  return match ? Number(match[1]) : Number.NaN;
}
