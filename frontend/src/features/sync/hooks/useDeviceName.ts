/** This device's readable name in the interface's language ("Chromium on Linux"). */
import { useTranslation } from "react-i18next";
import { thisDevice } from "../device";

export function useDeviceName(): string {
  const { t } = useTranslation("sync");
  const { browser, system } = thisDevice();
  if (browser && system) return t("device.name", { browser, system });
  return browser ?? system ?? t("device.browser");
}
