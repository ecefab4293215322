/**
 * The reader on a phone held upright (390 px): the top bar's six buttons leave room for a few
 * words only, and the chapter being read must still be told there whole, not cut to "Глава…";
 * the book page before it keeps its stacked buttons apart; a table wider than the page scrolls
 * sideways in its own box, words whole, and a tap in it is for the table, not a page turn; a long
 * table that fits the page's width flows on to the next page row by row; justified text without
 * hyphenation opens no wide gaps; the book page's contents is an indented tree without list
 * numbers of its own; a picture among a paragraph's words stays in its line;
 * the book page's list of devices breaks its lines between phrases, never inside "4 minutes ago".
 */
import { register } from "./support/account";
import { apiAs } from "./support/api";
import {
  type BookFile,
  CHEKHOV_EPUB,
  uploadAndRead,
  uploadAndOpen,
  writtenFb2,
} from "./support/books";
import { expect, test } from "./support/fixtures";
import { currentView, expectMovedFrom, onScreen } from "./support/reader";

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("on a phone the book page keeps its buttons apart and the top bar names the chapter whole", async ({
  page,
  ui,
}) => {
  await register(page, ui);
  await uploadAndOpen(page, ui, CHEKHOV_EPUB);

  // The book page's stacked buttons stand apart, not touching.
  const save = page.getByRole("button", { name: "Save the whole book for offline reading" });
  const download = page.getByRole("button", { name: "Download illustrated EPUB" });
  const above = (await save.boundingBox())!;
  const below = (await download.boundingBox())!;
  expect(below.y - (above.y + above.height), "space between the two buttons").toBeGreaterThan(8);

  await page.getByRole("link", { name: ui.startReading }).click();
  await expect(page.getByRole("button", { name: ui.nextPage })).toBeVisible();

  const bar = page.getByRole("banner");
  await expect(bar.getByRole("heading", { level: 1, name: CHEKHOV_EPUB.title })).toBeAttached();
  const chapter = bar.getByText("Глава первая. Дурное поведение", { exact: true });
  await expect(chapter).toBeVisible();
  // Every line of it is shown: nothing clipped off the end or below the last line.
  const clipped = await chapter.evaluate(
    (element) =>
      element.scrollWidth > element.clientWidth + 1 ||
      element.scrollHeight > element.clientHeight + 1,
  );
  expect(clipped, "the chapter's title is cut").toBe(false);
  const box = (await chapter.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
});

test("justified text on a phone opens no wide gaps between words; the setting says why it is not justified", async ({
  page,
  ui,
}) => {
  await register(page, ui);
  await uploadAndRead(page, ui, CHEKHOV_EPUB);
  const main = page.getByRole("main");
  await expect(main.getByText(/Молодая рыжая собака/)).toBeVisible();

  // The widest space between two words on the page, in em of its paragraph's font. An ordinary
  // space is about 0.25 em; justified lines of a 350 px column without hyphens stretched spaces
  // to over 1 em.
  const widest = await main.evaluate((root) => {
    const height = window.innerHeight;
    let widestEm = 0;
    for (const paragraph of root.querySelectorAll("p")) {
      const box = paragraph.getBoundingClientRect();
      if (box.bottom < 0 || box.top > height || box.right < 0 || box.left > window.innerWidth) {
        continue;
      }
      const fontSize = parseFloat(getComputedStyle(paragraph).fontSize);
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? "";
        for (let index = text.indexOf(" "); index >= 0; index = text.indexOf(" ", index + 1)) {
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          widestEm = Math.max(widestEm, range.getBoundingClientRect().width / fontSize);
        }
      }
    }
    return widestEm;
  });
  expect(widest, "widest space between words (em)").toBeLessThan(0.6);

  // Debian's Chromium has no hyphenation dictionaries: "Justified" stays chosen (another device
  // may justify), and the setting tells why this one does not.
  await page.getByRole("button", { name: ui.settings }).click();
  const alignment = page.getByRole("group", { name: ui.alignment });
  await expect(alignment.getByRole("radio", { name: ui.justified })).toBeChecked();
  await expect(alignment).toHaveAccessibleDescription(ui.noHyphenation);
});

