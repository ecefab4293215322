/** Accessible names of the gallery, cast and administration pages, written out per language. */
import type { Language } from "./ui";

export type ElsewhereUi = {
  gallery: string;
  cast: string;
  recent: string;
  pictureOf: (passageStart: string) => RegExp;
  characters: string;
  moreLater: RegExp;
  firstSeenLabel: (name: string) => RegExp;
  admin: string;
  administration: string;
  notAllowed: string;
  overview: string;
  search: string;
  disable: (email: string) => string;
  disableConfirm: string;
  disabled: string;
  account: string;
  downloadEpub: string;
  saveEpub: RegExp;
};

export const ELSEWHERE: Record<Language, ElsewhereUi> = {
  en: {
    gallery: "Gallery",
    cast: "Cast",
    recent: "Recent illustrations",
    pictureOf: (start) => new RegExp(`^Illustration: ${escape(start)}`),
    characters: "Characters",
    moreLater: /^\d+ more appears? later in the book\.$/,
    firstSeenLabel: (name) => new RegExp(`^${escape(name)} first appears in `),
    admin: "Admin",
    administration: "Administration",
    notAllowed: "Not allowed",
    overview: "Overview",
    search: "Search",
    disable: (email) => `Disable ${email}`,
    disableConfirm: "Disable",
    disabled: "Disabled",
    account: "Account",
    downloadEpub: "Download illustrated EPUB",
    saveEpub: /^Save .+\.epub \(\d+\.\d MB\)$/,
  },
  ru: {
    gallery: "Галерея",
    cast: "Персонажи",
    recent: "Недавние иллюстрации",
    pictureOf: (start) => new RegExp(`^Иллюстрация: ${escape(start)}`),
    characters: "Действующие лица",
    moreLater: /^Ещё \d+ появ(ит|ят)ся дальше в книге\.$/,
    firstSeenLabel: (name) => new RegExp(`^${escape(name)} впервые появляется: `),
    admin: "Администрирование",
    administration: "Администрирование",
    notAllowed: "Доступ запрещён",
    overview: "Сводка",
    search: "Найти",
    disable: (email) => `Отключить ${email}`,
    disableConfirm: "Отключить",
    disabled: "Отключён",
    account: "Профиль",
    downloadEpub: "Скачать EPUB с иллюстрациями",
    saveEpub: /^Сохранить .+\.epub \(\d+\.\d МБ\)$/,
  },
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
