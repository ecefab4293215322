/** The frame of every signed-in page except the reader: header, navigation, main landmark. */
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet } from "react-router";
import { useSignOut } from "@/features/auth";
import { useSession } from "@/lib/api";
import { SessionPending } from "./SessionGates";

export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const signOut = useSignOut();
  const name =
    session.status === "signed-in" ? (session.user.display_name ?? session.user.email) : "";
  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          {t("appName")}
        </Link>
        <nav aria-label={t("mainNavigation")}>
          <NavLink to="/" end>
            {t("nav.library")}
          </NavLink>
          <NavLink to="/account" title={name}>
            {t("nav.account")}
          </NavLink>
        </nav>
        <button
          type="button"
          className="button-quiet"
          onClick={signOut.run}
          disabled={signOut.pending}
        >
          {t("signOut")}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<SessionPending />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
