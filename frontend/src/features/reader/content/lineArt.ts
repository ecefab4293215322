/**
 * Which of a book's pictures are line art: dark strokes on white paper or on nothing (a drawn
 * letter or sign, a diagram, a vignette). In the dark and sepia themes reader.css redraws those
 * in the theme's own ink and paper through the filters below, instead of a white box glaring
 * on a dark page or black strokes lost on it; photos and coloured plates are only dimmed.
 */

/** The attribute that marks a book's picture as line art (not a book attribute). */
export const LINE_ART = "data-line-art";
/**
 * The attribute that marks a picture drawn on nothing that is not line art: a coloured plate or
 * a sketch in half-transparent strokes, made for a light page. On the dark page it gets a light
 * ground of its own, or its dark lettering and strokes vanish into the page.
 */
export const SEE_THROUGH = "data-see-through";

type Rgb = readonly [number, number, number];

/** The themes' paper and ink: their --bg and --text in styles/global.css. */
export const INK_FILTERS = {
  "reader-ink-dark": { ink: [0xeb, 0xe9, 0xe4], paper: [0x15, 0x17, 0x1a] },
  "reader-ink-sepia": { ink: [0x3b, 0x2f, 0x20], paper: [0xf4, 0xec, 0xd8] },
} as const satisfies Record<string, { ink: Rgb; paper: Rgb }>;

/**
 * An feColorMatrix (sRGB, values 0…1) that paints a pixel's luminance between `ink` (black)
 * and `paper` (white); alpha stays, so what was transparent stays transparent.
 */
export function inkMatrix(ink: Rgb, paper: Rgb): string {
  const rows = [0, 1, 2].map((channel) => {
    const from = ink[channel]! / 255;
    const span = paper[channel]! / 255 - from;
    const weights = LUMINANCE.map((weight) => round(span * weight));
    return [...weights, 0, round(from)].join(" ");
  });
  return [...rows, "0 0 0 1 0"].join("\n");
}

const LUMINANCE = [0.2126, 0.7152, 0.0722] as const;

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

// Paper: a transparent pixel, or a light grey one (strokes shrunk into the sample blur to grey).
const TRANSPARENT = 26;
const PAPER_LUMINANCE = 0.75;
// A pixel whose channels differ more than this is coloured: not ink, not paper.
const COLOURED_SPREAD = 40;

/**
 * Line art: at least half of the picture is paper and almost none of it is coloured. `pixels`
 * are RGBA bytes, as a canvas's getImageData gives them.
 */
export function isLineArt(pixels: ArrayLike<number>): boolean {
  const total = Math.floor(pixels.length / 4);
  if (total === 0) return false;
  let paper = 0;
  let coloured = 0;
  for (let i = 0; i + 3 < pixels.length; i += 4) {
    const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
    if (a < TRANSPARENT) {
      paper += 1;
    } else if (Math.max(r, g, b) - Math.min(r, g, b) > COLOURED_SPREAD) {
      coloured += 1;
    } else if (LUMINANCE[0] * r + LUMINANCE[1] * g + LUMINANCE[2] * b >= PAPER_LUMINANCE * 255) {
      paper += 1;
    }
  }
  return paper >= total / 2 && coloured <= total * 0.02;
}

// A picture this much of which is transparent or half-transparent is drawn on nothing.
const SEE_THROUGH_SHARE = 0.2;
const OPAQUE = 230;

/** Whether a picture is drawn on nothing: a fifth or more of its pixels let the page through. */
export function isSeeThrough(pixels: ArrayLike<number>): boolean {
  const total = Math.floor(pixels.length / 4);
  let through = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! < OPAQUE) through += 1;
  return total > 0 && through >= total * SEE_THROUGH_SHARE;
}

// Large enough to keep a letter's strokes, small enough to read in well under a millisecond.
const SAMPLE_SIDE = 64;

/**
 * Marks a loaded picture of the book as line art, as drawn on nothing, or neither. A picture the page may not read (from
 * another origin, without CORS) stays unmarked: it is dimmed in the dark theme like a photo.
 */
export function markPicture(image: HTMLImageElement): void {
  if (!image.naturalWidth || !image.naturalHeight) return;
  const scale = Math.min(1, SAMPLE_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
  const width = Math.max(1, Math.round(image.naturalWidth * scale));
  const height = Math.max(1, Math.round(image.naturalHeight * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) return;
  let pixels: Uint8ClampedArray;
  try {
    context.drawImage(image, 0, 0, width, height);
    pixels = context.getImageData(0, 0, width, height).data;
  } catch {
    return; // a tainted canvas: the picture cannot be read here
  }
  const lineArt = isLineArt(pixels);
  image.toggleAttribute(LINE_ART, lineArt);
  image.toggleAttribute(SEE_THROUGH, !lineArt && isSeeThrough(pixels));
}
