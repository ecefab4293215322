/** On the book's page: download the book as an EPUB with the reader's illustrations, with the
 * build's progress while the server writes it. */
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ProgressBar } from "@/components/ProgressBar";
import { isBuilding } from "../api/exports";
import { useBookExport } from "../hooks/useBookExport";

function megabytes(bytes: number | null): string {
  return bytes === null ? "" : (bytes / 1_000_000).toFixed(1);
}

export function ExportBook({ bookId, title }: { bookId: string; title: string }) {
  const { t } = useTranslation("export");
  const { current, start, asking, error } = useBookExport(bookId);
  const building = asking || (current !== null && isBuilding(current.state));

  return (
    <section className="book-export" aria-label={t("sectionLabel")}>
      <button type="button" className="button" onClick={start} disabled={building}>
        {t("download")}
      </button>
      {building && (
        <div className="book-export-progress">
          <ProgressBar
            label={t("progressLabel", { title })}
            value={current && current.state === "running" ? current.progress : null}
          />
          <p className="muted small" role="status">
            {current?.state === "running"
              ? t("building", { percent: Math.round(current.progress * 100) })
              : t("queued")}
          </p>
        </div>
      )}
      {current?.state === "ready" && current.url && (
        <p className="book-export-ready" role="status">
          <a href={current.url} download={current.filename ?? true}>
            {t("save", { name: current.filename ?? "", size: megabytes(current.bytes) })}
          </a>{" "}
          <span className="muted small">{t("pictures", { count: current.pictures ?? 0 })}</span>
        </p>
      )}
      {current?.state === "failed" && (
        <p className="error-text" role="alert">
          {t("failed", { reason: current.error?.message ?? "" })}
        </p>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
