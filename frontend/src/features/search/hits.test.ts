import { describe, expect, it } from "vitest";
import type { SearchHit } from "./api/search";
import { chapterMarks, hitAt, stepHit } from "./hits";

const hit = (chapter: number, start: number, end: number): SearchHit => ({
  book_id: "b",
  chapter,
  chapter_title: "",
  start,
  end,
  marks: [
    [start, end],
    [end + 10, end + 14],
  ],
  snippet: "",
  rank: 0,
});

describe("search hits in the reader", () => {
  it("steps forward and back around the ends", () => {
    expect(stepHit(3, null, 1)).toBe(0);
    expect(stepHit(3, null, -1)).toBe(2);
    expect(stepHit(3, 2, 1)).toBe(0);
    expect(stepHit(3, 0, -1)).toBe(2);
    expect(stepHit(0, null, 1)).toBeNull();
  });

  it("finds the hit a link pointed at, else the next one", () => {
    const hits = [hit(0, 5, 9), hit(2, 40, 44), hit(2, 90, 95)];
    expect(hitAt(hits, { chapter: 2, start: 90 })).toBe(2);
    expect(hitAt(hits, { chapter: 2, start: 50 })).toBe(2);
    expect(hitAt(hits, { chapter: 1, start: 0 })).toBe(1);
    expect(hitAt(hits, { chapter: 9, start: 0 })).toBe(0);
  });

  it("marks every match of the chapter on screen only", () => {
    const hits = [hit(0, 5, 9), hit(2, 40, 44)];
    expect(chapterMarks(hits, 2)).toEqual([
      { start: 40, end: 44 },
      { start: 54, end: 58 },
    ]);
  });
});
