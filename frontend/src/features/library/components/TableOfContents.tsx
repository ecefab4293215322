/** The book's contents as nested lists of links into the reader; labels are book text. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { TocEntry } from "@/lib/api";
import { readerPath } from "../readingProgress";

function Entries({ bookId, entries }: { bookId: string; entries: TocEntry[] }) {
  return (
    <ol>
      {entries.map((entry, index) => (
        <li key={`${entry.chapter}-${entry.offset ?? 0}-${index}`}>
          <Link to={readerPath(bookId, { chapter: entry.chapter, offset: entry.offset ?? 0 })}>
            {entry.title}
          </Link>
          {entry.children && entry.children.length > 0 && (
            <Entries bookId={bookId} entries={entry.children} />
          )}
        </li>
      ))}
    </ol>
  );
}

export function TableOfContents({ bookId, toc }: { bookId: string; toc: TocEntry[] }) {
  const { t } = useTranslation("library");
  if (toc.length === 0) return null;
  return (
    <nav className="toc" aria-label={t("book.contents")}>
      <h2>{t("book.contents")}</h2>
      <Entries bookId={bookId} entries={toc} />
    </nav>
  );
}
