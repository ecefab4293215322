import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePageTitle } from "./usePageTitle";

export default function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t("notFound.title"));
  return (
    <div className="page narrow">
      <h1>{t("notFound.title")}</h1>
      <p>
        <Link to="/">{t("backToLibrary")}</Link>
      </p>
    </div>
  );
}