/**
 * A one-chapter FB2 holding a table of eight columns of long words, written for the test, and
 * `after` paragraphs after it (enough of them make pages to turn).
 */
function wideTableBook(after = 1): BookFile {
  const cell = (text: string) => `<td>${text}</td>`;
  const words = ["Горизонтальная", "черта", "Неразрывный", "пробел", "Приблизительно", "равно"];
  const row = [...words, "Двойная", "кавычка"].map(cell).join("");
  const paragraphs = Array.from({ length: 6 }, (_, i) => `<p>Абзац ${i + 1} перед таблицей.</p>`);
  const more = Array.from(
    { length: after - 1 },
    (_, i) => `<p>Ещё абзац ${i + 2} после таблицы, длинный: ${"слова ".repeat(40)}</p>`,
  );
  return writtenFb2(
    "wide-table",
    "Широкая таблица",
    "Таблиц",
    `<body><section><title><p>Глава с таблицей</p></title>${paragraphs.join("")}
<table><tr>${row}</tr><tr>${row}</tr><tr>${row}</tr></table><p>Абзац после таблицы.</p>
${more.join("")}</section></body>`,
  );
}

test("a table wider than a phone's page scrolls sideways in its own box, its words whole", async ({
  page,
  ui,
}) => {
  const book = wideTableBook();
  await register(page, ui);
  await uploadAndRead(page, ui, book);

  const main = page.getByRole("main");
  const region = main.getByRole("region", { name: ui.wideTable });
  await expect(region).toBeVisible();
  const table = region.getByRole("table");
  await expect(table).toHaveCount(1);

  // Every cell's word stands on one line: not broken letter by letter to squeeze the table in.
  for (const cell of await table.getByRole("cell").all()) {
    const lines = await cell.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return range.getClientRects().length;
    });
    expect(lines, `“${await cell.textContent()}” on one line`).toBe(1);
  }
  // The box stays within the page and the table runs on past it, to be scrolled to.
  const [boxRight, columnRight, overflow] = await region.evaluate((element) => [
    element.getBoundingClientRect().right,
    element.parentElement!.getBoundingClientRect().right,
    element.scrollWidth - element.clientWidth,
  ]);
  expect(boxRight, "the table's box within the page").toBeLessThanOrEqual(columnRight + 1);
  expect(overflow, "table width hidden to the side").toBeGreaterThan(100);
  // The text around the table keeps its ordinary lines within the page.
  const after = main.getByText("Абзац после таблицы.", { exact: true });
  const lines = await after.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return range.getClientRects().length;
  });
  expect(lines, "the paragraph after the table on one line").toBe(1);

  // The keyboard reaches the box and scrolls it (the arrow does not turn the page); the box's
  // own scrolling reaches the last column.
  const last = table.getByRole("cell", { name: "кавычка" }).first();
  await expect(last).not.toBeInViewport();
  await region.focus();
  await expect(region).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => region.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  await last.scrollIntoViewIfNeeded();
  await expect(last).toBeInViewport();
  await expect(main.getByText("Абзац 1 перед таблицей.", { exact: true })).toBeInViewport();
});

test("a tap in a table that scrolls sideways stays in the table; a tap beside it turns the page", async ({
  page,
  ui,
}) => {
  const book = wideTableBook(30);
  await register(page, ui);
  await uploadAndRead(page, ui, book);
  const region = page.getByRole("main").getByRole("region", { name: ui.wideTable });
  await expect(region).toBeInViewport();
  const first = await currentView(page);

  // Taps on the table's right end, in the page's right third, where a tap on text turns on.
  const table = (await region.boundingBox())!;
  const end = table.x + table.width - 8;
  await page.touchscreen.tap(end, table.y + table.height / 2);
  await page.touchscreen.tap(end, table.y + table.height / 2);
  // A tap in the same third just below the table, on the text after it, turns one page on...
  await page.touchscreen.tap(end, table.y + table.height + 40);
  await expectMovedFrom(page, first);
  // ...and one page back is the first page: the taps in the table turned nothing.
  await page.getByRole("button", { name: ui.previousPage }).click();
  await expect.poll(() => currentView(page)).toBe(first);
  await expect(region).toBeInViewport();
});

