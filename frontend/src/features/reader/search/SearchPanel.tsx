/** The reader's search drawer: the query, how many hits, and the hits with their snippets. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { AUTOFOCUS } from "@/components/useModalDialog";
import { Snippet } from "@/features/search";
import { ReaderDialog } from "../components/ReaderDialog";
import type { BookSearch } from "./useBookSearch";

type Props = {
  open: boolean;
  search: BookSearch;
  onChoose: (index: number) => void;
  onClose: () => void;
};

export function SearchPanel({ open, search, onChoose, onClose }: Props) {
  const { t } = useTranslation("search");
  const [text, setText] = useState(search.q);
  const count = search.hits.length;
  return (
    <ReaderDialog open={open} title={t("title")} variant="drawer-end" onClose={onClose}>
      <div className="reader-search-panel">
        <form
          role="search"
          className="search-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (text.trim()) search.search(text);
          }}
        >
          <input
            type="search"
            aria-label={t("field")}
            value={text}
            maxLength={200}
            // The drawer opens to type a query.
            {...AUTOFOCUS}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" disabled={text.trim() === ""}>
            {t("submit")}
          </button>
        </form>
        <p className="muted">{t("hint")}</p>
        <p role="status" aria-live="polite">
          {search.q === ""
            ? ""
            : search.pending && count === 0
              ? t("searching")
              : count === 0
                ? t("none")
                : search.hasMore
                  ? t("resultsMore", { count })
                  : t("results", { count })}
        </p>
        <ErrorNotice error={search.error} />
        {count > 0 ? (
          <ol className="search-hits" aria-label={t("results")}>
            {search.hits.map((hit, index) => (
              <li key={`${hit.chapter}-${hit.start}`}>
                <button
                  type="button"
                  className="search-hit"
                  aria-current={index === search.current ? "true" : undefined}
                  onClick={() => onChoose(index)}
                >
                  <span className="search-chapter">{hit.chapter_title}</span>
                  <Snippet snippet={hit.snippet} />
                </button>
              </li>
            ))}
          </ol>
        ) : null}
        {search.hasMore ? (
          <button type="button" onClick={search.loadMore} disabled={search.pending}>
            {t("more")}
          </button>
        ) : null}
      </div>
    </ReaderDialog>
  );
}
