import { INK_FILTERS, inkMatrix, isLineArt, isSeeThrough } from "./lineArt";

type Pixel = readonly [number, number, number, number];

/** RGBA bytes of `count` pixels of each colour, as getImageData gives them. */
function pixels(...runs: [Pixel, number][]): number[] {
  return runs.flatMap(([pixel, count]) => Array.from({ length: count }, () => pixel).flat());
}

const WHITE: Pixel = [255, 255, 255, 255];
const BLACK: Pixel = [0, 0, 0, 255];
const GREY: Pixel = [128, 128, 128, 255];
const NOTHING: Pixel = [0, 0, 0, 0];
const RED: Pixel = [200, 60, 60, 255];
const SKY: Pixel = [90, 140, 210, 255];

describe("isLineArt", () => {
  it("takes black strokes on white paper, blurred edges and all, for line art", () => {
    expect(isLineArt(pixels([WHITE, 70], [BLACK, 20], [GREY, 10]))).toBe(true);
  });

  it("takes black strokes on a transparent ground for line art", () => {
    expect(isLineArt(pixels([NOTHING, 80], [BLACK, 20]))).toBe(true);
  });

  it("does not take a photo, a coloured sign or a dark engraving for line art", () => {
    expect(isLineArt(pixels([SKY, 50], [WHITE, 40], [GREY, 10])), "photo").toBe(false);
    expect(isLineArt(pixels([RED, 100])), "coloured sign").toBe(false);
    expect(isLineArt(pixels([WHITE, 30], [BLACK, 40], [GREY, 30])), "mostly ink").toBe(false);
  });

  it("does not take strokes in colour on white for line art", () => {
    expect(isLineArt(pixels([WHITE, 80], [RED, 20]))).toBe(false);
  });

  it("reads nothing into no pixels", () => {
    expect(isLineArt([])).toBe(false);
  });
});

describe("isSeeThrough", () => {
  const HALF: Pixel = [20, 30, 90, 120];

  it("takes a plate or a sketch drawn on nothing, half-transparent strokes included", () => {
    expect(isSeeThrough(pixels([NOTHING, 30], [RED, 60], [SKY, 10]))).toBe(true);
    expect(isSeeThrough(pixels([HALF, 25], [BLACK, 75]))).toBe(true);
  });

  it("does not take an opaque picture or one with a few clear pixels", () => {
    expect(isSeeThrough(pixels([RED, 90], [SKY, 10]))).toBe(false);
    expect(isSeeThrough(pixels([NOTHING, 5], [SKY, 95]))).toBe(false);
    expect(isSeeThrough([])).toBe(false);
  });
});

describe("inkMatrix", () => {
  /** What the matrix makes of one opaque or transparent pixel (channels 0…1). */
  function apply(matrix: string, [r, g, b, a]: readonly number[]): number[] {
    const values = matrix.split(/\s+/).map(Number);
    return [0, 1, 2, 3].map((row) => {
      const [wr, wg, wb, wa, offset] = values.slice(row * 5, row * 5 + 5);
      return wr! * r! + wg! * g! + wb! * b! + wa! * a! + offset!;
    });
  }
  const bytes = (channels: number[]) => channels.map((value) => Math.round(value * 255));

  it("paints white as the theme's paper and black as its ink", () => {
    const { ink, paper } = INK_FILTERS["reader-ink-dark"];
    const matrix = inkMatrix(ink, paper);
    expect(bytes(apply(matrix, [1, 1, 1, 1]))).toEqual([...paper, 255]);
    expect(bytes(apply(matrix, [0, 0, 0, 1]))).toEqual([...ink, 255]);
  });

  it("leaves what is transparent transparent", () => {
    const { ink, paper } = INK_FILTERS["reader-ink-sepia"];
    expect(apply(inkMatrix(ink, paper), [0, 0, 0, 0])[3]).toBe(0);
  });
});
