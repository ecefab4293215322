/**
 * Each file's way into the library, as a pure reducer: checking → starting → uploading (bytes
 * sent / total) → processing (the server parses, then finds passages) → ready, or failed /
 * duplicate. The screens only render this state; `api/uploads.ts` drives it.
 */
import type { BookSummary } from "@/lib/api";
import { isProcessing } from "./bookStates";

export type UploadError = { code: string; message: string; details: Record<string, unknown> };

export type UploadPhase =
  | "checking" // hashing the file, so a book already in the library is not sent again
  | "starting" // asking the API where to send it
  | "uploading"
  | "processing"
  | "ready"
  | "duplicate"
  | "failed";

export type UploadItem = {
  id: string;
  name: string;
  size: number;
  phase: UploadPhase;
  loaded: number;
  bookId: string | null;
  /** The book as the API last described it, while it is processed. */
  book: Pick<BookSummary, "state" | "progress"> | null;
  error: UploadError | null;
};

export type UploadAction =
  | { type: "added"; items: { id: string; name: string; size: number }[] }
  | { type: "starting"; id: string }
  | { type: "started"; id: string; bookId: string }
  | { type: "progress"; id: string; loaded: number }
  | { type: "sent"; id: string; bookId: string }
  | { type: "duplicate"; id: string; bookId: string }
  | { type: "failed"; id: string; error: UploadError }
  | { type: "bookChanged"; bookId: string; book: Pick<BookSummary, "state" | "progress" | "error"> }
  | { type: "dismissed"; id: string };

export function uploadReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case "added":
      return [
        ...items,
        ...action.items.map((item) => ({
          ...item,
          phase: "checking" as const,
          loaded: 0,
          bookId: null,
          book: null,
          error: null,
        })),
      ];
    case "dismissed":
      return items.filter((item) => item.id !== action.id);
    case "bookChanged":
      return items.map((item) =>
        item.bookId === action.bookId && item.phase === "processing"
          ? afterProcessing(item, action.book)
          : item,
      );
    default:
      return items.map((item) => (item.id === action.id ? step(item, action) : item));
  }
}

function step(item: UploadItem, action: UploadAction): UploadItem {
  switch (action.type) {
    case "starting":
      return { ...item, phase: "starting" };
    case "started":
      return { ...item, phase: "uploading", bookId: action.bookId, loaded: 0 };
    case "progress":
      if (item.phase !== "uploading") return item;
      // Never move backwards: a retried request restarts its own count from zero.
      return { ...item, loaded: Math.min(item.size, Math.max(item.loaded, action.loaded)) };
    case "sent":
      return { ...item, phase: "processing", loaded: item.size, bookId: action.bookId };
    case "duplicate":
      return { ...item, phase: "duplicate", bookId: action.bookId };
    case "failed":
      return { ...item, phase: "failed", error: action.error };
    default:
      return item;
  }
}

function afterProcessing(
  item: UploadItem,
  book: Pick<BookSummary, "state" | "progress" | "error">,
): UploadItem {
  const known = { state: book.state, progress: book.progress };
  if (book.state === "failed") {
    const error = book.error ?? { code: "parse_error", message: "", details: {} };
    if (error.code === "duplicate" && typeof error.details.book_id === "string") {
      return { ...item, phase: "duplicate", book: known, error, bookId: item.bookId };
    }
    return { ...item, phase: "failed", book: known, error };
  }
  return { ...item, book: known, phase: isProcessing(book.state) ? "processing" : "ready" };
}

/** The fraction of the upload's bytes sent, for the progress bar. */
export function uploadFraction(item: UploadItem): number {
  return item.size === 0 ? 1 : item.loaded / item.size;
}

/** The book to link to for a duplicate: the one already in the library. */
export function existingBookId(item: UploadItem): string | null {
  const fromError = item.error?.details.book_id;
  if (typeof fromError === "string") return fromError;
  return item.phase === "duplicate" ? item.bookId : null;
}

export function isSettled(item: UploadItem): boolean {
  return item.phase === "ready" || item.phase === "failed" || item.phase === "duplicate";
}
