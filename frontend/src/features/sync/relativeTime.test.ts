import { relativeTime } from "./relativeTime";

const now = new Date("2026-12-05T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("relativeTime", () => {
  it("says how long ago, in English and Russian", () => {
    expect(relativeTime(ago(5 * 60), now, "en")).toBe("5 minutes ago");
    expect(relativeTime(ago(5 * 60), now, "ru")).toBe("5 минут назад");
    expect(relativeTime(ago(2 * 3600), now, "en")).toBe("2 hours ago");
    expect(relativeTime(ago(26 * 3600), now, "en")).toBe("yesterday");
    expect(relativeTime(ago(3 * 86400), now, "ru")).toBe("3 дня назад");
  });

  it("calls a moment ago, or a clock a little ahead, now", () => {
    expect(relativeTime(ago(10), now, "en")).toBe("now");
    expect(relativeTime(ago(-20), now, "ru")).toBe("сейчас");
  });
});
