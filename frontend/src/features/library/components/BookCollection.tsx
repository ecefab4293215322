/** The books of one page, as a grid of covers or a compact list. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProgressBar } from "@/components/ProgressBar";
import { OfflineBadge, useOfflineBooks } from "@/features/offline";
import type { BookSummary } from "@/lib/api";
import type { View } from "../libraryQuery";
import { BookCover } from "./BookCover";
import { BookStatus } from "./BookStatus";
import { DeleteBookButton } from "./DeleteBookButton";

function Authors({ book }: { book: BookSummary }) {
  const { t } = useTranslation("library");
  return (
    <span className="book-authors">
      {book.authors.length ? book.authors.join(", ") : t("unknownAuthor")}
    </span>
  );
}

function ReadingProgress({ book }: { book: BookSummary }) {
  const { t } = useTranslation("library");
  const read = book.reading_progress ?? 0;
  return (
    <span className="book-reading-progress">
      <ProgressBar label={t("readProgressLabel", { title: book.title })} value={read} />
      <span className="muted small">{t("readPercent", { percent: Math.round(read * 100) })}</span>
    </span>
  );
}

export function BookCollection({ books, view }: { books: BookSummary[]; view: View }) {
  const { t } = useTranslation("library");
  const offline = useOfflineBooks();
  return (
    <ul className={view === "grid" ? "book-grid" : "book-list"} aria-label={t("booksLabel")}>
      {books.map((book) => (
        <li key={book.id} className="book-item">
          <Link to={`/books/${encodeURIComponent(book.id)}`} className="book-link">
            <BookCover book={book} size={view} />
            <span className="book-text">
              <span className="book-title">{book.title}</span> <Authors book={book} />
            </span>
          </Link>
          <div className="book-extra">
            <BookStatus book={book} />
            <OfflineBadge book={offline.get(book.id)} />
            {book.reading_progress != null && <ReadingProgress book={book} />}
            {view === "list" && <DeleteBookButton book={book} />}
          </div>
        </li>
      ))}
    </ul>
  );
}
