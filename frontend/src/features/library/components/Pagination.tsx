import { useTranslation } from "react-i18next";

export function Pagination({
  page,
  pages,
  onPage,
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation("library");
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t("pages.label")}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t("pages.previous")}
      </button>
      <span aria-current="page">{t("pages.position", { page, pages })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("pages.next")}
      </button>
    </nav>
  );
}