test("a long table that fits the page's width goes on to the next page row by row, leaving no gap", async ({
  page,
  ui,
}) => {
  const rows = Array.from(
    { length: 60 },
    (_, i) => `<tr><td>Строка ${i + 1}</td><td>${i + 1}</td></tr>`,
  );
  const book = writtenFb2(
    "long-table",
    "Длинная таблица",
    "Строк",
    `<body><section><title><p>Глава с длинной таблицей</p></title>
<p>Абзац перед таблицей.</p><table>${rows.join("")}</table><p>Абзац после таблицы.</p>
</section></body>`,
  );
  await register(page, ui);
  await uploadAndRead(page, ui, book);

  const main = page.getByRole("main");
  const before = main.getByText("Абзац перед таблицей.", { exact: true });
  const firstRow = main.getByRole("row", { name: "Строка 1 1", exact: true });
  const lastRow = main.getByRole("row", { name: "Строка 60 60", exact: true });
  await expect(before).toBeInViewport();
  // The table starts right under the paragraph before it, on the same page: no gap.
  await expect(firstRow).toBeInViewport();
  const [above, below] = [(await before.boundingBox())!, (await firstRow.boundingBox())!];
  expect(below.y - (above.y + above.height), "space between the text and the table").toBeLessThan(
    2 * above.height,
  );
  await expect(lastRow).not.toBeInViewport();
  // Its rows go on on the next page, from the one after the last row of this page.
  const rowsOnScreen = async () =>
    (await onScreen(page)).visible.flatMap(({ text }) => {
      const row = /^Строка (\d+)$/.exec(text);
      return row ? [Number(row[1])] : [];
    });
  const first = await currentView(page);
  const lastOnFirstPage = Math.max(...(await rowsOnScreen()));
  await page.getByRole("button", { name: ui.nextPage }).click();
  await expectMovedFrom(page, first);
  await expect(firstRow).not.toBeInViewport();
  expect(Math.min(...(await rowsOnScreen())), "the first row on the next page").toBe(
    lastOnFirstPage + 1,
  );
});

/** An FB2 whose sections nest three deep, their titles numbered by the book itself. */
function nestedContentsBook(): BookFile {
  const section = (title: string, inner = "") =>
    `<section><title><p>${title}</p></title><p>Текст раздела «${title}».</p>${inner}</section>`;
  const body = section(
    "Часть первая",
    section(
      "1. Вложенные разделы",
      section("1.1. Второй уровень", section("1.1.1. Третий уровень")),
    ) + section("2. Соседний раздел"),
  );
  return writtenFb2("nested-contents", "Вложенное содержание", "Разделов", `<body>${body}</body>`);
}

test("the book page's contents is an indented tree, the book's own numbers not numbered again", async ({
  page,
  ui,
}) => {
  const book = nestedContentsBook();
  await register(page, ui);
  await uploadAndOpen(page, ui, book);

  const contents = page.getByRole("navigation", { name: ui.contents });
  const titles = [
    "Часть первая",
    "1. Вложенные разделы",
    "1.1. Второй уровень",
    "1.1.1. Третий уровень",
  ];
  let indent = -1;
  for (const title of titles) {
    const link = contents.getByRole("link", { name: title, exact: true });
    await expect(link).toBeVisible();
    // No list number before the entry: "1. 1.1. Второй уровень" read as two numberings.
    const marker = await link.evaluate((element) => {
      const item = element.closest("li")!;
      return getComputedStyle(item).listStyleType;
    });
    expect(marker, `the list's own number before “${title}”`).toBe("none");
    // Each level stands further in than the one it belongs to.
    const x = (await link.boundingBox())!.x;
    expect(x, `“${title}” indented under its parent`).toBeGreaterThan(indent);
    indent = x;
  }
});

