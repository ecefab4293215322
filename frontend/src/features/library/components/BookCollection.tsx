/** The books of one page, as a grid of covers or a compact list. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
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

export function BookCollection({ books, view }: { books: BookSummary[]; view: View }) {
  const { t } = useTranslation("library");
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
            {view === "list" && <DeleteBookButton book={book} />}
          </div>
        </li>
      ))}
    </ul>
  );
}
