/** What went wrong with a file, in the user's language; a duplicate links to the book we have. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { UploadError } from "../uploadState";

export function UploadErrorText({ error }: { error: UploadError }) {
  const { t } = useTranslation("library");
  const existing = typeof error.details.book_id === "string" ? error.details.book_id : null;
  const text = t(`uploadErrors.${error.code}`, {
    defaultValue: error.message || t("uploadErrors.unknown"),
  });
  return (
    <p className="error-text" role="alert">
      {text}
      {error.code === "duplicate" && existing && (
        <>
          {" "}
          <Link to={`/books/${encodeURIComponent(existing)}`}>{t("openExisting")}</Link>
        </>
      )}
    </p>
  );
}
