/** Accessible names of the reader's bookmarks, highlights and notes, written out per language. */
import type { Language } from "./ui";

export type AnnotationsUi = {
  panel: string;
  toolbar: string;
  addNote: string;
  noteField: string;
  saveNote: string;
  highlights: string;
  exportMarkdown: string;
  illustrate: string;
};

export const ANNOTATIONS: Record<Language, AnnotationsUi> = {
  en: {
    panel: "Bookmarks and highlights",
    toolbar: "Selected text",
    addNote: "Add a note",
    noteField: "Your note (Markdown)",
    saveNote: "Save note",
    highlights: "Highlights",
    exportMarkdown: "Markdown",
    illustrate: "Illustrate this passage",
  },
  ru: {
    panel: "Закладки и выделения",
    toolbar: "Выделенный текст",
    addNote: "Добавить заметку",
    noteField: "Ваша заметка (Markdown)",
    saveNote: "Сохранить заметку",
    highlights: "Выделения",
    exportMarkdown: "Markdown",
    illustrate: "Нарисовать этот отрывок",
  },
};
