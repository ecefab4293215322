/**
 * The card a marked passage opens: what kind of passage it is, its text, and "Illustrate" in a
 * chosen style; then the picture's progress (queued, drawing) until it stands in the text, or
 * why it failed, with a retry. A used-up daily quota says when more pictures can be made.
 */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Description, Illustration } from "../api/passages";
import { isPending } from "../passages/figures";
import { ReaderDialog } from "./ReaderDialog";

export type CardProblem =
  { kind: "quota"; resetsAt: Date; limit: number } | { kind: "error"; message: string };

type Props = {
  description: Description | null;
  latest: Illustration | null;
  hasPicture: boolean;
  styles: readonly string[];
  defaultStyle: string | null;
  busy: boolean;
  problem: CardProblem | null;
  onIllustrate: (style: string | null) => void;
  onRedraw: (style: string | null) => void;
  onShowPicture: () => void;
  onClose: () => void;
};

export function PassageCard(props: Props) {
  const { t } = useTranslation("reader");
  const { description, latest } = props;
  return (
    <ReaderDialog
      open={description !== null}
      title={description ? t(`passage.types.${description.type}`) : ""}
      variant="note"
      onClose={props.onClose}
    >
      {description ? <CardBody {...props} description={description} latest={latest} /> : null}
    </ReaderDialog>
  );
}

function CardBody({
  description,
  latest,
  hasPicture,
  styles,
  defaultStyle,
  busy,
  problem,
  onIllustrate,
  onRedraw,
  onShowPicture,
}: Props & { description: Description }) {
  const { t, i18n } = useTranslation("reader");
  const [style, setStyle] = useState<string>("");
  const styleId = useId();
  const pending = latest !== null && isPending(latest);
  const chosen = style === "" ? null : style;
  const timeFormat = new Intl.DateTimeFormat(i18n.language, { hour: "2-digit", minute: "2-digit" });

  return (
    <div className="passage-card">
      <blockquote className="passage-text">{description.text}</blockquote>
      {latest ? (
        <div className="passage-status" role="status" aria-live="polite">
          {pending ? <span className="spinner" aria-hidden="true" /> : null}
          {latest.state === "queued" ? t("card.queued") : null}
          {latest.state === "running" ? t("card.running") : null}
          {latest.state === "ready" ? t("card.ready") : null}
          {latest.state === "failed"
            ? t("card.failed", { reason: latest.error?.message ?? t("figure.unknownReason") })
            : null}
        </div>
      ) : null}
      {problem?.kind === "quota" ? (
        <p className="error-text" role="alert">
          {t("quota.exceeded", {
            count: problem.limit,
            time: timeFormat.format(problem.resetsAt),
          })}
        </p>
      ) : null}
      {problem?.kind === "error" ? (
        <p className="error-text" role="alert">
          {problem.message}
        </p>
      ) : null}
      <div className="passage-actions">
        <label htmlFor={styleId}>{t("card.style")}</label>
        <select
          id={styleId}
          value={style}
          onChange={(event) => setStyle(event.currentTarget.value)}
          disabled={pending || busy}
        >
          <option value="">
            {defaultStyle
              ? t("card.defaultStyleNamed", { style: styleLabel(t, defaultStyle) })
              : t("card.defaultStyle")}
          </option>
          {styles.map((name) => (
            <option key={name} value={name}>
              {styleLabel(t, name)}
            </option>
          ))}
        </select>
        {hasPicture || latest?.state === "failed" ? (
          <button
            type="button"
            className="primary"
            disabled={pending || busy}
            onClick={() => onRedraw(chosen)}
          >
            {latest?.state === "failed" ? t("figure.retry") : t("figure.regenerate")}
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={pending || busy}
            onClick={() => onIllustrate(chosen)}
          >
            {pending ? <span className="spinner" aria-hidden="true" /> : null}
            {t("card.illustrate")}
          </button>
        )}
        {hasPicture ? (
          <button type="button" onClick={onShowPicture}>
            {t("card.showPicture")}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** A style preset's name in the interface language (an unknown one as the API names it). */
export function styleLabel(
  t: (key: string, options?: Record<string, unknown>) => string,
  name: string,
) {
  return t(`styles.${name}`, { defaultValue: name });
}
