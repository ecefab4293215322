/** Counts an administrator watches: users, books by state, today's images, dead letters. */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { adminKeys, getOverview } from "../api/admin";
import { bookStateRows, deadLetterTotal, IMAGE_STATES, imageTable } from "../overviewSummary";

export function AdminOverviewPanel() {
  const { t } = useTranslation("admin");
  const overview = useQuery({
    queryKey: adminKeys.overview,
    queryFn: getOverview,
    refetchInterval: 30_000,
  });
  const data = overview.data;
  const images = data ? imageTable(data.images_today) : null;
  const letters = data ? deadLetterTotal(data.dead_letters) : null;
  return (
    <section className="card" aria-labelledby="admin-overview">
      <div className="admin-head">
        <h2 id="admin-overview">{t("overview.title")}</h2>
        <button
          type="button"
          className="button-quiet"
          onClick={() => void overview.refetch()}
          disabled={overview.isFetching}
        >
          {t("overview.refresh")}
        </button>
      </div>
      {overview.isPending && <p role="status">{t("common:loading")}</p>}
      <ErrorNotice error={overview.error} />
      {data && images && (
        <div className="admin-stats">
          <dl className="admin-figures">
            <div>
              <dt>{t("overview.users")}</dt>
              <dd>{data.users.total}</dd>
            </div>
            <div>
              <dt>{t("overview.admins")}</dt>
              <dd>{data.users.admins}</dd>
            </div>
            <div>
              <dt>{t("overview.disabled")}</dt>
              <dd>{data.users.disabled}</dd>
            </div>
            <div>
              <dt>{t("overview.imagesToday")}</dt>
              <dd>{images.total}</dd>
            </div>
            <div className={letters ? "admin-alert" : undefined}>
              <dt>{t("overview.deadLetters")}</dt>
              <dd>{letters === null ? t("overview.unknown") : letters}</dd>
            </div>
          </dl>
          <table className="admin-table">
            <caption>{t("overview.booksByState")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("overview.state")}</th>
                <th scope="col">{t("overview.count")}</th>
              </tr>
            </thead>
            <tbody>
              {bookStateRows(data.books_by_state).map(([state, count]) => (
                <tr key={state}>
                  <th scope="row">{t(`bookState.${state}`, { defaultValue: state })}</th>
                  <td>{count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="admin-table">
            <caption>{t("overview.imagesByProvider")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("overview.provider")}</th>
                {IMAGE_STATES.map((state) => (
                  <th scope="col" key={state}>
                    {t(`imageState.${state}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {images.providers.length === 0 && (
                <tr>
                  <td colSpan={IMAGE_STATES.length + 1}>{t("overview.noImages")}</td>
                </tr>
              )}
              {images.providers.map((provider) => (
                <tr key={provider}>
                  <th scope="row">{provider}</th>
                  {IMAGE_STATES.map((state) => (
                    <td key={state}>{images.counts[provider]?.[state] ?? 0}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {data.dead_letters && data.dead_letters.length > 0 && (
            <table className="admin-table">
              <caption>{t("overview.deadLettersByFunction")}</caption>
              <tbody>
                {data.dead_letters.map((letter) => (
                  <tr key={letter.function}>
                    <th scope="row">{letter.function}</th>
                    <td>{letter.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
