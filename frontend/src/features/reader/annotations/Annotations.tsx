/**
 * Bookmarks, highlights and notes in the reader: the chapter's highlights drawn over its text,
 * the toolbar over a selection (highlight, note, copy, illustrate the passage), the note editor,
 * and the panel with every bookmark and highlight of the book and the export.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SurfaceContent } from "../components/BookSurface";
import {
  type Bookmark,
  type ExportFormat,
  exportAnnotations,
  type Highlight,
  type HighlightColor,
  illustrateSpan,
} from "./api";
import { AnnotationsPanel } from "./AnnotationsPanel";
import { HighlightLayer } from "./highlightLayer";
import { NoteEditor } from "./NoteEditor";
import { SelectionToolbar } from "./SelectionToolbar";
import { spanOfRange, type TextSpan } from "./selection";
import { useAnnotations } from "./useAnnotations";
import "./annotations.css";

type Props = {
  bookId: string;
  /** The chapter on screen, its DOM and its plain text (null while it loads). */
  surface: SurfaceContent | null;
  text: string | null;
  place: { chapter: number; offset: number } | null;
  panelOpen: boolean;
  onClosePanel: () => void;
  chapterTitle: (index: number) => string;
  onJump: (chapter: number, offset: number) => void;
  /** A picture of a chosen passage was asked for: the chapter's pictures changed. */
  onIllustrated: () => void;
  /** Problems with illustrating, told the reader's way (quota…). */
  describeProblem: (error: unknown) => string;
};

type Selected = TextSpan & {
  chapter: number;
  rect: { top: number; bottom: number; left: number; width: number };
};
type Editing =
  | { kind: "new"; span: TextSpan & { chapter: number } }
  | { kind: "existing"; highlight: Highlight };

export function Annotations(props: Props) {
  const { t } = useTranslation("reader");
  const { bookId, surface, text } = props;
  const annotations = useAnnotations(bookId);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState("");
  const layer = useRef<HighlightLayer | null>(null);

  const chapterHighlights = annotations.highlights.filter(
    (item) => surface && item.chapter === surface.chapter && !item.detached,
  );
  const drawKey = chapterHighlights
    .map((item) => `${item.id}:${item.start}:${item.end}:${item.color}`)
    .join("|");

  useLayoutEffect(() => {
    layer.current ??= new HighlightLayer();
    if (!surface) {
      layer.current.clear();
      return;
    }
    layer.current.draw(
      chapterHighlights.map(({ id, start, end, color }) => ({ id, start, end, color })),
      surface.elements,
      surface.paragraphs,
    );
    // drawKey names the highlights to draw; the list itself is a new array on every render.
  }, [surface, drawKey]);
  useEffect(() => () => layer.current?.clear(), []);

  // The toolbar follows the selection in the chapter's text.
  useEffect(() => {
    const onChange = () => {
      const selection = document.getSelection();
      if (!surface || text === null || !selection || selection.rangeCount === 0) {
        setSelected(null);
        return;
      }
      const range = selection.getRangeAt(0);
      if (!surface.content.contains(range.commonAncestorContainer)) {
        setSelected(null);
        return;
      }
      const span = spanOfRange(range, surface.elements, surface.paragraphs, text);
      if (!span) {
        setSelected(null);
        return;
      }
      const box = range.getBoundingClientRect();
      setSelected({
        ...span,
        chapter: surface.chapter,
        rect: { top: box.top, bottom: box.bottom, left: box.left, width: box.width },
      });
    };
    document.addEventListener("selectionchange", onChange);
    return () => document.removeEventListener("selectionchange", onChange);
  }, [surface, text]);

  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (problem) {
      setError(problem);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const highlightSelection = (color: HighlightColor, note = "") => {
    if (!selected) return Promise.resolve(false);
    const { chapter, start, end, quote } = selected;
    return run(async () => {
      await annotations.addHighlight({ chapter, start, end, quote, color, note });
      document.getSelection()?.removeAllRanges();
      setStatus(t("annotations.highlighted"));
    });
  };

  const download = (format: ExportFormat) =>
    void run(async () => {
      const { blob, filename } = await exportAnnotations(bookId, format);
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });

  const editingQuote =
    editing?.kind === "new" ? editing.span.quote : (editing?.highlight.quote ?? "");

  return (
    <>
      {selected && !editing ? (
        <SelectionToolbar
          rect={selected.rect}
          busy={busy}
          onColor={(color) => void highlightSelection(color)}
          onNote={() => {
            setError(null);
            setEditing({ kind: "new", span: selected });
          }}
          onCopy={() => {
            void navigator.clipboard?.writeText(selected.quote).then(
              () => setStatus(t("annotations.copied")),
              () => setStatus(t("annotations.copyFailed")),
            );
          }}
          onIllustrate={() => {
            const { chapter, start, end } = selected;
            setBusy(true);
            setStatus("");
            illustrateSpan(bookId, { chapter, start, end })
              .then(() => {
                setStatus(t("annotations.illustrating"));
                document.getSelection()?.removeAllRanges();
                props.onIllustrated();
              })
              .catch((problem: unknown) => setStatus(props.describeProblem(problem)))
              .finally(() => setBusy(false));
          }}
        />
      ) : null}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {error && !editing && !props.panelOpen ? (
        <p className="annotation-toast error-text" role="alert">
          {props.describeProblem(error)}
        </p>
      ) : null}
      <NoteEditor
        open={editing !== null}
        quote={editingQuote}
        initial={editing?.kind === "existing" ? editing.highlight.note : ""}
        busy={busy}
        error={error}
        onClose={() => setEditing(null)}
        onSave={(note) => {
          const current = editing;
          if (!current) return;
          const work =
            current.kind === "new"
              ? async () => {
                  const { chapter, start, end, quote } = current.span;
                  await annotations.addHighlight({
                    chapter,
                    start,
                    end,
                    quote,
                    color: "yellow",
                    note,
                  });
                  document.getSelection()?.removeAllRanges();
                }
              : () => annotations.changeHighlight(current.highlight.id, { note });
          void run(work).then((done) => {
            if (done) {
              setEditing(null);
              setStatus(t("annotations.noteSaved"));
            }
          });
        }}
      />
      <AnnotationsPanel
        open={props.panelOpen && editing === null}
        highlights={annotations.highlights}
        bookmarks={annotations.bookmarks}
        chapterTitle={props.chapterTitle}
        busy={busy}
        error={editing ? null : (error ?? annotations.loadError)}
        canBookmark={props.place !== null}
        onBookmarkHere={() => {
          const place = props.place;
          if (place) void run(() => annotations.addBookmark(place.chapter, place.offset));
        }}
        onJump={(chapter, offset) => {
          props.onClosePanel();
          props.onJump(chapter, offset);
        }}
        onEditNote={(highlight) => {
          setError(null);
          setEditing({ kind: "existing", highlight });
        }}
        onDeleteHighlight={(highlight: Highlight) =>
          void run(() => annotations.removeHighlight(highlight.id))
        }
        onDeleteBookmark={(bookmark: Bookmark) =>
          void run(() => annotations.removeBookmark(bookmark.id))
        }
        onExport={download}
        onClose={props.onClosePanel}
      />
    </>
  );
}
