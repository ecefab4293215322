import { useTranslation } from "react-i18next";
import { Link, useRouteError } from "react-router";

/** Shown when a page fails to load (e.g. a chunk missing after a deploy) or throws. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  console.error(error);
  return (
    <main id="main" className="page narrow">
      <h1>{t("routeError.title")}</h1>
      <p>{t("routeError.body")}</p>
      <p>
        <button type="button" onClick={() => window.location.reload()}>
          {t("reload")}
        </button>{" "}
        <Link to="/">{t("backToLibrary")}</Link>
      </p>
    </main>
  );
}
