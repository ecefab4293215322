/** Accessible names of the account page's app passwords, written out per language. */
import type { Language } from "./ui";

export type EReadersUi = {
  account: string;
  appPasswords: string;
  createForm: string;
  deviceName: string;
  browseScope: string;
  syncScope: string;
  createdFor: (name: string) => string;
  secret: string;
  /** How the web reader names a KOReader device (the plugin sends its model). */
  koreaderDevice: (model: string) => string;
};

export const E_READERS: Record<Language, EReadersUi> = {
  en: {
    account: "Account",
    appPasswords: "App passwords for e-readers",
    createForm: "Create app password",
    deviceName: "Device name",
    browseScope: "Browse and download books (OPDS)",
    syncScope: "Sync reading progress (KOReader)",
    createdFor: (name) => `The app password for «${name}»:`,
    secret: "App password",
    koreaderDevice: (model) => `KOReader on ${model}`,
  },
  ru: {
    account: "Профиль",
    appPasswords: "Пароли приложений для читалок",
    createForm: "Создать пароль приложения",
    deviceName: "Название устройства",
    browseScope: "Просматривать и скачивать книги (OPDS)",
    syncScope: "Синхронизировать прогресс чтения (KOReader)",
    createdFor: (name) => `Пароль приложения для «${name}»:`,
    secret: "Пароль приложения",
    koreaderDevice: (model) => `KOReader на ${model}`,
  },
};
