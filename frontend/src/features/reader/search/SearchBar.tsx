/** While a search is on: which hit of how many, the previous and next hit, and closing it. */
import { useTranslation } from "react-i18next";
import { ChevronLeft, ChevronRight, CloseIcon } from "../components/icons";
import type { BookSearch } from "./useBookSearch";

type Props = {
  search: BookSearch;
  onStep: (step: 1 | -1) => void;
  onOpen: () => void;
};

export function SearchBar({ search, onStep, onOpen }: Props) {
  const { t } = useTranslation("search");
  if (search.q === "" || search.hits.length === 0) return null;
  const total = search.hits.length;
  return (
    <div className="reader-search-bar" role="toolbar" aria-label={t("bar")}>
      <button
        type="button"
        className="icon-button"
        onClick={() => onStep(-1)}
        aria-label={t("previous")}
      >
        <ChevronLeft />
      </button>
      <button type="button" className="reader-search-count" onClick={onOpen}>
        <span aria-live="polite">
          {search.current === null
            ? t("results", { count: total })
            : t("position", { current: search.current + 1, total })}
        </span>
      </button>
      <button
        type="button"
        className="icon-button"
        onClick={() => onStep(1)}
        aria-label={t("next")}
      >
        <ChevronRight />
      </button>
      <button type="button" className="icon-button" onClick={search.close} aria-label={t("close")}>
        <CloseIcon />
      </button>
    </div>
  );
}
