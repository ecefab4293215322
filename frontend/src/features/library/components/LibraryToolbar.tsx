/** Search, filters, sort and the grid/list switch; every change goes to the URL. */
import { type FormEvent, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { BOOK_STATES, type LibraryQuery, type Order, type Sort, SORTS } from "../libraryQuery";

type Props = {
  query: LibraryQuery;
  languages: string[];
  onChange: (change: Partial<LibraryQuery>) => void;
};

export function LibraryToolbar({ query, languages, onChange }: Props) {
  const { t, i18n } = useTranslation("library");
  const id = useId();
  const [search, setSearch] = useState(query.q);
  const [author, setAuthor] = useState(query.author);
  // On a phone the filters fold away behind a button; on wider screens they are always shown.
  const [filtersOpen, setFiltersOpen] = useState(false);
  useEffect(() => setSearch(query.q), [query.q]);
  useEffect(() => setAuthor(query.author), [query.author]);

  const languageName = (code: string) =>
    new Intl.DisplayNames([i18n.language], { type: "language" }).of(code) ?? code;
  const languageOptions = [
    ...new Set(["ru", "en", ...languages, ...(query.language ? [query.language] : [])]),
  ];

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    onChange({ q: search.trim(), author: author.trim() });
  }

  return (
    <div className="library-toolbar">
      <form role="search" className="toolbar-search" onSubmit={submitSearch}>
        <label htmlFor={`${id}-q`} className="visually-hidden">
          {t("filters.search")}
        </label>
        <input
          id={`${id}-q`}
          type="search"
          placeholder={t("filters.searchPlaceholder")}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <label htmlFor={`${id}-author`} className="visually-hidden">
          {t("filters.author")}
        </label>
        <input
          id={`${id}-author`}
          type="search"
          placeholder={t("filters.author")}
          value={author}
          onChange={(event) => setAuthor(event.target.value)}
        />
        <button type="submit">{t("filters.searchButton")}</button>
      </form>
      <button
        type="button"
        className="filters-toggle"
        aria-expanded={filtersOpen}
        aria-controls={`${id}-filters`}
        onClick={() => setFiltersOpen(!filtersOpen)}
      >
        {t("filters.toggle")}
      </button>
      <div
        id={`${id}-filters`}
        className={filtersOpen ? "toolbar-filters open" : "toolbar-filters"}
      >
        <label>
          <span>{t("filters.state")}</span>
          <select
            value={query.state ?? ""}
            onChange={(event) =>
              onChange({ state: (event.target.value || null) as LibraryQuery["state"] })
            }
          >
            <option value="">{t("filters.any")}</option>
            {BOOK_STATES.map((state) => (
              <option key={state} value={state}>
                {t(`stateName.${state}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("filters.language")}</span>
          <select
            value={query.language ?? ""}
            onChange={(event) => onChange({ language: event.target.value || null })}
          >
            <option value="">{t("filters.any")}</option>
            {languageOptions.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("filters.sort")}</span>
          <select
            value={query.sort}
            onChange={(event) => onChange({ sort: event.target.value as Sort })}
          >
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`sort.${sort}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("filters.order")}</span>
          <select
            value={query.order}
            onChange={(event) => onChange({ order: event.target.value as Order })}
          >
            <option value="asc">
              {t(query.sort === "created" ? "order.oldest" : "order.asc")}
            </option>
            <option value="desc">
              {t(query.sort === "created" ? "order.newest" : "order.desc")}
            </option>
          </select>
        </label>
        <div className="view-switch" role="group" aria-label={t("view.label")}>
          <button
            type="button"
            aria-pressed={query.view === "grid"}
            onClick={() => onChange({ view: "grid" })}
          >
            {t("view.grid")}
          </button>
          <button
            type="button"
            aria-pressed={query.view === "list"}
            onClick={() => onChange({ view: "list" })}
          >
            {t("view.list")}
          </button>
        </div>
      </div>
    </div>
  );
}
