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
      {note ? <NoteBody html={note.html} /> : <p>{t("noteMissing")}</p>}
    </ReaderDialog>
  );
}

function NoteBody({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  // Note HTML is sanitised by the server like chapters, and scoped the same way.
  useLayoutEffect(() => {
    ref.current?.replaceChildren(scopedFragment(html));
  }, [html]);
  return <div ref={ref} className="book-content note-content" />;
}
