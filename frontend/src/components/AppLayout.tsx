/** The frame of every signed-in page except the reader: header, navigation, main landmark. */
import { Suspense, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useLocation } from "react-router";
import { useSignOut } from "@/features/auth";
// Not through the feature's index: the entry importing the index would pull every module it
// re-exports into the first load (they are shared by the lazy pages' chunks).
import { OfflineNotice } from "@/features/offline/components/OfflineNotice";
import { useSession } from "@/lib/api";
import { SessionPending } from "./SessionGates";

export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const signOut = useSignOut();
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const firstPage = useRef(true);
  // After moving to another page, start keyboard and screen-reader users at its content.
  useEffect(() => {
    if (firstPage.current) firstPage.current = false;
    else main.current?.focus({ preventScroll: false });
  }, [pathname]);
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
          {session.status === "signed-in" && session.user.role === "admin" && (
            <NavLink to="/admin">{t("nav.admin")}</NavLink>
          )}
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
      <OfflineNotice />
      <main id="main" tabIndex={-1} ref={main}>
        <Suspense fallback={<SessionPending />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
