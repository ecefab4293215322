import { describe, expect, it } from "vitest";
import { quotaLeft } from "./illustrationStyles";

describe("quotaLeft", () => {
  it("counts what is left and resets at the next UTC midnight", () => {
    const now = new Date("2026-12-05T22:30:00Z");
    expect(quotaLeft({ daily_limit: 50, used_today: 12 }, now)).toEqual({
      left: 38,
      limit: 50,
      resetsAt: new Date("2026-12-06T00:00:00Z"),
    });
  });

  it("never goes below zero when an administrator lowered the limit after use", () => {
    expect(quotaLeft({ daily_limit: 5, used_today: 9 }).left).toBe(0);
  });

  it("rolls over months and years", () => {
    const now = new Date("2026-12-31T23:59:59Z");
    expect(quotaLeft({ daily_limit: 1, used_today: 0 }, now).resetsAt).toEqual(
      new Date("2027-01-01T00:00:00Z"),
    );
  });
});
