/** One file on its way in: bytes sent, then the server's processing, then the outcome. */
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProgressBar } from "@/components/ProgressBar";
import { useBook } from "../hooks/useBooks";
import { isReadable } from "../bookStates";
import { dispatchUpload } from "../uploadStore";
import { existingBookId, isSettled, type UploadItem, uploadFraction } from "../uploadState";
import { BookStatus } from "./BookStatus";
import { UploadErrorText } from "./UploadErrorText";

function formatSize(bytes: number, language: string): string {
  const [unit, value] =
    bytes < 1024
      ? ["byte", bytes]
      : bytes < 1024 * 1024
        ? ["kilobyte", bytes / 1024]
        : ["megabyte", bytes / 1024 / 1024];
  return new Intl.NumberFormat(language, { style: "unit", unit, maximumFractionDigits: 1 }).format(
    value,
  );
}

export function UploadRow({ item }: { item: UploadItem }) {
  const { t, i18n } = useTranslation("library");
  const processing = item.phase === "processing";
  const book = useBook(item.bookId ?? "", { enabled: processing });

  useEffect(() => {
    if (processing && item.bookId && book.data) {
      dispatchUpload({ type: "bookChanged", bookId: item.bookId, book: book.data });
    }
  }, [processing, item.bookId, book.data]);

  const readable = book.data && isReadable(book.data.state);
  const existing = existingBookId(item);
  return (
    <li className="upload-item">
      <div className="upload-head">
        <span className="upload-name">{item.name}</span>
        <span className="muted">{formatSize(item.size, i18n.language)}</span>
        {isSettled(item) && (
          <button
            type="button"
            className="button-quiet small"
            onClick={() => dispatchUpload({ type: "dismissed", id: item.id })}
            aria-label={t("upload.dismiss", { name: item.name })}
          >
            ×
          </button>
        )}
      </div>
      {(item.phase === "checking" || item.phase === "starting") && (
        <>
          <p className="muted status-line">{t(`upload.${item.phase}`)}</p>
          <ProgressBar label={t("upload.progressLabel", { name: item.name })} value={0} />
        </>
      )}
      {item.phase === "uploading" && (
        <>
          <p className="muted status-line">
            {t("upload.uploading", { percent: Math.round(uploadFraction(item) * 100) })}
          </p>
          <ProgressBar
            label={t("upload.progressLabel", { name: item.name })}
            value={uploadFraction(item)}
          />
        </>
      )}
      {processing &&
        (book.data && book.data.state !== "uploading" ? (
          <BookStatus
            book={book.data}
            chapters={{
              done: book.data.extraction.chapters_done,
              total: book.data.extraction.chapters_total,
            }}
          />
        ) : (
          // The store has the file; the server has not started reading it yet.
          <>
            <p className="muted status-line">{t("upload.received")}</p>
            <ProgressBar label={t("processingLabel", { title: item.name })} value={null} />
          </>
        ))}
      {(processing || item.phase === "ready") && readable && item.bookId && (
        <p className="status-line">
          {item.phase === "ready" && <span className="success-text">{t("upload.ready")} </span>}
          <Link to={`/books/${encodeURIComponent(item.bookId)}`}>
            {t("upload.open", { title: book.data?.title ?? item.name })}
          </Link>
        </p>
      )}
      {item.phase === "duplicate" && (
        <p className="status-line" role="status">
          {t("uploadErrors.duplicate")}{" "}
          {existing && (
            <Link to={`/books/${encodeURIComponent(existing)}`}>{t("openExisting")}</Link>
          )}
        </p>
      )}
      {item.phase === "failed" && item.error && <UploadErrorText error={item.error} />}
    </li>
  );
}
