/** Administration: only for administrators (the API checks too); others get "not allowed". */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePageTitle } from "@/components/usePageTitle";
import { useSession } from "@/lib/api";
import { AdminOverviewPanel } from "./AdminOverviewPanel";
import { RerunExtraction } from "./RerunExtraction";
import { UsersPanel } from "./UsersPanel";
import "../admin.css";

export default function AdminPage() {
  const { t } = useTranslation("admin");
  const session = useSession();
  const allowed = session.status === "signed-in" && session.user.role === "admin";
  usePageTitle(allowed ? t("title") : t("notAllowed.title"));
  if (!allowed) {
    return (
      <div className="page narrow">
        <h1>{t("notAllowed.title")}</h1>
        <p>{t("notAllowed.body")}</p>
        <Link to="/">{t("common:backToLibrary")}</Link>
      </div>
    );
  }
  return (
    <div className="page admin-page">
      <h1>{t("title")}</h1>
      <AdminOverviewPanel />
      <UsersPanel />
      <RerunExtraction />
    </div>
  );
}
