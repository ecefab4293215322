/** The library: upload, find, and open books. Filters live in the URL. */
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { usePageTitle } from "@/components/usePageTitle";
import { RecentIllustrations } from "@/features/gallery";
import { LibraryTextSearch } from "@/features/search";
import { useBookList } from "../hooks/useBooks";
import {
  changeLibraryQuery,
  type LibraryQuery,
  pageCount,
  parseLibraryQuery,
  toApiQuery,
  toSearchParams,
} from "../libraryQuery";
import { BookCollection } from "./BookCollection";
import { LibraryToolbar } from "./LibraryToolbar";
import { Pagination } from "./Pagination";
import { UploadPanel } from "./UploadPanel";

export default function LibraryPage() {
  const { t } = useTranslation("library");
  usePageTitle(t("title"));
  const [params, setParams] = useSearchParams();
  const query = parseLibraryQuery(params);
  const list = useBookList(toApiQuery(query));
  const change = (patch: Partial<LibraryQuery>) =>
    setParams(toSearchParams(changeLibraryQuery(query, patch)));
  const filtered = Boolean(query.q || query.state || query.language || query.author);
  const books = list.data?.items ?? [];
  const languages = [
    ...new Set(books.map((book) => book.language?.split("-")[0]).filter((l): l is string => !!l)),
  ];

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("title")}</h1>
        {list.data && (
          <p className="muted" aria-live="polite">
            {t("bookCount", { count: list.data.total })}
          </p>
        )}
      </div>
      <RecentIllustrations />
      <UploadPanel />
      <LibraryToolbar query={query} languages={languages} onChange={change} />
      <LibraryTextSearch />
      {list.isPending && (
        <p className="page-status" role="status">
          {t("common:loading")}
        </p>
      )}
      <ErrorNotice error={list.error} />
      {list.data && books.length === 0 && (
        <p className="empty-state">{filtered ? t("emptyFiltered") : t("empty")}</p>
      )}
      {books.length > 0 && <BookCollection books={books} view={query.view} />}
      {list.data && (
        <Pagination
          page={query.page}
          pages={pageCount(list.data.total)}
          onPage={(page) => change({ page })}
        />
      )}
    </div>
  );
}
