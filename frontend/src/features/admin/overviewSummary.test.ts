import { describe, expect, it } from "vitest";
import { bookStateRows, deadLetterTotal, imageTable } from "./overviewSummary";

describe("imageTable", () => {
  it("puts each provider's counts under their states, with totals", () => {
    const table = imageTable([
      { state: "ready", provider: "sketch", count: 3 },
      { state: "failed", provider: "pollinations", count: 2 },
      { state: "ready", provider: "pollinations", count: 5 },
      { state: "queued", provider: "sketch", count: 1 },
    ]);
    expect(table.providers).toEqual(["pollinations", "sketch"]);
    expect(table.counts.sketch).toEqual({ queued: 1, running: 0, ready: 3, failed: 0 });
    expect(table.counts.pollinations).toEqual({ queued: 0, running: 0, ready: 5, failed: 2 });
    expect(table.totalByState).toEqual({ queued: 1, running: 0, ready: 8, failed: 2 });
    expect(table.total).toBe(11);
  });

  it("is empty on a quiet day", () => {
    expect(imageTable([])).toEqual({
      providers: [],
      counts: {},
      totalByState: { queued: 0, running: 0, ready: 0, failed: 0 },
      total: 0,
    });
  });
});

describe("bookStateRows", () => {
  it("lists the busy states first, most books first, then the empty ones in order", () => {
    expect(bookStateRows({ uploading: 0, parsing: 1, ready: 7, failed: 2, deleted: 0 })).toEqual([
      ["ready", 7],
      ["failed", 2],
      ["parsing", 1],
      ["uploading", 0],
      ["deleted", 0],
    ]);
  });
});

describe("deadLetterTotal", () => {
  it("adds the functions' letters up, and says unknown when the bus could not be read", () => {
    expect(
      deadLetterTotal([
        { function: "ExtractFunction", count: 2 },
        { function: "GenerateFunction", count: 1 },
      ]),
    ).toBe(3);
    expect(deadLetterTotal([])).toBe(0);
    expect(deadLetterTotal(null)).toBeNull();
  });
});
