import {
  clampPage,
  pageAtDistance,
  pageCount,
  pageGeometry,
  translationFor,
  turnForKey,
  turnForSwipe,
  turnForTap,
} from "./pagination";

describe("pageGeometry", () => {
  it("gives a phone one column the width of the page", () => {
    const geometry = pageGeometry(360, 32);
    expect(geometry).toMatchObject({ columnsPerPage: 1, columnWidth: 360, stride: 392 });
  });

  it("gives a wide window a spread of two columns with a gutter", () => {
    const geometry = pageGeometry(1200, 40);
    expect(geometry.columnsPerPage).toBe(2);
    expect(geometry.columnWidth).toBe(580);
    expect(geometry.stride).toBe(1240);
  });
});

describe("pageCount", () => {
  it("counts the columns the text overflows into", () => {
    const geometry = pageGeometry(360, 32);
    // 5 columns: 5 × 360 + 4 gaps of 32.
    expect(pageCount(5 * 360 + 4 * 32, geometry)).toBe(5);
  });

  it("rounds away sub-pixel widths", () => {
    const geometry = pageGeometry(360, 32);
    expect(pageCount(3 * 360 + 2 * 32 + 0.6, geometry)).toBe(3);
    expect(pageCount(3 * 360 + 2 * 32 - 0.6, geometry)).toBe(3);
  });

  it("makes a half-filled last spread a page of its own", () => {
    const geometry = pageGeometry(1200, 40);
    // 3 columns of 580 → two spreads, the second with one column.
    expect(pageCount(3 * 580 + 2 * 40, geometry)).toBe(2);
  });

  it("is at least one page for an empty chapter", () => {
    expect(pageCount(0, pageGeometry(360, 32))).toBe(1);
  });
});

describe("pages and positions", () => {
  const geometry = pageGeometry(400, 40); // stride 440

  it("finds the page of a point from the start edge", () => {
    expect(pageAtDistance(0, geometry, 10)).toBe(0);
    expect(pageAtDistance(439, geometry, 10)).toBe(0);
    expect(pageAtDistance(440, geometry, 10)).toBe(1);
    expect(pageAtDistance(2 * 440 + 12, geometry, 10)).toBe(2);
  });

  it("keeps the page inside the chapter", () => {
    expect(pageAtDistance(99_999, geometry, 4)).toBe(3);
    expect(clampPage(-2, 4)).toBe(0);
    expect(clampPage(7, 4)).toBe(3);
  });

  it("moves the columns left for a left-to-right book and right for a right-to-left one", () => {
    expect(translationFor(3, geometry, false)).toBe(-1320);
    expect(translationFor(3, geometry, true)).toBe(1320);
    expect(translationFor(0, geometry, false)).toBe(-0);
  });
});

describe("turns", () => {
  it("maps keys to turns, mirrored for right-to-left books", () => {
    expect(turnForKey("ArrowRight", false, false)).toBe("next");
    expect(turnForKey("ArrowLeft", false, false)).toBe("previous");
    expect(turnForKey("ArrowLeft", false, true)).toBe("next");
    expect(turnForKey("PageDown", false, true)).toBe("next");
    expect(turnForKey("PageUp", false, false)).toBe("previous");
    expect(turnForKey(" ", false, false)).toBe("next");
    expect(turnForKey(" ", true, false)).toBe("previous");
    expect(turnForKey("a", false, false)).toBeNull();
  });

  it("turns on taps in the outer thirds only", () => {
    expect(turnForTap(10, 300, false)).toBe("previous");
    expect(turnForTap(290, 300, false)).toBe("next");
    expect(turnForTap(150, 300, false)).toBeNull();
    expect(turnForTap(10, 300, true)).toBe("next");
  });

  it("turns on horizontal swipes, not on vertical drags or small moves", () => {
    expect(turnForSwipe(-120, 10, false)).toBe("next");
    expect(turnForSwipe(120, 10, false)).toBe("previous");
    expect(turnForSwipe(120, 10, true)).toBe("next");
    expect(turnForSwipe(-20, 0, false)).toBeNull();
    expect(turnForSwipe(-80, 200, false)).toBeNull();
  });
});
