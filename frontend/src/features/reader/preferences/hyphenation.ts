/**
 * Whether the browser can hyphenate a language. Justified text without hyphenation opens wide
 * gaps between words on narrow pages, and `hyphens: auto` does nothing without the language's
 * dictionary (Debian's Chromium ships none), so the reader asks the browser before justifying.
 */
import { isCyrillicLanguage } from "./preferences";

// Long words that any hyphenation dictionary of their script breaks several times.
const CYRILLIC_WORD = "достопримечательность";
const LATIN_WORD = "characteristically";
// Chinese, Japanese and Korean justify between characters: no hyphens needed.
const WITHOUT_HYPHENS = new Set(["zh", "ja", "ko"]);

const known = new Map<string, boolean>();

/** True when a long word in the language breaks into lines with hyphens in a narrow box. */
export function canHyphenate(language: string | null, doc: Document = document): boolean {
  const lang = (language || doc.documentElement.lang || "en").toLowerCase();
  const base = lang.split("-")[0] ?? lang;
  if (WITHOUT_HYPHENS.has(base)) return true;
  const cached = known.get(lang);
  if (cached !== undefined) return cached;
  const probe = doc.createElement("div");
  probe.lang = lang;
  probe.setAttribute("aria-hidden", "true");
  probe.textContent = isCyrillicLanguage(lang) ? CYRILLIC_WORD : LATIN_WORD;
  // Without a dictionary the word cannot break (overflow-wrap normal) and stays on one line.
  probe.style.cssText =
    "position:absolute;visibility:hidden;left:0;top:0;width:3em;font:16px/20px serif;" +
    "hyphens:auto;-webkit-hyphens:auto;overflow-wrap:normal;word-break:normal;white-space:normal";
  doc.body.append(probe);
  const lines = Math.round(probe.getBoundingClientRect().height / 20);
  probe.remove();
  const result = lines > 1;
  // A dictionary may still be on its way (Chrome fetches some on first use): ask again later.
  if (result) known.set(lang, result);
  return result;
}
