/** Writing a highlight's note (Markdown, at most 10 kB): a dialog with the quote above it. */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ReaderDialog } from "../components/ReaderDialog";

export const NOTE_MAX_BYTES = 10 * 1024;

type Props = {
  open: boolean;
  quote: string;
  initial: string;
  busy: boolean;
  error: unknown;
  onSave: (note: string) => void;
  onClose: () => void;
};

export function NoteEditor({ open, quote, initial, busy, error, onSave, onClose }: Props) {
  const { t } = useTranslation("reader");
  const [note, setNote] = useState(initial);
  const id = useId();
  useEffect(() => {
    if (open) setNote(initial);
  }, [open, initial]);
  const bytes = new TextEncoder().encode(note).length;
  const tooLong = bytes > NOTE_MAX_BYTES;
  return (
    <ReaderDialog open={open} title={t("annotations.noteTitle")} variant="note" onClose={onClose}>
      <form
        className="note-editor"
        onSubmit={(event) => {
          event.preventDefault();
          if (!tooLong) onSave(note);
        }}
      >
        <blockquote className="annotation-quote">{quote}</blockquote>
        <label htmlFor={id}>{t("annotations.note")}</label>
        <textarea
          id={id}
          value={note}
          rows={6}
          aria-describedby={`${id}-hint`}
          aria-invalid={tooLong}
          onChange={(event) => setNote(event.target.value)}
        />
        <p id={`${id}-hint`} className={tooLong ? "error-text" : "muted"}>
          {tooLong ? t("annotations.noteTooLong") : t("annotations.noteHint")}
        </p>
        <ErrorNotice error={error} />
        <div className="note-editor-actions">
          <button type="button" onClick={onClose}>
            {t("annotations.cancel")}
          </button>
          <button type="submit" className="primary" disabled={busy || tooLong}>
            {t("annotations.saveNote")}
          </button>
        </div>
      </form>
    </ReaderDialog>
  );
}
