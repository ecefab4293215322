/** Placeholder: the reader feature replaces this page (route /books/:bookId/read). */
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

export default function ReaderPage() {
  const { t } = useTranslation("reader");
  const { bookId = "" } = useParams();
  return (
    <main id="main" className="page narrow">
      <h1>{t("placeholder")}</h1>
      <p>
        <Link to={`/books/${encodeURIComponent(bookId)}`}>{t("backToBook")}</Link>
      </p>
    </main>
  );
}
