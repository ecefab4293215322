/**
 * Another device moved the place since this one last saw it: "Continue at chapter 12, 34 %
 * (Phone, 5 minutes ago) or stay here?" A modal question; Escape stays here.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useModalDialog } from "@/components/useModalDialog";
import type { PositionConflict } from "../conflicts";
import { placeParts } from "../placeText";
import "../sync.css";

type Props = {
  conflict: PositionConflict | null;
  onContinue: () => void;
  onStay: () => void;
};

export function PositionConflictDialog({ conflict, onContinue, onStay }: Props) {
  const { t, i18n } = useTranslation("sync");
  const ref = useModalDialog(conflict !== null);
  const titleId = useId();
  const questionId = useId();
  const parts = conflict ? placeParts(conflict.current, t, i18n.language, new Date()) : null;
  return (
    <dialog
      ref={ref}
      className="dialog position-conflict"
      aria-labelledby={titleId}
      aria-describedby={questionId}
      onCancel={(event) => {
        event.preventDefault();
        onStay();
      }}
    >
      <h2 id={titleId}>{t("conflict.title")}</h2>
      <p id={questionId}>
        {parts
          ? parts.percent === null
            ? t("conflict.questionNoPercent", parts)
            : t("conflict.question", parts)
          : null}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button-quiet" onClick={onStay}>
          {t("conflict.stay")}
        </button>
        <button type="button" className="button-primary" onClick={onContinue} autoFocus>
          {t("conflict.continue")}
        </button>
      </div>
    </dialog>
  );
}
