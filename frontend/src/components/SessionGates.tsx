/** Route guards: pages that need a session, and the sign-in pages that need none. */
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation } from "react-router";
import { useSession } from "@/lib/api";

export function SessionPending() {
  const { t } = useTranslation();
  return (
    <p className="page-status" role="status">
      {t("loading")}
    </p>
  );
}

export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.status === "unknown") return <SessionPending />;
  if (session.status === "signed-out") {
    const next = location.pathname + location.search;
    return (
      <Navigate to={`/sign-in${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`} replace />
    );
  }
  return <Outlet />;
}

/** Where to go after signing in: the page that sent us here, if it is one of ours. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function RequireSignedOut() {
  const session = useSession();
  const location = useLocation();
  if (session.status === "unknown") return <SessionPending />;
  if (session.status === "signed-in") return <Navigate to={nextPath(location.search)} replace />;
  return <Outlet />;
}
