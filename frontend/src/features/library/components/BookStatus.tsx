/** The book's state in words, with a progress bar while the server works on it. */
import { useTranslation } from "react-i18next";
import { ProgressBar } from "@/components/ProgressBar";
import type { BookSummary } from "@/lib/api";
import { isProcessing } from "../bookStates";
import { UploadErrorText } from "./UploadErrorText";

type Props = {
  book: Pick<BookSummary, "state" | "progress" | "error" | "title">;
  chapters?: { done: number | null; total: number | null } | undefined;
};

export function BookStatus({ book, chapters }: Props) {
  const { t } = useTranslation("library");
  if (book.state === "failed") {
    return book.error ? (
      <UploadErrorText error={book.error} />
    ) : (
      <p className="error-text">{t("state.failed")}</p>
    );
  }
  if (!isProcessing(book.state)) return null;
  const extracting = book.state === "extracting";
  const text =
    extracting && chapters?.total
      ? t("extractingChapters", { done: chapters.done ?? 0, count: chapters.total })
      : t(`state.${book.state}`);
  // One progress over parse and extract that never goes back; nothing to show before the file is in.
  const value = book.state === "uploading" ? null : book.progress || null;
  return (
    <div className="book-status">
      <p className="muted status-line" aria-live="polite">
        {text}
      </p>
      <ProgressBar label={t("processingLabel", { title: book.title })} value={value} />
    </div>
  );
}
