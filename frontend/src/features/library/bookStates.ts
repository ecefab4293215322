/** What a book's state means to the reader of the library. */
import type { BookState, BookSummary } from "@/lib/api";

/** States in which the server is still working on the book: the screens poll these. */
const WORKING: ReadonlySet<BookState> = new Set(["uploading", "parsing", "parsed", "extracting"]);

export function isProcessing(state: BookState): boolean {
  return WORKING.has(state);
}

/** A book can be opened once parsed; extraction of passages goes on while it is read. */
export function isReadable(state: BookState): boolean {
  return (
    state === "parsed" ||
    state === "extracting" ||
    state === "ready" ||
    state === "extraction_unsupported_language"
  );
}

export function anyProcessing(books: readonly Pick<BookSummary, "state">[]): boolean {
  return books.some((book) => isProcessing(book.state));
}
