/** Real book files from the repository, put into the library the two ways a person can. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Locator, type Page } from "@playwright/test";
import type { Ui } from "./ui";

const BOOKS = fileURLToPath(new URL("../../../tests/fixtures/books", import.meta.url));

export type BookFile = { path: string; name: string; title: string; mimeType: string };

function book(relative: string, title: string, mimeType: string): BookFile {
  const path = join(BOOKS, relative);
  return { path, name: basename(path), title, mimeType };
}

/** Windows-1251 FB2, 14 chapters: a novel-length Russian book. */
export const PUSHKIN_FB2 = book(
  "fb2/ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2",
  "Капитанская дочка",
  "application/x-fictionbook+xml",
);
/** EPUB 3 with a nav document only, 7 chapters. */
export const CHEKHOV_EPUB = book(
  "epub/ru-gen-chekhov-kashtanka.epub3-nav-only.epub",
  "Каштанка",
  "application/epub+zip",
);
/** EPUB 3, one content document of verse with 50 note references to rear notes. */
export const WASTELAND_EPUB = book(
  "epub/en-idpf-wasteland.epub3-rearnotes.epub",
  "The Waste Land",
  "application/epub+zip",
);

/**
 * A Russian FB2 written for a test: `body` is the markup inside `<FictionBook>` after the
 * description (its `<body>` and any `<binary>`), saved as `<slug>.fb2` in a fresh temporary folder.
 */
export function writtenFb2(slug: string, title: string, author: string, body: string): BookFile {
  const fb2 = `<?xml version="1.0" encoding="utf-8"?>
<FictionBook xmlns="http://www.gribuser.ru/xml/fictionbook/2.0" xmlns:l="http://www.w3.org/1999/xlink">
<description><title-info><genre>prose</genre><author><first-name>Тест</first-name>
<last-name>${author}</last-name></author><book-title>${title}</book-title><lang>ru</lang>
</title-info></description>${body}</FictionBook>`;
  const name = `${slug}.fb2`;
  const path = join(mkdtempSync(join(tmpdir(), `${slug}-`)), name);
  writeFileSync(path, fb2);
  return { path, name, title, mimeType: "application/x-fictionbook+xml" };
}

/** Uploads `file` and opens its book page from the upload list once it is readable. */
export async function uploadAndOpen(page: Page, ui: Ui, file: BookFile): Promise<void> {
  await uploadByInput(page, ui, file);
  await uploadRow(page, ui, file)
    .getByRole("link", { name: ui.open(file.title) })
    .click({ timeout: 60_000 });
}

/** Uploads `file`, opens its page and starts reading: the reader shows its first page. */
export async function uploadAndRead(page: Page, ui: Ui, file: BookFile): Promise<void> {
  await uploadAndOpen(page, ui, file);
  await page.getByRole("link", { name: ui.startReading }).click();
  await expect(page.getByRole("button", { name: ui.nextPage })).toBeVisible();
}

/** The upload list's row of `file`: its progress, its state, its link to the book. */
export function uploadRow(page: Page, ui: Ui, file: BookFile | string): Locator {
  const name = typeof file === "string" ? file : file.name;
  return page
    .getByRole("region", { name: ui.uploadRegion })
    .getByRole("listitem")
    .filter({ hasText: name });
}

/** Chooses `file` in the upload's file input (what the "Upload books" button opens). */
export async function uploadByInput(page: Page, ui: Ui, file: BookFile): Promise<void> {
  await page.getByLabel(ui.uploadInput, { exact: true }).setInputFiles(file.path);
}

/**
 * Drags `file` onto the upload area: a real DataTransfer holding a File made in the page from
 * the book's bytes, delivered as the dragenter → dragover → drop a browser sends.
 */
export async function uploadByDrop(page: Page, ui: Ui, file: BookFile): Promise<void> {
  const bytes = readFileSync(file.path).toString("base64");
  const dataTransfer = await page.evaluateHandle(
    ({ bytes, name, type }) => {
      const binary = atob(bytes);
      const buffer = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i += 1) buffer[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([buffer], name, { type }));
      return transfer;
    },
    { bytes, name: file.name, type: file.mimeType },
  );
  const zone = page.getByRole("region", { name: ui.uploadRegion });
  for (const type of ["dragenter", "dragover", "drop"]) {
    await zone.dispatchEvent(type, { dataTransfer });
  }
  await dataTransfer.dispose();
}

/**
 * Slows this page's uploads to `bytesPerSecond` (Chromium's network emulation), so the upload
 * takes a few seconds and its progress bar can be watched moving, as on a slow connection.
 */
export async function throttleUploads(
  page: Page,
  bytesPerSecond: number,
): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return async () => {
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
  };
}

/** What an upload row shows at one moment: its text, whether the book can be opened from it,
 * and the names of its progress bars. */
export type RowState = { text: string; readable: boolean; bars: string[] };

/**
 * Records, from now on and inside the page, every state the upload rows of `files` go through.
 * A state can last less than the gap between two of the test's checks on a fast machine, so the
 * journey asserts on this history instead of hoping to catch each state as it passes.
 */
export async function recordUploadRows(page: Page, ui: Ui, files: BookFile[]): Promise<void> {
  await page.evaluate(
    ({ region, names }) => {
      const history: Record<string, RowState[]> = Object.fromEntries(names.map((n) => [n, []]));
      (window as unknown as { uploadRowHistory: typeof history }).uploadRowHistory = history;
      const snapshot = () => {
        const items = document.querySelectorAll(`section[aria-label="${region}"] li`);
        for (const item of items) {
          const text = item.textContent ?? "";
          const name = names.find((candidate) => text.includes(candidate));
          if (name === undefined) continue;
          const bars = [...item.querySelectorAll('[role="progressbar"]')];
          const state = {
            text,
            readable: item.querySelector("a") !== null,
            bars: bars.map((bar) => bar.getAttribute("aria-label") ?? ""),
          };
          const seen = history[name]!;
          if (JSON.stringify(seen.at(-1)) !== JSON.stringify(state)) seen.push(state);
        }
      };
      const options = { subtree: true, childList: true, characterData: true, attributes: true };
      new MutationObserver(snapshot).observe(document.body, options);
      snapshot();
    },
    { region: ui.uploadRegion, names: files.map((file) => file.name) },
  );
}

/** The states the row of `file` went through since `recordUploadRows`. */
export function uploadRowHistory(page: Page, file: BookFile): Promise<RowState[]> {
  return page.evaluate(
    (name) =>
      (window as unknown as { uploadRowHistory: Record<string, RowState[]> }).uploadRowHistory[
        name
      ]!,
    file.name,
  );
}
