/** Says so while the app runs without the API, and what still works. */
import { useTranslation } from "react-i18next";
import { useSession } from "@/lib/api";

export function OfflineNotice() {
  const { t } = useTranslation("offline");
  const session = useSession();
  if (session.status !== "signed-in" || !session.offline) return null;
  return (
    <p className="offline-notice" role="status">
      {t("offlineNotice")}
    </p>
  );
}
