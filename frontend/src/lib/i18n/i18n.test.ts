import { describe, expect, it } from "vitest";
import { createI18n } from ".";

const ru = createI18n("ru");
const en = createI18n("en");

describe("translations", () => {
  it("uses the three Russian plural forms", () => {
    const books = (count: number) => ru.t("library:bookCount", { count });
    expect(books(1)).toBe("1 книга");
    expect(books(2)).toBe("2 книги");
    expect(books(4)).toBe("4 книги");
    expect(books(5)).toBe("5 книг");
    expect(books(11)).toBe("11 книг");
    expect(books(12)).toBe("12 книг");
    expect(books(21)).toBe("21 книга");
    expect(books(22)).toBe("22 книги");
    expect(books(25)).toBe("25 книг");
    expect(books(111)).toBe("111 книг");
  });

  it("counts seconds of a rate limit in Russian and English", () => {
    expect(ru.t("auth:rateLimited", { count: 1 })).toContain("1 секунду");
    expect(ru.t("auth:rateLimited", { count: 3 })).toContain("3 секунды");
    expect(ru.t("auth:rateLimited", { count: 30 })).toContain("30 секунд");
    expect(en.t("auth:rateLimited", { count: 1 })).toContain("1 second.");
    expect(en.t("auth:rateLimited", { count: 30 })).toContain("30 seconds.");
  });

  it("formats long numbers for the reader's language", () => {
    expect(en.t("words", { count: 29452 })).toBe("29,452 words");
    expect(ru.t("words", { count: 29452 }).replace(/\s/g, " ")).toBe("29 452 слова");
  });

  it("has every English string in Russian too, with all Russian plural forms", () => {
    const enStore = en.store.data.en ?? {};
    const ruStore = ru.store.data.ru ?? {};
    const missing: string[] = [];
    const walk = (
      source: Record<string, unknown>,
      target: Record<string, unknown> | undefined,
      path: string,
    ) => {
      for (const [key, value] of Object.entries(source)) {
        if (value && typeof value === "object") {
          walk(
            value as Record<string, unknown>,
            target?.[key] as Record<string, unknown> | undefined,
            `${path}${key}.`,
          );
          continue;
        }
        const plural = /^(.*)_(one|other)$/.exec(key);
        const wanted = plural
          ? ["one", "few", "many", "other"].map((form) => `${plural[1]}_${form}`)
          : [key];
        for (const name of wanted)
          if (typeof target?.[name] !== "string") missing.push(`${path}${name}`);
      }
    };
    for (const [namespace, strings] of Object.entries(enStore)) {
      walk(
        strings as Record<string, unknown>,
        ruStore[namespace] as Record<string, unknown>,
        `${namespace}:`,
      );
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});
