/**
 * The reader (route /books/:bookId/read): a chapter on screen in pages or as a scroll, with the
 * contents, settings, notes and pictures around it, and the reading position kept in the API.
 * Opens at `?chapter=N&offset=M` when given, else where the reader stopped, else at the start.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { usePageTitle } from "@/components/usePageTitle";
import { useBook, usePosition } from "@/features/library";
import { useKeepBookOffline } from "@/features/offline";
import { getChapter, type Place } from "./api/reader";
import { BookSurface, type SurfaceControls, type SurfaceTarget } from "./components/BookSurface";
import { ContentsDrawer } from "./components/ContentsDrawer";
import { ImageDialog, type ZoomedImage } from "./components/ImageDialog";
import { NoteDialog } from "./components/NoteDialog";
import { ReaderFooter } from "./components/ReaderFooter";
import { ReaderHeader } from "./components/ReaderHeader";
import { SettingsPanel } from "./components/SettingsPanel";
import { chapterTitle, contentsOf } from "./contents";
import { findFootnote, type Footnote } from "./content/bookHtml";
import { bookDirection, startPlace } from "./startPlace";
import { useDocumentTheme } from "./hooks/useDocumentTheme";
import { usePositionSaver } from "./hooks/usePositionSaver";
import { useReaderKeys } from "./hooks/useReaderKeys";
import { useReaderPreferences } from "./hooks/useReaderPreferences";
import { markChapterPainted, markChapterRequested } from "./performanceMarks";
import { surfaceStyle } from "./preferences/preferences";
import { chapterLength } from "./position/offsets";
import { readingProgress } from "./progress";
import "./fonts";
import "./reader.css";

const chapterKey = (bookId: string, index: number) => ["reader", "chapter", bookId, index] as const;
// Picture links in a chapter are presigned and expire; a chapter older than this is fetched anew.
const CHAPTER_FRESH_MS = 10 * 60_000;

export default function ReaderPage() {
  const { t } = useTranslation("reader");
  const { bookId = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const queryClient = useQueryClient();
  const book = useBook(bookId);
  const position = usePosition(bookId);
  const { preferences, change, saveFailed } = useReaderPreferences();
  useDocumentTheme(preferences.theme);
  usePageTitle(book.data?.title);

  const [target, setTarget] = useState<SurfaceTarget | null>(null);
  const [place, setPlace] = useState<Place | null>(null);
  const [pages, setPages] = useState({ page: 0, pages: 1 });
  const [panel, setPanel] = useState<"contents" | "settings" | null>(null);
  const [note, setNote] = useState<{ id: string; note: Footnote | null } | null>(null);
  const [image, setImage] = useState<ZoomedImage | null>(null);
  const controls = useRef<SurfaceControls | null>(null);

  const chapterCount = book.data?.chapters.length ?? 0;
  useEffect(() => {
    if (target || !book.data || chapterCount === 0 || position.isPending) return;
    const start = startPlace(search, position.data ?? null, book.data.chapters);
    setTarget({ ...start.place, seq: 0 });
    // The link's place is used once; a reload resumes from the saved position instead.
    if (start.fromLink) setSearch({}, { replace: true });
  }, [target, book.data, chapterCount, position.isPending, position.data, search, setSearch]);

  const chapter = useQuery({
    queryKey: chapterKey(bookId, target?.chapter ?? -1),
    queryFn: () => getChapter(bookId, target?.chapter ?? 0),
    enabled: target !== null,
    staleTime: CHAPTER_FRESH_MS,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const shown = chapter.data?.index === target?.chapter ? chapter.data : undefined;

  const prefetch = useCallback(
    (index: number) =>
      void queryClient.prefetchQuery({
        queryKey: chapterKey(bookId, index),
        queryFn: () => getChapter(bookId, index),
        staleTime: CHAPTER_FRESH_MS,
      }),
    [bookId, queryClient],
  );
  useEffect(() => {
    if (shown?.next !== null && shown?.next !== undefined) prefetch(shown.next);
  }, [shown?.next, prefetch]);

  usePositionSaver(bookId, place);
  useKeepBookOffline(bookId, shown?.index ?? null);

  const goTo = useCallback((destination: { chapter: number; offset: number | "end" }) => {
    markChapterRequested();
    setTarget((current) => ({ ...destination, seq: (current?.seq ?? 0) + 1 }));
  }, []);

  const onBoundary = useCallback(
    (turn: "next" | "previous") => {
      if (!shown) return;
      if (turn === "next" && shown.next !== null) goTo({ chapter: shown.next, offset: 0 });
      if (turn === "previous" && shown.previous !== null) {
        goTo({ chapter: shown.previous, offset: "end" });
      }
    },
    [shown, goTo],
  );

  const rtl = bookDirection(shown, book.data) === "rtl";
  const dialogOpen = panel !== null || note !== null || image !== null;
  useReaderKeys({ enabled: !dialogOpen && shown !== undefined, rtl, controls });

  const untitled = useCallback((index: number) => t("chapterFallback", { number: index + 1 }), [t]);
  const contents = useMemo(
    () => (book.data ? contentsOf(book.data, untitled) : []),
    [book.data, untitled],
  );
  const typography = `${preferences.font_family}|${preferences.font_size}|${preferences.line_height}|${preferences.text_align}|${preferences.margin}`;
  const language = book.data?.language ?? null;
  const style = useMemo(
    () => surfaceStyle(preferences, language) as React.CSSProperties,
    [preferences, language],
  );

  if (book.isError) return <ReaderMessage error={book.error} />;
  if (!book.data) return <ReaderMessage text={t("loading")} busy />;
  if (chapterCount === 0) {
    return <ReaderMessage text={book.data.state === "failed" ? t("failed") : t("notReady")} busy />;
  }

  // Before the first measurement, the place asked for stands in for the place shown.
  const asked =
    target && target.offset !== "end" ? { chapter: target.chapter, offset: target.offset } : null;
  const current = place ?? asked;
  const length = shown ? (shown.text?.length ?? chapterLength(shown.paragraphs)) : 0;
  const progress = current && shown ? readingProgress(book.data.chapters, current, length) : null;
  const shownIndex = shown?.index ?? target?.chapter ?? 0;

  return (
    <div className="reader" data-layout={preferences.layout}>
      <ReaderHeader
        bookTitle={book.data.title}
        chapterTitle={chapterTitle(book.data, shownIndex, untitled)}
        onContents={() => setPanel("contents")}
        onSettings={() => setPanel("settings")}
      />
      <main id="main" className="reader-main" aria-busy={!shown}>
        {target ? (
          <BookSurface
            chapter={shown}
            target={target}
            mode={preferences.layout}
            rtl={rtl}
            language={language}
            typography={typography}
            style={style}
            controls={controls}
            onRelocate={(relocation) => {
              setPlace({ chapter: relocation.chapter, offset: relocation.offset });
              setPages({ page: relocation.page, pages: relocation.pages });
            }}
            onBoundary={onBoundary}
            onNote={(id) => setNote({ id, note: findFootnote(shown?.footnotes ?? [], id) })}
            onImage={setImage}
            onNavigate={(destination) => goTo(destination)}
            onPainted={markChapterPainted}
          />
        ) : null}
        {chapter.isError ? (
          <div className="reader-overlay">
            <ErrorNotice error={chapter.error} />
            <button type="button" onClick={() => void chapter.refetch()}>
              {t("retry")}
            </button>
          </div>
        ) : !shown ? (
          <p className="reader-overlay muted" role="status">
            {t("loadingChapter")}
          </p>
        ) : null}
      </main>
      <ReaderFooter
        rtl={rtl}
        progress={progress}
        page={preferences.layout === "paginated" ? pages : null}
        hasPrevious={(shown?.previous ?? null) !== null}
        hasNext={(shown?.next ?? null) !== null}
        onPrevious={() => shown?.previous != null && goTo({ chapter: shown.previous, offset: 0 })}
        onNext={() => shown?.next != null && goTo({ chapter: shown.next, offset: 0 })}
      />
      <ContentsDrawer
        open={panel === "contents"}
        entries={contents}
        place={current}
        onClose={() => setPanel(null)}
        onPrefetch={prefetch}
        onChoose={(destination) => {
          setPanel(null);
          goTo(destination);
        }}
      />
      <SettingsPanel
        open={panel === "settings"}
        preferences={preferences}
        language={language}
        saveFailed={saveFailed}
        onChange={change}
        onClose={() => setPanel(null)}
      />
      <NoteDialog
        note={note ? note.note : null}
        open={note !== null}
        onClose={() => setNote(null)}
      />
      <ImageDialog image={image} onClose={() => setImage(null)} />
    </div>
  );
}

function ReaderMessage({ text, error, busy }: { text?: string; error?: unknown; busy?: boolean }) {
  const { t } = useTranslation("reader");
  return (
    <main id="main" className="page narrow reader-message" aria-busy={busy}>
      {text ? <p role="status">{text}</p> : null}
      <ErrorNotice error={error} />
      <p>
        <Link to="/">{t("backToLibrary")}</Link>
      </p>
    </main>
  );
}
