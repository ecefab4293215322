/**
 * The reader's preferences (stored in the profile as `preferences`): the allowed values in one
 * place, reading whatever the server sent into a complete, valid set, and turning a set into the
 * CSS custom properties the book surface reads.
 */

export const THEMES = ["light", "sepia", "dark"] as const;
// "dyslexic" is newer than the generated API types; regenerating them changes nothing here.
export const FONT_FAMILIES = ["serif", "sans-serif", "monospace", "dyslexic"] as const;
export const TEXT_ALIGNS = ["left", "justify"] as const;
export const LAYOUTS = ["paginated", "scroll"] as const;

export type Theme = (typeof THEMES)[number];
export type FontFamily = (typeof FONT_FAMILIES)[number];
export type TextAlign = (typeof TEXT_ALIGNS)[number];
export type Layout = (typeof LAYOUTS)[number];

export type ReaderPreferences = {
  theme: Theme;
  font_family: FontFamily;
  font_size: number;
  line_height: number;
  text_align: TextAlign;
  margin: number;
  layout: Layout;
  show_illustrations: boolean;
  /** Described passages underlined in the text. */
  show_marks: boolean;
};

export const DEFAULT_PREFERENCES: ReaderPreferences = {
  theme: "light",
  font_family: "serif",
  font_size: 18,
  line_height: 1.5,
  text_align: "justify",
  margin: 2,
  layout: "paginated",
  show_illustrations: true,
  show_marks: true,
};

/** The server's bounds (ReaderPreferences in the API) and the step of each slider. */
export const LIMITS = {
  font_size: { min: 10, max: 48, step: 1 },
  line_height: { min: 1, max: 3, step: 0.1 },
  margin: { min: 0, max: 10, step: 1 },
} as const;

type NumericPreference = keyof typeof LIMITS;

function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return typeof value === "string" && (values as readonly string[]).includes(value)
    ? (value as T)
    : fallback;
}

export function clampPreference(name: NumericPreference, value: number): number {
  const { min, max, step } = LIMITS[name];
  const stepped = Math.round(value / step) * step;
  // Round away binary noise from 0.1 steps (1.5000000000000002 → 1.5).
  return Math.min(max, Math.max(min, Number(stepped.toFixed(2))));
}

function numeric(name: NumericPreference, value: unknown): number {
  return typeof value === "number" && Number.isFinite(value)
    ? clampPreference(name, value)
    : DEFAULT_PREFERENCES[name];
}

/** A complete, valid set from whatever the profile holds (unknown or bad values → defaults). */
export function readPreferences(raw: unknown): ReaderPreferences {
  const source = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const d = DEFAULT_PREFERENCES;
  return {
    theme: oneOf(THEMES, source.theme, d.theme),
    font_family: oneOf(FONT_FAMILIES, source.font_family, d.font_family),
    font_size: numeric("font_size", source.font_size),
    line_height: numeric("line_height", source.line_height),
    text_align: oneOf(TEXT_ALIGNS, source.text_align, d.text_align),
    margin: numeric("margin", source.margin),
    layout: oneOf(LAYOUTS, source.layout, d.layout),
    show_illustrations:
      typeof source.show_illustrations === "boolean"
        ? source.show_illustrations
        : d.show_illustrations,
    show_marks: typeof source.show_marks === "boolean" ? source.show_marks : d.show_marks,
  };
}

/** Only the preferences that differ from `before` (what a PATCH needs to send). */
export function changedPreferences(
  before: ReaderPreferences,
  after: ReaderPreferences,
): Partial<ReaderPreferences> {
  const changes: Partial<ReaderPreferences> = {};
  for (const key of Object.keys(after) as (keyof ReaderPreferences)[]) {
    if (before[key] !== after[key]) Object.assign(changes, { [key]: after[key] });
  }
  return changes;
}

// Cyrillic text falls through OpenDyslexic (Latin only) to Andika, a Cyrillic font designed
// for legibility; a Russian book starts with Andika so its punctuation matches its letters.
const FONT_STACKS: Record<FontFamily, string> = {
  serif: '"Literata Variable", Literata, Georgia, "Times New Roman", serif',
  "sans-serif": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
  monospace: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
  dyslexic: 'OpenDyslexic, Andika, "Comic Sans MS", sans-serif',
};

export function fontStack(family: FontFamily, language?: string | null): string {
  if (family === "dyslexic" && isCyrillicLanguage(language)) {
    return 'Andika, OpenDyslexic, "Comic Sans MS", sans-serif';
  }
  return FONT_STACKS[family];
}

/** Whether a language (a BCP 47 tag) is written in Cyrillic. */
export function isCyrillicLanguage(language?: string | null): boolean {
  const base = language?.toLowerCase().split("-")[0] ?? "";
  return ["ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"].includes(base);
}

/**
 * The alignment the text gets: justified only where the browser can hyphenate the book's
 * language; without hyphens a justified narrow column opens gaps of several spaces between
 * words, so it is aligned to the start instead (the setting says why).
 */
export function effectiveAlign(preferences: ReaderPreferences, hyphenates: boolean): TextAlign {
  return preferences.text_align === "justify" && hyphenates ? "justify" : "left";
}

/** The CSS custom properties of the book surface for a set of preferences. */
export function surfaceStyle(
  preferences: ReaderPreferences,
  language?: string | null,
  hyphenates = true,
): Record<string, string> {
  const align = effectiveAlign(preferences, hyphenates);
  return {
    "--book-font": fontStack(preferences.font_family, language),
    "--book-font-size": `${preferences.font_size}px`,
    "--book-line-height": String(preferences.line_height),
    // "start", not "left": a right-to-left book starts on the right.
    "--book-align": align === "justify" ? "justify" : "start",
    "--book-hyphens": align === "justify" ? "auto" : "manual",
    "--book-margin": String(preferences.margin),
  };
}