/** An FB2 whose paragraph holds a small picture among its words (FB2's inline `<image>`). */
function inlinePictureBook(): BookFile {
  // A 60×20 PNG, a drawn sign such as books use for a letter or a symbol.
  const sign =
    "iVBORw0KGgoAAAANSUhEUgAAADwAAAAUCAIAAABeYcl+AAAALElEQVR42u3OAQ0AAAQAMOTSf2KpwfYneE53fFPxkLS0tLS0tLS0tLS09H0L1Q4BaMBKf24AAAAASUVORK5CYII=";
  return writtenFb2(
    "inline-picture",
    "Знак в строке",
    "Знаков",
    `<body><section><title><p>Глава со знаком</p></title><p>Абзац перед знаком.</p>
<p>Знак <image l:href="#sign.png"/> стоит в строке.</p><p>Абзац после знака.</p></section></body>
<binary id="sign.png" content-type="image/png">${sign}</binary>`,
  );
}

test("a picture among a paragraph's words stays in its line, not a line of its own", async ({
  page,
  ui,
}) => {
  const book = inlinePictureBook();
  await register(page, ui);
  await uploadAndRead(page, ui, book);

  const paragraph = page.getByRole("main").getByText("стоит в строке.");
  await expect(paragraph).toBeVisible();
  const [loaded, height, lineHeight] = await paragraph.evaluate(async (element) => {
    const image = element.querySelector("img")!;
    await image.decode();
    return [
      image.naturalWidth > 0,
      element.getBoundingClientRect().height,
      parseFloat(getComputedStyle(element).lineHeight),
    ];
  });
  expect(loaded, "the picture loaded").toBe(true);
  // The words before and after the picture and the picture itself: one line, not three.
  expect(height, "paragraph height").toBeLessThan(1.5 * lineHeight);
});

test("on a phone each device's place, time and link stay whole on their lines", async ({
  page,
  ui,
}) => {
  const book = wideTableBook();
  const credentials = await register(page, ui);
  await uploadAndOpen(page, ui, book);
  const bookId = /\/books\/([^/?#]+)/.exec(page.url())![1]!;
  // Five devices whose names end at different widths, so a line would break somewhere in a
  // phrase after one of them unless the phrases are kept whole.
  const api = await apiAs(page.request, credentials);
  const names = [
    "Chromium on Linux",
    "Firefox",
    "Chrome on Android, the kitchen tablet",
    "Safari on iPhone (Anna)",
    "Edge on Windows at work",
  ];
  let version = 0; // each device saves having seen the last one's place: no conflict asked
  for (const [index, name] of names.entries()) {
    ({ version } = await api.send<{ version: number }>("PUT", `/books/${bookId}/position`, {
      based_on: version,
      chapter: 0,
      offset: index * 10,
      percentage: 10 + index,
      device_id: `phone-test-${index}`,
      device_name: name,
    }));
  }
  // Four minutes on: each time reads as a phrase of several words ("4 minutes ago").
  await page.clock.setFixedTime(Date.now() + 4 * 60_000 + 5_000);
  await page.reload();

  const places = page.getByRole("region", { name: ui.devicePlaces });
  const items = places.getByRole("listitem");
  await expect(items).toHaveCount(names.length);
  for (const item of await items.all()) {
    const time = item.locator("time");
    await expect(time).toHaveText(/^4 minutes ago$/);
    const link = item.getByRole("link", { name: /^Open here: chapter 1, \d+% \(/ });
    for (const phrase of [time, link]) {
      const lines = await phrase.evaluate((element) => element.getClientRects().length);
      expect(lines, `“${await phrase.textContent()}” on one line`).toBe(1);
    }
  }
});
