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
import { PositionConflictDialog, usePositionSync } from "@/features/sync";
import { ApiError } from "@/lib/api";
import { Annotations } from "./annotations/Annotations";
import type { Illustration } from "./api/passages";
import { getChapter, type Place } from "./api/reader";
import {
  BookSurface,
  type SurfaceContent,
  type SurfaceControls,
  type SurfaceTarget,
} from "./components/BookSurface";
import { IllustrationFigure } from "./components/IllustrationFigure";
import { type CardProblem, PassageCard } from "./components/PassageCard";
import { PassageList } from "./components/PassageList";
import { type MarkHitTest, PassageLayer } from "./components/PassageLayer";
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
import { useReaderKeys } from "./hooks/useReaderKeys";
import { useReaderPreferences } from "./hooks/useReaderPreferences";
import { useChapterPassages, useIllustrationSettings } from "./hooks/usePassages";
import { chapterFigures, illustrationsByPassage } from "./passages/figures";
import { QUOTA_EXCEEDED, resetFromRetryAfter } from "./passages/quota";
import { markChapterPainted, markChapterRequested } from "./performanceMarks";
import { canHyphenate } from "./preferences/hyphenation";
import { effectiveAlign, surfaceStyle } from "./preferences/preferences";
import { chapterLength } from "./position/offsets";
import { readingProgress } from "./progress";
import { ReaderSearch } from "./search/ReaderSearch";
import { useBookSearch } from "./search/useBookSearch";
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
  const [panel, setPanel] = useState<
    "contents" | "settings" | "passages" | "search" | "annotations" | null
  >(null);
  const bookSearch = useBookSearch(bookId);
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

  const [surface, setSurface] = useState<SurfaceContent | null>(null);
  const hitTest = useRef<MarkHitTest | null>(null);
  const passages = useChapterPassages(bookId, shown?.index ?? null, {
    // Passages arrive chapter by chapter while extraction runs: fetch again as it advances.
    descriptionsVersion: `${book.data?.state ?? ""}:${book.data?.extraction?.chapters_done ?? ""}`,
  });
  const illustrationSettings = useIllustrationSettings();
  const descriptions = useMemo(
    () => passages.descriptions.data ?? [],
    [passages.descriptions.data],
  );
  const illustrations = useMemo(
    () => passages.illustrations.data ?? [],
    [passages.illustrations.data],
  );
  const figures = useMemo(
    () =>
      preferences.show_illustrations
        ? chapterFigures(descriptions, illustrations, passages.askedHere)
        : [],
    [preferences.show_illustrations, descriptions, illustrations, passages.askedHere],
  );
  const [card, setCard] = useState<string | null>(null);
  const [cardProblem, setCardProblem] = useState<CardProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [figureErrors, setFigureErrors] = useState<Record<string, string>>({});
  const refreshPictures = passages.refresh;

  // The share of the book behind the place, saved with it (what other devices show).
  const placeShare =
    place && shown && book.data
      ? readingProgress(
          book.data.chapters,
          place,
          shown.text?.length ?? chapterLength(shown.paragraphs),
        ).bookFraction * 100
      : null;
  const sync = usePositionSync(bookId, place, {
    seen: position.isPending ? null : (position.data?.version ?? 0),
    opened: position.data,
    percentage: placeShare,
    // Automatic mode: saving the position queues the pictures ahead; fetch this chapter's again.
    onSaved: (saved) => {
      if (saved.illustrating.length > 0) refreshPictures();
    },
  });
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

  const relayout = useCallback(() => controls.current?.relayout(), []);
  const problemOf = useCallback(
    (error: unknown): CardProblem => {
      if (error instanceof ApiError && error.code === QUOTA_EXCEEDED) {
        const seconds = Number(error.details.retry_after ?? error.retryAfter ?? 0);
        return {
          kind: "quota",
          resetsAt: resetFromRetryAfter(seconds, new Date()),
          limit: Number(error.details.limit ?? 0),
        };
      }
      return {
        kind: "error",
        message: error instanceof Error ? error.message : t("figure.unknownReason"),
      };
    },
    [t],
  );
  const problemText = useCallback(
    (problem: CardProblem) =>
      problem.kind === "quota"
        ? t("quota.exceeded", {
            count: problem.limit,
            time: new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }).format(
              problem.resetsAt,
            ),
          })
        : problem.message,
    [t],
  );
  const act = useCallback(
    async (work: () => Promise<unknown>, onProblem: (problem: CardProblem | null) => void) => {
      setBusy(true);
      onProblem(null);
      try {
        await work();
      } catch (error) {
        onProblem(problemOf(error));
      } finally {
        setBusy(false);
        void illustrationSettings.settings.refetch();
      }
    },
    [problemOf, illustrationSettings.settings],
  );
  const figureProblem = (id: string) => (problem: CardProblem | null) =>
    setFigureErrors((current) => {
      const next = { ...current };
      if (problem) next[id] = problemText(problem);
      else delete next[id];
      return next;
    });
  const changeIllustrationSettings = (
    change: Parameters<typeof illustrationSettings.change>[0],
  ) => {
    void illustrationSettings.change(change).then((saved) => {
      // Turned on: the saved position queues the pictures ahead at once, not at the next move.
      if (saved?.auto_illustrate && change.auto_illustrate && place) {
        void sync.saveNow().then((position) => position && refreshPictures());
      }
    });
  };
  const illustratedPassages = new Set(
    illustrations.filter((item) => item.state === "ready").map((item) => item.description_id),
  );
  const cardDescription = descriptions.find((item) => item.id === card) ?? null;
  const cardPictures: Illustration[] = card
    ? (illustrationsByPassage(illustrations).get(card) ?? [])
    : [];
  const cardLatest = cardPictures[0] ?? null;
  const cardShown = cardPictures.find((item) => item.state === "ready") ?? null;

  const rtl = bookDirection(shown, book.data) === "rtl";
  const dialogOpen =
    panel !== null || note !== null || image !== null || card !== null || sync.conflict !== null;
  useReaderKeys({ enabled: !dialogOpen && shown !== undefined, rtl, controls });

  const untitled = useCallback((index: number) => t("chapterFallback", { number: index + 1 }), [t]);
  const contents = useMemo(
    () => (book.data ? contentsOf(book.data, untitled) : []),
    [book.data, untitled],
  );
  const language = book.data?.language ?? null;
  const hyphenates = useMemo(() => canHyphenate(language), [language]);
  const align = effectiveAlign(preferences, hyphenates);
  const typography = `${preferences.font_family}|${preferences.font_size}|${preferences.line_height}|${align}|${preferences.margin}`;
  const style = useMemo(
    () => surfaceStyle(preferences, language, hyphenates) as React.CSSProperties,
    [preferences, language, hyphenates],
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
        onPassages={descriptions.length > 0 ? () => setPanel("passages") : undefined}
        onSearch={() => setPanel("search")}
        onAnnotations={() => setPanel("annotations")}
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
            onContent={setSurface}
            onTextClick={(event) => {
              const span = hitTest.current?.(event.clientX, event.clientY, event.target);
              if (!span) return false;
              setCardProblem(null);
              setCard(span.id);
              return true;
            }}
          />
        ) : null}
        <PassageLayer
          surface={surface && surface.chapter === shown?.index ? surface : null}
          descriptions={descriptions}
          figures={figures}
          showMarks={preferences.show_marks}
          hitTest={hitTest}
          relayout={relayout}
          renderFigure={(figure) => (
            <IllustrationFigure
              figure={figure}
              busy={busy}
              error={figureErrors[figure.description.id] ?? null}
              onZoom={setImage}
              onRegenerate={(illustration) =>
                void act(
                  () => passages.regenerate(illustration.id, null),
                  figureProblem(figure.description.id),
                )
              }
              onDelete={() =>
                void act(
                  () => passages.remove(figure.description.id),
                  figureProblem(figure.description.id),
                )
              }
            />
          )}
        />
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
        hyphenates={hyphenates}
        saveFailed={saveFailed}
        onChange={change}
        onClose={() => setPanel(null)}
        illustrations={illustrationSettings.settings.data}
        illustrationsSaveFailed={illustrationSettings.saveFailed}
        onIllustrationsChange={changeIllustrationSettings}
      />
      <PassageList
        open={panel === "passages"}
        descriptions={descriptions}
        illustrated={illustratedPassages}
        onChoose={(id) => {
          setPanel(null);
          setCardProblem(null);
          setCard(id);
        }}
        onClose={() => setPanel(null)}
      />
      <PassageCard
        description={cardDescription}
        latest={cardLatest}
        hasPicture={cardShown !== null}
        styles={illustrationSettings.settings.data?.styles ?? []}
        defaultStyle={illustrationSettings.settings.data?.style ?? null}
        busy={busy}
        problem={cardProblem}
        onIllustrate={(style) => {
          if (card) void act(() => passages.illustrate(card, style), setCardProblem);
        }}
        onRedraw={(style) => {
          const from = cardLatest?.state === "failed" ? cardLatest : (cardShown ?? cardLatest);
          if (from) void act(() => passages.regenerate(from.id, style), setCardProblem);
        }}
        onShowPicture={() => {
          const host = surface?.content.querySelector(
            `figure[data-description="${CSS.escape(card ?? "")}"]`,
          );
          setCard(null);
          if (host) controls.current?.reveal(host);
        }}
        onClose={() => setCard(null)}
      />
      <ReaderSearch
        search={bookSearch}
        open={panel === "search"}
        surface={surface && surface.chapter === shown?.index ? surface : null}
        onOpen={() => setPanel("search")}
        onClose={() => setPanel(null)}
        goTo={goTo}
      />
      <Annotations
        bookId={bookId}
        surface={surface && surface.chapter === shown?.index ? surface : null}
        text={shown?.text ?? null}
        place={current}
        panelOpen={panel === "annotations"}
        onClosePanel={() => setPanel(null)}
        chapterTitle={(index) => chapterTitle(book.data!, index, untitled)}
        onJump={(chapter, offset) => goTo({ chapter, offset })}
        onIllustrated={() => {
          void queryClient.invalidateQueries({ queryKey: ["reader", "descriptions", bookId] });
          refreshPictures();
        }}
        describeProblem={(error) => problemText(problemOf(error))}
      />
      <NoteDialog
        note={note ? note.note : null}
        open={note !== null}
        onClose={() => setNote(null)}
      />
      <ImageDialog image={image} onClose={() => setImage(null)} />
      <PositionConflictDialog
        conflict={sync.conflict}
        onStay={sync.stayHere}
        onContinue={() => {
          const there = sync.continueThere();
          if (there) goTo(there);
        }}
      />
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
