/**
 * A book's pictures on a dark or sepia page. Line art (a drawn sign among a paragraph's words,
 * black strokes on white; a vignette of black strokes on nothing) takes the page's own paper and
 * ink: no white box glaring on the dark page, no black strokes lost in it. A photo keeps its
 * colours, only a little dimmed on the dark page. The light theme shows every picture as it is.
 * What is checked is what is painted on screen: pixels of a screenshot of each picture.
 */
import type { Locator, Page } from "@playwright/test";
import { register } from "./support/account";
import { type BookFile, uploadAndRead, writtenFb2 } from "./support/books";
import { expect, test } from "./support/fixtures";
import type { Ui } from "./support/ui";

type Pictures = { sign: string; vignette: string; photo: string; plate: string };

/** Four PNGs (base64) drawn in the page: a sign, a vignette, a photo and a plate. */
function drawPictures(page: Page): Promise<Pictures> {
  return page.evaluate(() => {
    function png(width: number, height: number, draw: (c: CanvasRenderingContext2D) => void) {
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      draw(canvas.getContext("2d")!);
      return canvas.toDataURL("image/png").split(",")[1]!;
    }
    return {
      // A black sign on white paper, as old books draw a symbol they have no letter for.
      sign: png(60, 20, (c) => {
        c.fillStyle = "#fff";
        c.fillRect(0, 0, 60, 20);
        c.fillStyle = "#000";
        c.fillRect(22, 3, 16, 14);
      }),
      // Black strokes on a transparent ground: a vignette between two parts.
      vignette: png(120, 60, (c) => {
        c.fillStyle = "#000";
        c.fillRect(40, 20, 40, 20);
      }),
      // Colour from edge to edge: red on the left, blue on the right.
      photo: png(120, 60, (c) => {
        const gradient = c.createLinearGradient(0, 0, 120, 0);
        gradient.addColorStop(0, "#d83a2a");
        gradient.addColorStop(1, "#2a5ad8");
        c.fillStyle = gradient;
        c.fillRect(0, 0, 120, 60);
      }),
      // A coloured plate on nothing: dark blue lettering above a red rider, as a title page.
      plate: png(120, 60, (c) => {
        c.fillStyle = "#1d2a5a";
        c.fillRect(20, 6, 80, 10);
        c.fillStyle = "#c83a2a";
        c.fillRect(45, 30, 30, 24);
      }),
    };
  });
}

function picturesBook({ sign, vignette, photo, plate }: Pictures): BookFile {
  const binary = (id: string, data: string) =>
    `<binary id="${id}" content-type="image/png">${data}</binary>`;
  return writtenFb2(
    "pictures",
    "Картинки в тёмной теме",
    "Картинок",
    `<body><section><title><p>Глава с картинками</p></title>
<p>Знак <image l:href="#sign.png" alt="Знак"/> стоит в строке.</p>
<image l:href="#vignette.png" alt="Виньетка"/>
<p>Абзац между картинками.</p>
<image l:href="#photo.png" alt="Фотография"/>
<image l:href="#plate.png" alt="Титульный лист"/>
<p>Абзац после картинок.</p></section></body>
${binary("sign.png", sign)}${binary("vignette.png", vignette)}${binary("photo.png", photo)}${binary("plate.png", plate)}`,
  );
}

type Rgb = [number, number, number];

/** The colours painted on screen at points of `element`, given as fractions of its box. */
async function painted(page: Page, element: Locator, points: [number, number][]): Promise<Rgb[]> {
  const shot = (await element.screenshot()).toString("base64");
  return page.evaluate(
    async ({ shot, points }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${shot}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      return points.map(([x, y]) => {
        const at = (share: number, size: number) => Math.min(size - 1, Math.floor(share * size));
        const [r, g, b] = context.getImageData(at(x, image.width), at(y, image.height), 1, 1).data;
        return [r!, g!, b!] as Rgb;
      });
    },
    { shot, points },
  );
}

const luminance = ([r, g, b]: Rgb) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

/** The page's own colour (the theme's paper). */
async function paper(page: Page): Promise<Rgb> {
  const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b];
}

async function chooseTheme(page: Page, ui: Ui, name: string): Promise<void> {
  await page.getByRole("button", { name: ui.settings }).click();
  await page.getByRole("radio", { name, exact: true }).check();
  await page.keyboard.press("Escape");
}

