/** A footnote opened from its reference in the text; Escape or Close returns to the text. */
import { useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { type Footnote, scopedFragment } from "../content/bookHtml";
import { ReaderDialog } from "./ReaderDialog";

type Props = { open: boolean; note: Footnote | null; onClose: () => void };

export function NoteDialog({ open, note, onClose }: Props) {
  const { t } = useTranslation("reader");
  const title = note?.title?.trim() || t("footnote");
  return (
    <ReaderDialog open={open} title={title} variant="note" onClose={onClose}>
      {note ? <NoteBody html={note.html} onClose={onClose} /> : <p>{t("noteMissing")}</p>}
    </ReaderDialog>
  );
}

function NoteBody({ html, onClose }: { html: string; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  // Note HTML is sanitised by the server like chapters, and scoped the same way.
  useLayoutEffect(() => {
    ref.current?.replaceChildren(scopedFragment(html));
  }, [html]);
  return (
    // A note's links lead back to its reference, which is where the reader already is.
    <div
      ref={ref}
      className="book-content note-content"
      onClick={(event) => {
        if (event.target instanceof Element && event.target.closest("a[href]")) {
          event.preventDefault();
          onClose();
        }
      }}
    />
  );
}
