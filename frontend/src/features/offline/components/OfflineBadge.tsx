/** "Available offline": a book whose chapters this device keeps, so it reads without a network. */
import { useTranslation } from "react-i18next";
import type { CachedBook } from "../core/eviction";

function SavedIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm3.1 5.1-3.6 3.8a.75.75 0 0 1-1.1 0L4.9 8.8a.75.75 0 1 1 1.1-1l1 1.1 3-3.3a.75.75 0 1 1 1.1 1Z"
        fill="currentColor"
      />
    </svg>
  );
}

/** The short mark in the library's list. */
export function OfflineBadge({ book }: { book: CachedBook | undefined }) {
  const { t } = useTranslation("offline");
  if (!book) return null;
  return (
    <span className="offline-badge">
      <SavedIcon />
      {t("available")}
    </span>
  );
}

/** On the book's page: how much of it this device keeps. */
export function OfflineBookNote({
  book,
  chapterCount,
}: {
  book: CachedBook | undefined;
  chapterCount: number;
}) {
  const { t } = useTranslation("offline");
  if (!book) return null;
  const kept = Math.min(book.chapters.length, chapterCount || book.chapters.length);
  return (
    <p className="offline-badge offline-note">
      <SavedIcon />
      {t("availableChapters", { count: chapterCount || kept, kept })}
    </p>
  );
}
