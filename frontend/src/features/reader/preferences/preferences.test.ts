import {
  changedPreferences,
  clampPreference,
  DEFAULT_PREFERENCES,
  effectiveAlign,
  fontStack,
  readPreferences,
  surfaceStyle,
} from "./preferences";

describe("readPreferences", () => {
  it("fills what the profile lacks with defaults", () => {
    expect(readPreferences(undefined)).toEqual(DEFAULT_PREFERENCES);
    expect(readPreferences({ theme: "sepia" })).toEqual({ ...DEFAULT_PREFERENCES, theme: "sepia" });
  });

  it("replaces unknown values and clamps numbers to the server's bounds", () => {
    const read = readPreferences({
      theme: "neon",
      font_family: "dyslexic",
      font_size: 99,
      line_height: 0.4,
      margin: "wide",
      layout: "scroll",
    });
    expect(read.theme).toBe("light");
    expect(read.font_family).toBe("dyslexic");
    expect(read.font_size).toBe(48);
    expect(read.line_height).toBe(1);
    expect(read.margin).toBe(DEFAULT_PREFERENCES.margin);
    expect(read.layout).toBe("scroll");
  });

  it("rounds slider values to their step without binary noise", () => {
    expect(clampPreference("line_height", 1.6000000000000003)).toBe(1.6);
    expect(clampPreference("font_size", 17.6)).toBe(18);
  });
});

describe("changedPreferences", () => {
  it("sends only what changed", () => {
    const after = { ...DEFAULT_PREFERENCES, font_size: 22, theme: "dark" as const };
    expect(changedPreferences(DEFAULT_PREFERENCES, after)).toEqual({
      font_size: 22,
      theme: "dark",
    });
    expect(changedPreferences(after, after)).toEqual({});
  });
});

describe("applying preferences", () => {
  it("turns typography into the surface's CSS variables", () => {
    const style = surfaceStyle({
      ...DEFAULT_PREFERENCES,
      font_size: 21,
      line_height: 1.8,
      text_align: "left",
      margin: 5,
    });
    expect(style).toMatchObject({
      "--book-font-size": "21px",
      "--book-line-height": "1.8",
      "--book-align": "start",
      "--book-hyphens": "manual",
      "--book-margin": "5",
    });
    expect(style["--book-font"]).toContain("Literata");
  });

  it("justifies only where the browser can hyphenate, so no wide gaps open between words", () => {
    const justified = { ...DEFAULT_PREFERENCES, text_align: "justify" as const };
    expect(surfaceStyle(justified, "ru", true)).toMatchObject({
      "--book-align": "justify",
      "--book-hyphens": "auto",
    });
    expect(surfaceStyle(justified, "ru", false)).toMatchObject({
      "--book-align": "start",
      "--book-hyphens": "manual",
    });
    // The choice itself is kept: another device that can hyphenate justifies.
    expect(effectiveAlign(justified, false)).toBe("left");
    expect(justified.text_align).toBe("justify");
  });

  it("sets a Russian book in the dyslexia-friendly font that has Cyrillic letters first", () => {
    expect(fontStack("dyslexic", "ru").startsWith("Andika")).toBe(true);
    expect(fontStack("dyslexic", "en").startsWith("OpenDyslexic")).toBe(true);
  });
});
