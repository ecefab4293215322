/** The reader's top bar: back to the library, where we are, the contents and the settings. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ArrowBack, BookmarkIcon, ListIcon, PictureIcon, SearchIcon, TypeIcon } from "./icons";

type Props = {
  bookTitle: string;
  chapterTitle: string;
  onContents: () => void;
  onSettings: () => void;
  /** The chapter's passages (shown when it has any). */
  onPassages?: () => void;
  /** Search in the book. */
  onSearch?: () => void;
  /** The book's bookmarks and highlights. */
  onAnnotations?: () => void;
};

/** A title as compared: case, spacing and the kind of apostrophe or quote do not matter. */
function comparable(title: string): string {
  return title
    .normalize("NFKC")
    .replace(/[‘’ʼ]/g, "'")
    .replace(/[“”«»„]/g, '"')
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

export function ReaderHeader({
  bookTitle,
  chapterTitle,
  onContents,
  onSettings,
  onPassages,
  onSearch,
  onAnnotations,
}: Props) {
  const { t } = useTranslation("reader");
  const { t: ts } = useTranslation("search");
  // A book's first chapter (or only one) is often named after the book: say it once.
  const showChapter = comparable(chapterTitle) !== comparable(bookTitle);
  return (
    <header className="reader-bar">
      <Link to="/" className="icon-button reader-back" aria-label={t("backToLibrary")}>
        <ArrowBack />
      </Link>
      <div className="reader-titles">
        {/* On a phone a chapter's title takes the book's place on screen (see reader.css). */}
        <h1 className={`reader-book-title${showChapter ? " has-chapter" : ""}`}>{bookTitle}</h1>
        {showChapter ? <p className="reader-chapter-title">{chapterTitle}</p> : null}
      </div>
      <button type="button" className="icon-button" onClick={onContents} aria-label={t("contents")}>
        <ListIcon />
      </button>
      {onPassages ? (
        <button
          type="button"
          className="icon-button"
          onClick={onPassages}
          aria-label={t("passage.list")}
        >
          <PictureIcon />
        </button>
      ) : null}
      {onSearch ? (
        <button type="button" className="icon-button" onClick={onSearch} aria-label={ts("open")}>
          <SearchIcon />
        </button>
      ) : null}
      {onAnnotations ? (
        <button
          type="button"
          className="icon-button"
          onClick={onAnnotations}
          aria-label={t("annotations.open")}
        >
          <BookmarkIcon />
        </button>
      ) : null}
      <button type="button" className="icon-button" onClick={onSettings} aria-label={t("settings")}>
        <TypeIcon />
      </button>
    </header>
  );
}
