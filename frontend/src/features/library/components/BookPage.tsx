/** One book: cover, metadata, contents, progress, and the way into the reader. */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ProgressBar } from "@/components/ProgressBar";
import { usePageTitle } from "@/components/usePageTitle";
import { ExportBook } from "@/features/export";
import { OfflineBookNote, SaveBookOffline, useOfflineBooks } from "@/features/offline";
import { DevicePlaces } from "@/features/sync";
import type { BookDetail } from "@/lib/api";
import { isReadable } from "../bookStates";
import { useBook, usePosition } from "../hooks/useBooks";
import { readerPath } from "../readingProgress";
import { BookCover } from "./BookCover";
import { BookStatus } from "./BookStatus";
import { DeleteBookButton } from "./DeleteBookButton";
import { TableOfContents } from "./TableOfContents";

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value : null;
}

function Facts({ book }: { book: BookDetail }) {
  const { t, i18n } = useTranslation("library");
  const meta = book.metadata;
  const language = book.language
    ? (new Intl.DisplayNames([i18n.language], { type: "language" }).of(book.language) ??
      book.language)
    : null;
  const series = text(meta?.series);
  const rows: [string, string | null][] = [
    [t("book.language"), language],
    [
      t("book.series"),
      series
        ? `${series}${typeof meta?.series_index === "number" ? ` #${meta.series_index}` : ""}`
        : null,
    ],
    [t("book.publisher"), text(meta?.publisher)],
    [t("book.format"), book.format ? book.format.toUpperCase() : null],
    [t("book.words"), book.word_count ? t("common:words", { count: book.word_count }) : null],
    [t("book.readingTime"), book.reading_minutes ? readingTime(book.reading_minutes, t) : null],
    [t("book.file"), book.filename],
  ];
  return (
    <dl className="facts">
      {rows
        .filter((row): row is [string, string] => row[1] !== null)
        .map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

function readingTime(minutes: number, t: TFunction<"library">): string {
  if (minutes < 60) return t("common:minutes", { count: minutes });
  const hours = Math.floor(minutes / 60);
  return t("book.hoursMinutes", {
    hours: t("book.hours", { count: hours }),
    minutes: t("common:minutes", { count: minutes % 60 }),
  });
}

export default function BookPage() {
  const { t } = useTranslation("library");
  const { bookId = "" } = useParams();
  const navigate = useNavigate();
  const book = useBook(bookId);
  const position = usePosition(bookId);
  const offline = useOfflineBooks().get(bookId);
  usePageTitle(book.data?.title);

  if (book.isPending)
    return (
      <p className="page-status" role="status">
        {t("common:loading")}
      </p>
    );
  if (book.error || !book.data) {
    return (
      <div className="page narrow">
        <ErrorNotice error={book.error} />
        <Link to="/">{t("common:backToLibrary")}</Link>
      </div>
    );
  }
  const data = book.data;
  const place = position.data ?? null;
  const read = data.reading_progress ?? null;
  const description = text(data.metadata?.description);

  return (
    <article className="page book-page">
      <div className="book-page-cover">
        <BookCover book={data} size="page" />
      </div>
      <div className="book-page-main">
        <h1>{data.title}</h1>
        <p className="book-authors">
          {data.authors.length ? data.authors.join(", ") : t("unknownAuthor")}
        </p>
        <BookStatus
          book={data}
          chapters={{ done: data.extraction.chapters_done, total: data.extraction.chapters_total }}
        />
        {/* Wait for the position, so the button does not change from "Start" to "Continue". */}
        {isReadable(data.state) && !position.isPending && (
          <div className="book-actions">
            <Link className="button button-primary" to={readerPath(data.id)}>
              {place ? t("book.continue") : t("book.start")}
            </Link>
            {read !== null && (
              <div className="reading-progress">
                <ProgressBar label={t("readProgressLabel", { title: data.title })} value={read} />
                <span className="muted small">
                  {t("readPercent", { percent: Math.round(read * 100) })}
                </span>
              </div>
            )}
          </div>
        )}
        {isReadable(data.state) && place && (
          <DevicePlaces devices={place.devices} pathTo={(at) => readerPath(data.id, at)} />
        )}
        {isReadable(data.state) && (
          <nav className="book-extra-links" aria-label={t("book.more")}>
            <Link to={`/books/${encodeURIComponent(data.id)}/gallery`}>{t("book.gallery")}</Link>
            <Link to={`/books/${encodeURIComponent(data.id)}/cast`}>{t("book.cast")}</Link>
          </nav>
        )}
        <OfflineBookNote book={offline} chapterCount={data.chapters.length} />
        {isReadable(data.state) && (
          <SaveBookOffline bookId={data.id} chapters={data.chapters.map((c) => c.index)} />
        )}
        {isReadable(data.state) && <ExportBook bookId={data.id} title={data.title} />}
        <Facts book={data} />
        {description && <p className="book-description">{description}</p>}
        <TableOfContents bookId={data.id} toc={data.toc ?? []} />
        <div className="book-danger">
          <DeleteBookButton book={data} onDeleted={() => void navigate("/", { replace: true })} />
        </div>
      </div>
    </article>
  );
}
