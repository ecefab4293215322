/**
 * The library's search inside the books' text: the matching books, best first, each with its
 * best hits; a hit opens the reader at it, with the search carried along so it is marked there.
 */
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { type SearchHit, searchKeys, searchLibrary } from "../api/search";
import { snippetText } from "../snippet";
import { Snippet } from "./Snippet";
import "../search.css";

/** The reader at a hit: its place, and the query to mark (read once by the reader). */
export function hitPath(hit: SearchHit, q: string): string {
  const params = new URLSearchParams({
    chapter: String(hit.chapter),
    offset: String(hit.start),
    q,
    hit: `${hit.start}-${hit.end}`,
  });
  return `/books/${encodeURIComponent(hit.book_id)}/read?${params}`;
}

export function LibraryTextSearch() {
  const { t } = useTranslation("search");
  const headingId = useId();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const result = useQuery({
    queryKey: searchKeys.library(q),
    queryFn: () => searchLibrary(q),
    enabled: q !== "",
    staleTime: 30_000,
  });
  const books = result.data?.books ?? [];
  const hits = result.data?.items ?? [];

  return (
    <section className="library-text-search" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("libraryTitle")}</h2>
      <form
        role="search"
        className="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          setQ(text.trim());
        }}
      >
        <input
          type="search"
          aria-label={t("libraryField")}
          value={text}
          maxLength={200}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" disabled={text.trim() === ""}>
          {t("submit")}
        </button>
      </form>
      {q !== "" && result.isFetching ? (
        <p role="status" className="muted">
          {t("searching")}
        </p>
      ) : null}
      <ErrorNotice error={result.error} />
      {result.data && result.data.unindexed > 0 ? (
        <p className="muted">{t("unindexed", { count: result.data.unindexed })}</p>
      ) : null}
      {result.data && !result.isFetching && books.length === 0 ? (
        <p role="status">{t("none")}</p>
      ) : null}
      {books.length > 0 ? (
        <ul className="search-books" aria-label={t("libraryResults")}>
          {books.map((book) => (
            <li key={book.book_id}>
              <h3>{book.title}</h3>
              <p className="muted">{t("matches", { count: book.matches })}</p>
              <ul className="search-hits">
                {hits
                  .filter((hit) => hit.book_id === book.book_id)
                  .map((hit) => (
                    <li key={`${hit.chapter}-${hit.start}`}>
                      <Link
                        to={hitPath(hit, q)}
                        className="search-hit"
                        aria-label={t("openHit", {
                          book: book.title,
                          text: snippetText(hit.snippet),
                        })}
                      >
                        <span className="search-chapter">{hit.chapter_title}</span>
                        <Snippet snippet={hit.snippet} />
                      </Link>
                    </li>
                  ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
