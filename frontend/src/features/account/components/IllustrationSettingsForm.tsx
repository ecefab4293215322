/** Illustration settings: the default style (with a sample of each), automatic mode, today's quota. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { useShown } from "@/hooks/useShown";
import {
  getIllustrationSettings,
  type IllustrationSettings,
  illustrationSettingsKey,
  type IllustrationSettingsUpdate,
  updateIllustrationSettings,
} from "../api/account";
import { quotaLeft, STYLES, styleSample } from "../illustrationStyles";
import "../account.css";

const MAX_CHAPTERS_AHEAD = 10;
const SAVE_KEY = ["save-illustration-settings"];

function applied(
  settings: IllustrationSettings,
  changes: IllustrationSettingsUpdate,
): IllustrationSettings {
  const next = { ...settings };
  if (changes.auto_illustrate != null) next.auto_illustrate = changes.auto_illustrate;
  if (changes.chapters_ahead != null) next.chapters_ahead = changes.chapters_ahead;
  if (changes.style !== undefined) next.style = changes.style || null;
  return next;
}

export function IllustrationSettingsForm() {
  const { t, i18n } = useTranslation("account");
  const id = useId();
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: illustrationSettingsKey,
    queryFn: getIllustrationSettings,
  });
  const save = useMutation({
    mutationKey: SAVE_KEY,
    mutationFn: (changes: IllustrationSettingsUpdate) => updateIllustrationSettings(changes),
    // The choice shows at once; a refusal puts the saved settings back.
    onMutate: (changes) => {
      const before = client.getQueryData<IllustrationSettings>(illustrationSettingsKey);
      if (before) client.setQueryData(illustrationSettingsKey, applied(before, changes));
      return { before };
    },
    onError: (_error, _changes, context) => {
      if (context?.before) client.setQueryData(illustrationSettingsKey, context.before);
    },
    // An answer holds the settings as of its own save: while a later save is still on its way,
    // writing it would put back, for a moment, a choice the reader has already changed again.
    onSuccess: (saved) => {
      if (client.isMutating({ mutationKey: SAVE_KEY }) <= 1) {
        client.setQueryData(illustrationSettingsKey, saved);
      }
    },
  });
  const data = settings.data;
  const [style, setStyle] = useShown(data?.style ?? null);
  const [auto, setAuto] = useShown(data?.auto_illustrate ?? false);
  const [ahead, setAhead] = useShown(data?.chapters_ahead ?? 0);
  const quota = data ? quotaLeft(data.quota) : null;
  const time = new Intl.DateTimeFormat(i18n.language, { hour: "numeric", minute: "2-digit" });

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("illustrations.title")}</h2>
      {settings.isPending && <p role="status">{t("common:loading")}</p>}
      <ErrorNotice error={settings.error} />
      {data && quota && (
        <>
          <p className="quota-line" aria-live="polite">
            {t("illustrations.quotaLeft", { count: quota.left, limit: quota.limit })}{" "}
            <span className="muted">
              {t("illustrations.quotaResets", { time: time.format(quota.resetsAt) })}
            </span>
          </p>
          <fieldset className="style-choice">
            <legend>{t("illustrations.style")}</legend>
            <label className="style-option">
              <input
                type="radio"
                name={`${id}-style`}
                checked={style === null}
                onChange={() => {
                  setStyle(null);
                  save.mutate({ style: "" });
                }}
              />
              <span className="style-sample style-sample-auto" aria-hidden="true">
                ✦
              </span>
              <span>{t("illustrations.styleAuto")}</span>
            </label>
            {STYLES.map((choice) => (
              <label className="style-option" key={choice.name}>
                <input
                  type="radio"
                  name={`${id}-style`}
                  checked={style === choice.name}
                  onChange={() => {
                    setStyle(choice.name);
                    save.mutate({ style: choice.name });
                  }}
                />
                <img
                  className="style-sample"
                  src={styleSample(choice.sample)}
                  alt=""
                  width={60}
                  height={80}
                />
                <span>{t(`illustrations.styles.${choice.sample}`)}</span>
              </label>
            ))}
          </fieldset>
          <div className="checkbox-row">
            <input
              id={`${id}-auto`}
              type="checkbox"
              checked={auto}
              onChange={(event) => {
                const value = event.target.checked;
                setAuto(value);
                save.mutate({ auto_illustrate: value });
              }}
            />
            <label htmlFor={`${id}-auto`}>{t("illustrations.auto")}</label>
          </div>
          <p className="muted small">{t("illustrations.autoHelp")}</p>
          <div className="field">
            <label htmlFor={`${id}-ahead`}>{t("illustrations.ahead")}</label>
            <select
              id={`${id}-ahead`}
              value={ahead}
              onChange={(event) => {
                const value = Number(event.target.value);
                setAhead(value);
                save.mutate({ chapters_ahead: value });
              }}
            >
              {Array.from({ length: MAX_CHAPTERS_AHEAD + 1 }, (_, n) => (
                <option key={n} value={n}>
                  {n === 0
                    ? t("illustrations.aheadNone")
                    : t("illustrations.aheadCount", { count: n })}
                </option>
              ))}
            </select>
          </div>
          <ErrorNotice error={save.error} />
          {save.isSuccess && (
            <p className="success-text" role="status">
              {t("saved")}
            </p>
          )}
        </>
      )}
    </section>
  );
}
