/**
 * The book's bookmarks and highlights in one drawer: jump to any of them, edit a highlight's
 * note, delete; those a re-parse could not place again are listed apart ("detached"), never
 * hidden; and the export of them all as Markdown, JSON or Readwise CSV.
 */
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { ReaderDialog } from "../components/ReaderDialog";
import type { Bookmark, ExportFormat, Highlight } from "./api";

const NoteText = lazy(() => import("./NoteText"));

type Props = {
  open: boolean;
  highlights: readonly Highlight[];
  bookmarks: readonly Bookmark[];
  chapterTitle: (index: number) => string;
  busy: boolean;
  error: unknown;
  canBookmark: boolean;
  onBookmarkHere: () => void;
  onJump: (chapter: number, offset: number) => void;
  onEditNote: (highlight: Highlight) => void;
  onDeleteHighlight: (highlight: Highlight) => void;
  onDeleteBookmark: (bookmark: Bookmark) => void;
  onExport: (format: ExportFormat) => void;
  onClose: () => void;
};

const PREVIEW = 140;
const preview = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > PREVIEW ? `${flat.slice(0, PREVIEW - 1)}…` : flat;
};

export function AnnotationsPanel(props: Props) {
  const { t } = useTranslation("reader");
  const { highlights, bookmarks, chapterTitle } = props;
  const placed = highlights.filter((item) => !item.detached);
  const detached = [
    ...highlights.filter((item) => item.detached),
    ...bookmarks.filter((item) => item.detached),
  ];
  const marks = bookmarks.filter((item) => !item.detached);

  const highlightItem = (item: Highlight, canJump: boolean) => (
    <li key={item.id} className="annotation-item">
      <span className={`annotation-swatch swatch-${item.color}`} aria-hidden="true" />
      <div className="annotation-body">
        <p className="annotation-where muted">{chapterTitle(item.chapter)}</p>
        <blockquote className="annotation-quote">{preview(item.quote)}</blockquote>
        {item.note ? (
          <Suspense fallback={<p>{item.note}</p>}>
            <NoteText note={item.note} />
          </Suspense>
        ) : null}
        <div className="annotation-actions">
          {canJump ? (
            <button type="button" onClick={() => props.onJump(item.chapter, item.start)}>
              {t("annotations.goTo")}
            </button>
          ) : null}
          <button type="button" onClick={() => props.onEditNote(item)}>
            {item.note ? t("annotations.editNote") : t("annotations.addNote")}
          </button>
          <button
            type="button"
            disabled={props.busy}
            aria-label={t("annotations.deleteHighlight", { quote: preview(item.quote) })}
            onClick={() => props.onDeleteHighlight(item)}
          >
            {t("annotations.delete")}
          </button>
        </div>
      </div>
    </li>
  );

  const bookmarkItem = (item: Bookmark, canJump: boolean) => (
    <li key={item.id} className="annotation-item">
      <div className="annotation-body">
        <p className="annotation-where muted">{chapterTitle(item.chapter)}</p>
        <p>{item.label || preview(item.anchor.exact || item.anchor.prefix)}</p>
        <div className="annotation-actions">
          {canJump ? (
            <button type="button" onClick={() => props.onJump(item.chapter, item.offset)}>
              {t("annotations.goTo")}
            </button>
          ) : null}
          <button
            type="button"
            disabled={props.busy}
            aria-label={t("annotations.deleteBookmark", { where: chapterTitle(item.chapter) })}
            onClick={() => props.onDeleteBookmark(item)}
          >
            {t("annotations.delete")}
          </button>
        </div>
      </div>
    </li>
  );

  return (
    <ReaderDialog
      open={props.open}
      title={t("annotations.panel")}
      variant="drawer-end"
      onClose={props.onClose}
    >
      <div className="annotations-panel">
        <button
          type="button"
          className="primary"
          disabled={!props.canBookmark || props.busy}
          onClick={props.onBookmarkHere}
        >
          {t("annotations.bookmarkHere")}
        </button>
        <ErrorNotice error={props.error} />

        <section aria-labelledby="annotations-highlights">
          <h3 id="annotations-highlights">{t("annotations.highlights")}</h3>
          {placed.length === 0 ? (
            <p className="muted">{t("annotations.noHighlights")}</p>
          ) : (
            <ol className="annotation-list">{placed.map((item) => highlightItem(item, true))}</ol>
          )}
        </section>

        <section aria-labelledby="annotations-bookmarks">
          <h3 id="annotations-bookmarks">{t("annotations.bookmarks")}</h3>
          {marks.length === 0 ? (
            <p className="muted">{t("annotations.noBookmarks")}</p>
          ) : (
            <ol className="annotation-list">{marks.map((item) => bookmarkItem(item, true))}</ol>
          )}
        </section>

        {detached.length > 0 ? (
          <section aria-labelledby="annotations-detached">
            <h3 id="annotations-detached">{t("annotations.detached")}</h3>
            <p className="muted">{t("annotations.detachedHint")}</p>
            <ol className="annotation-list">
              {detached.map((item) =>
                "quote" in item ? highlightItem(item, false) : bookmarkItem(item, false),
              )}
            </ol>
          </section>
        ) : null}

        <section aria-labelledby="annotations-export">
          <h3 id="annotations-export">{t("annotations.export")}</h3>
          <div className="annotation-actions">
            <button type="button" onClick={() => props.onExport("md")}>
              {t("annotations.exportMarkdown")}
            </button>
            <button type="button" onClick={() => props.onExport("json")}>
              {t("annotations.exportJson")}
            </button>
            <button type="button" onClick={() => props.onExport("csv")}>
              {t("annotations.exportCsv")}
            </button>
          </div>
        </section>
      </div>
    </ReaderDialog>
  );
}
