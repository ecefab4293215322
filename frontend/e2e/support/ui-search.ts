/** Accessible names of full-text search (library and reader), written out per language. */
import type { Language } from "./ui";

export type SearchUi = {
  libraryField: string;
  submit: string;
  openHit: (book: string) => RegExp;
  openSearch: string;
  field: string;
  results: string;
  resultCount: RegExp;
  bar: string;
  next: string;
  previous: string;
};

export const SEARCH_UI: Record<Language, SearchUi> = {
  en: {
    libraryField: "Words in the books' text",
    submit: "Search",
    openHit: (book) => new RegExp(`^Open ${book} at “`),
    openSearch: "Search in the book",
    field: "Words to find",
    results: "Results",
    resultCount: /^\d+\+? results?$/,
    bar: "Search results",
    next: "Next result",
    previous: "Previous result",
  },
  ru: {
    libraryField: "Слова в тексте книг",
    submit: "Найти",
    openHit: (book) => new RegExp(`^Открыть «${book}» на «`),
    openSearch: "Поиск по книге",
    field: "Что найти",
    results: "Результаты",
    resultCount: /^(Больше )?\d+ результат(а|ов)?$/,
    bar: "Результаты поиска",
    next: "Следующий результат",
    previous: "Предыдущий результат",
  },
};
