import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** The document title names the page, so tabs and screen readers say where we are. */
export function usePageTitle(title: string | null | undefined): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title ? `${title} · ${t("appName")}` : t("appName");
  }, [title, t]);
}