const near = (a: Rgb, b: Rgb) => Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));

// Points of each picture: its paper (a corner), its ink (the middle), the photo's two ends.
const CORNER: [number, number] = [0.05, 0.1];
const MIDDLE: [number, number] = [0.5, 0.5];
const LEFT: [number, number] = [0.1, 0.5];
const RIGHT: [number, number] = [0.9, 0.5];

test("line art takes the page's paper and ink in the dark and sepia themes; a photo keeps its colours; a plate drawn on nothing keeps a light ground", async ({
  page,
  ui,
}) => {
  await register(page, ui);
  const book = picturesBook(await drawPictures(page));
  await uploadAndRead(page, ui, book);

  const main = page.getByRole("main");
  const sign = main.getByRole("img", { name: "Знак" });
  const vignette = main.getByRole("img", { name: "Виньетка" });
  const photo = main.getByRole("img", { name: "Фотография" });
  const plate = main.getByRole("img", { name: "Титульный лист" });
  for (const picture of [sign, vignette, photo, plate]) {
    await expect(picture).toBeInViewport();
    await expect
      .poll(() => picture.evaluate((image: HTMLImageElement) => image.complete))
      .toBe(true);
  }

  // The light page: every picture as drawn (white around the sign, red and blue in the photo).
  const [signPaper, signInk] = await painted(page, sign, [CORNER, MIDDLE]);
  expect(luminance(signPaper!), "the sign's paper in the light theme").toBeGreaterThan(0.95);
  expect(luminance(signInk!), "the sign's ink in the light theme").toBeLessThan(0.1);
  const [lightRed, lightBlue] = await painted(page, photo, [LEFT, RIGHT]);

  // The dark page: the sign's paper is the page's, its strokes light like the text.
  await chooseTheme(page, ui, ui.darkTheme);
  const dark = await paper(page);
  expect(luminance(dark), "a dark page").toBeLessThan(0.15);
  await expect
    .poll(async () => near((await painted(page, sign, [CORNER]))[0]!, dark), {
      message: "the sign's paper is the dark page's colour, not a white box",
    })
    .toBeLessThan(16);
  const [darkInk] = await painted(page, sign, [MIDDLE]);
  expect(luminance(darkInk!), "the sign's strokes are light on the dark page").toBeGreaterThan(
    0.75,
  );
  const [vignetteInk] = await painted(page, vignette, [MIDDLE]);
  expect(luminance(vignetteInk!), "the vignette's strokes are seen").toBeGreaterThan(0.75);
  // The photo is not turned into its negative: red stays red, blue stays blue, a little dimmer.
  const [darkRed, darkBlue] = await painted(page, photo, [LEFT, RIGHT]);
  expect(darkRed![0], "red on the left").toBeGreaterThan(darkRed![2] + 60);
  expect(darkBlue![2], "blue on the right").toBeGreaterThan(darkBlue![0] + 60);
  expect(luminance(darkRed!)).toBeLessThanOrEqual(luminance(lightRed!));
  expect(luminance(darkRed!)).toBeGreaterThan(0.7 * luminance(lightRed!));
  expect(luminance(darkBlue!)).toBeGreaterThan(0.7 * luminance(lightBlue!));
  // A coloured plate drawn on nothing keeps a light ground: its dark lettering stays readable.
  const [plateGround, plateLettering] = await painted(page, plate, [CORNER, [0.5, 0.18]]);
  expect(luminance(plateGround!), "the plate's ground is light on the dark page").toBeGreaterThan(
    0.6,
  );
  expect(luminance(plateLettering!), "its lettering stays dark").toBeLessThan(0.25);

  // The sepia page: the sign's paper is the page's cream, its strokes dark.
  await chooseTheme(page, ui, ui.sepiaTheme);
  const sepia = await paper(page);
  await expect
    .poll(async () => near((await painted(page, sign, [CORNER]))[0]!, sepia), {
      message: "the sign's paper is the sepia page's colour",
    })
    .toBeLessThan(16);
  const [sepiaInk] = await painted(page, sign, [MIDDLE]);
  expect(luminance(sepiaInk!), "the sign's strokes are dark on the sepia page").toBeLessThan(0.3);
});
