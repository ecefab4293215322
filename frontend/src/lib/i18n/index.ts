/**
 * i18next with every feature's strings: `src/locales/<lang>.json` is the `common` namespace and
 * `src/features/<feature>/locales/<lang>.json` the feature's own namespace, merged at startup.
 */
import i18next, { type i18n as I18n, type Resource } from "i18next";
import { initReactI18next } from "react-i18next";

export const LANGUAGES = ["en", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

const LANGUAGE_KEY = "bookreader.language"; // a UI preference, not a secret

type Strings = { default: Record<string, unknown> };

const common = import.meta.glob<Strings>("../../locales/*.json", { eager: true });
const features = import.meta.glob<Strings>("../../features/*/locales/*.json", { eager: true });

/** Turn the globbed files into i18next resources: language → namespace → strings. */
export function collectResources(
  commonFiles: Record<string, Strings>,
  featureFiles: Record<string, Strings>,
): Resource {
  const resources: Resource = {};
  const add = (language: string, namespace: string, strings: Record<string, unknown>) => {
    resources[language] ??= {};
    resources[language][namespace] = strings;
  };
  for (const [path, file] of Object.entries(commonFiles)) {
    const language = /\/(\w+)\.json$/.exec(path)?.[1];
    if (language) add(language, "common", file.default);
  }
  for (const [path, file] of Object.entries(featureFiles)) {
    const match = /features\/([\w-]+)\/locales\/(\w+)\.json$/.exec(path);
    if (match?.[1] && match[2]) add(match[2], match[1], file.default);
  }
  return resources;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The language before we know the profile's: the last one chosen here, else the browser's. */
export function initialLanguage(): Language {
  const saved = globalThis.localStorage?.getItem(LANGUAGE_KEY);
  if (isLanguage(saved)) return saved;
  const browser = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? "en"];
  for (const tag of browser) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

export function createI18n(language: Language = initialLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: collectResources(common, features),
    lng: language,
    fallbackLng: "en",
    defaultNS: "common",
    ns: ["common", ...new Set(Object.keys(features).map((p) => p.split("/")[3] ?? "common"))],
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

export const i18n = createI18n();

export function setLanguage(language: Language): void {
  globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}
