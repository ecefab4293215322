/**
 * The reader's modal surfaces (contents, settings, a note, a picture) on a native <dialog>:
 * focus moves in and is trapped, Escape closes, focus returns to what opened it.
 */
import { useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { CloseIcon } from "./icons";

type Props = {
  open: boolean;
  title: string;
  /** Hide the visible heading (the dialog is still named by it). */
  hideTitle?: boolean;
  variant: "drawer-start" | "drawer-end" | "note" | "lightbox";
  onClose: () => void;
  children: React.ReactNode;
};

export function ReaderDialog({ open, title, hideTitle, variant, onClose, children }: Props) {
  const { t } = useTranslation("reader");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal?.();
    if (!open && dialog.open) dialog.close?.();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`reader-dialog reader-dialog-${variant}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // A click on the backdrop lands on the dialog element itself.
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="reader-dialog-body">
        <div className="reader-dialog-head">
          <h2 id={titleId} className={hideTitle ? "visually-hidden" : undefined}>
            {title}
          </h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t("close")}>
            <CloseIcon />
          </button>
        </div>
        {open ? children : null}
      </div>
    </dialog>
  );
}
