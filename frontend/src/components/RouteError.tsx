import { useTranslation } from "react-i18next";

/** Shown when a page fails to load (e.g. a chunk missing after a deploy) or throws. */
export function RouteError() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page narrow">
      <h1>{t("routeError.title")}</h1>
      <p>{t("routeError.body")}</p>
      <p>
        <button type="button" onClick={() => window.location.reload()}>
          {t("reload")}
        </button>{" "}
        <a href="/">{t("backToLibrary")}</a>
      </p>
    </main>
  );
}
