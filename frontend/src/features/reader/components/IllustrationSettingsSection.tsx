/**
 * The reader settings' part about passages and pictures: marks on or off, pictures in the text
 * on or off, automatic mode with how many chapters ahead it may draw, and today's quota.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useShown } from "@/hooks/useShown";
import type { IllustrationSettings, IllustrationSettingsChange, ImageQuota } from "../api/passages";
import { quotaView } from "../passages/quota";

type Props = {
  showMarks: boolean;
  showPictures: boolean;
  onReaderChange: (changes: { show_marks?: boolean; show_illustrations?: boolean }) => void;
  settings: IllustrationSettings | undefined;
  saveFailed: boolean;
  onSettingsChange: (change: IllustrationSettingsChange) => void;
};

const MAX_AHEAD = 10;

export function IllustrationSettingsSection(props: Props) {
  const { t } = useTranslation("reader");
  const aheadId = useId();
  const { settings } = props;
  const [auto, setAuto] = useShown(settings?.auto_illustrate ?? false);
  const [ahead, setAhead] = useShown(settings?.chapters_ahead ?? 0);
  return (
    <fieldset className="settings-group settings-switches">
      <legend>{t("passage.settings")}</legend>
      <label className="switch">
        <input
          type="checkbox"
          checked={props.showMarks}
          onChange={(event) => props.onReaderChange({ show_marks: event.currentTarget.checked })}
        />
        {t("passage.showMarks")}
      </label>
      <label className="switch">
        <input
          type="checkbox"
          checked={props.showPictures}
          onChange={(event) =>
            props.onReaderChange({ show_illustrations: event.currentTarget.checked })
          }
        />
        {t("passage.showPictures")}
      </label>
      <label className="switch">
        <input
          type="checkbox"
          checked={auto}
          disabled={!settings}
          onChange={(event) => {
            setAuto(event.currentTarget.checked);
            props.onSettingsChange({ auto_illustrate: event.currentTarget.checked });
          }}
        />
        {t("passage.auto")}
      </label>
      <div className="settings-inline">
        <label htmlFor={aheadId}>{t("passage.chaptersAhead")}</label>
        <input
          id={aheadId}
          type="number"
          inputMode="numeric"
          min={0}
          max={MAX_AHEAD}
          value={ahead}
          disabled={!settings}
          onChange={(event) => {
            const value = Math.round(Number(event.currentTarget.value));
            if (Number.isFinite(value) && value >= 0 && value <= MAX_AHEAD) {
              setAhead(value);
              props.onSettingsChange({ chapters_ahead: value });
            }
          }}
        />
      </div>
      <p className="muted settings-hint">{t("passage.autoHint")}</p>
      {settings ? <QuotaLine quota={settings.quota} now={new Date()} /> : null}
      {props.saveFailed ? (
        <p className="error-text" role="status">
          {t("saveFailed")}
        </p>
      ) : null}
    </fieldset>
  );
}

/** "7 of 20 pictures left today", or when the day's pictures are used up, when more come. */
export function QuotaLine({ quota, now }: { quota: ImageQuota; now: Date }) {
  const { t, i18n } = useTranslation("reader");
  const view = quotaView(quota, now);
  const time = new Intl.DateTimeFormat(i18n.language, {
    hour: "2-digit",
    minute: "2-digit",
  }).format(view.resetsAt);
  const hours = Math.floor(view.minutesToReset / 60);
  const minutes = view.minutesToReset % 60;
  const wait =
    hours > 0
      ? t("quota.inHours", { count: hours, minutes })
      : t("quota.inMinutes", { count: minutes });
  return (
    <p className={view.exhausted ? "quota quota-exhausted" : "quota"} role="status">
      {view.exhausted
        ? t("quota.none", { count: view.limit, time, wait })
        : t("quota.left", { count: view.left, limit: view.limit })}
    </p>
  );
}
