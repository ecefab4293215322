/** Where the reader opens a book, and which way its text runs. */
import type { BookDetail, ReadingPosition } from "@/lib/api";
import type { Place } from "./api/reader";

type ChapterEntry = { index: number };

function placeFromLink(search: URLSearchParams): Place | null {
  const chapter = search.get("chapter");
  if (chapter === null || !/^\d+$/.test(chapter)) return null;
  const offset = search.get("offset") ?? "0";
  return { chapter: Number(chapter), offset: /^\d+$/.test(offset) ? Number(offset) : 0 };
}

/** A link's place wins, then the saved position, then the book's first chapter. */
export function startPlace(
  search: URLSearchParams,
  position: Pick<ReadingPosition, "chapter" | "offset"> | null,
  chapters: readonly ChapterEntry[],
): { place: Place; fromLink: boolean } {
  const link = placeFromLink(search);
  const wanted = link ?? (position ? { chapter: position.chapter, offset: position.offset } : null);
  const indexes = chapters.map((chapter) => chapter.index);
  const first = indexes.length > 0 ? Math.min(...indexes) : 0;
  if (!wanted || !indexes.includes(wanted.chapter)) {
    return { place: { chapter: first, offset: 0 }, fromLink: link !== null };
  }
  return { place: wanted, fromLink: link !== null };
}

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"]);

/** The chapter's declared direction, else the book's, else its language's. */
export function bookDirection(
  chapter: { dir?: string | null } | undefined,
  book: Pick<BookDetail, "language" | "metadata"> | undefined,
): "ltr" | "rtl" {
  const declared = chapter?.dir ?? book?.metadata?.direction ?? book?.metadata?.dir;
  if (declared === "rtl" || declared === "ltr") return declared;
  const base = book?.language?.toLowerCase().split("-")[0] ?? "";
  return RTL_LANGUAGES.has(base) ? "rtl" : "ltr";
}
