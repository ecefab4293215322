/**
 * The chapter on screen: a clipping window around one element that BookLayout fills and pages.
 * React renders the frame only; the chapter's DOM is BookLayout's, so page turns never re-render
 * or re-lay out the text. Clicks on the text open notes and pictures, follow in-book links, or
 * turn the page (outer thirds); a horizontal swipe turns too.
 */
import { useEffect, useLayoutEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Chapter, Place } from "../api/reader";
import { BOOK_PREFIX, noteIdAt, positionLink, zoomableImageAt } from "../content/bookHtml";
import {
  BookLayout,
  type ChapterTarget,
  type ContentChange,
  type LayoutMode,
  type Relocation,
} from "../layout/BookLayout";
import { type Turn, turnForSwipe, turnForTap } from "../layout/pagination";
import { INK_FILTERS, inkMatrix, markPicture } from "../content/lineArt";
import { markChapterLaidOut } from "../performanceMarks";
import { ChevronLeft, ChevronRight } from "./icons";

export type SurfaceControls = {
  turn: (turn: Turn) => void;
  goTo: (offset: number) => void;
  /** Lay the chapter out again with the same text in view (figures came or went). */
  relayout: () => void;
  /** Bring an element of the chapter (a figure) into view. */
  reveal: (element: Element) => void;
};

/** The chapter's DOM as it is now: what marks and figures are placed into. */
export type SurfaceContent = ContentChange & { content: HTMLElement; chapter: number };

export type SurfaceTarget = { chapter: number; offset: ChapterTarget; seq: number };

type Props = {
  chapter: Chapter | undefined;
  target: SurfaceTarget;
  mode: LayoutMode;
  rtl: boolean;
  language: string | null;
  /** Changes whenever typography does, so the chapter is laid out again. */
  typography: string;
  style: React.CSSProperties;
  controls: React.RefObject<SurfaceControls | null>;
  onRelocate: (relocation: Relocation & { chapter: number }) => void;
  onBoundary: (turn: Turn) => void;
  onNote: (id: string) => void;
  onImage: (image: { src: string; alt: string }) => void;
  onNavigate: (place: Place) => void;
  onPainted: (chapter: number) => void;
  onContent: (content: SurfaceContent) => void;
  /** A click on the text (not a link or a note): true when it opened something. */
  onTextClick: (event: React.MouseEvent) => boolean;
};

export function BookSurface(props: Props) {
  const { t } = useTranslation("reader");
  const clipRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const layoutRef = useRef<BookLayout | null>(null);
  const loaded = useRef<{ chapter: Chapter; seq: number } | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useLayoutEffect(() => {
    const clip = clipRef.current;
    const content = contentRef.current;
    if (!clip || !content) return;
    const layout = new BookLayout(
      clip,
      content,
      (relocation) => {
        const chapter = loaded.current?.chapter.index;
        if (chapter !== undefined) latest.current.onRelocate({ ...relocation, chapter });
      },
      (change) => {
        const chapter = loaded.current?.chapter.index;
        if (chapter !== undefined) latest.current.onContent({ ...change, content, chapter });
      },
    );
    layout.tableLabel = t("table");
    layoutRef.current = layout;
    // The book's own pictures (not the passages' illustrations) are looked at once loaded.
    const onPictureLoad = (event: Event) => {
      const image = event.target;
      if (image instanceof HTMLImageElement && !image.closest(".illustration")) {
        markPicture(image);
      }
    };
    content.addEventListener("load", onPictureLoad, true);
    return () => {
      content.removeEventListener("load", onPictureLoad, true);
      layout.destroy();
      layoutRef.current = null;
      loaded.current = null;
    };
  }, []);

  // Typography and mode first, so a chapter that arrives with them is laid out once.
  useLayoutEffect(() => {
    layoutRef.current?.configure({ mode: props.mode, rtl: props.rtl });
  }, [props.mode, props.rtl, props.typography]);

  useEffect(() => {
    if (layoutRef.current) layoutRef.current.tableLabel = t("table");
  }, [t]);

  useLayoutEffect(() => {
    const layout = layoutRef.current;
    const { chapter, target } = props;
    if (!layout || !chapter || chapter.index !== target.chapter) return;
    const previous = loaded.current;
    // The same chapter fetched again (fresh picture links) keeps the text where it is.
    const same = previous?.chapter.index === chapter.index;
    if (same && previous.seq === target.seq) return;
    loaded.current = { chapter, seq: target.seq };
    if (same && target.offset !== "end") {
      layout.goTo(target.offset);
    } else {
      const started = performance.now();
      layout.load(chapter.html, chapter.paragraphs, target.offset);
      markChapterLaidOut(started, chapter.index);
    }
    // The frame after layout is the one that paints the chapter.
    requestAnimationFrame(() => latest.current.onPainted(chapter.index));
  }, [props.chapter, props.target]);

  useEffect(() => {
    props.controls.current = {
      turn: (turn) => {
        const layout = layoutRef.current;
        if (!layout) return;
        const moved = turn === "next" ? layout.next() : layout.previous();
        if (!moved) latest.current.onBoundary(turn);
      },
      goTo: (offset) => layoutRef.current?.goTo(offset),
      relayout: () => layoutRef.current?.relayout(),
      reveal: (element) => layoutRef.current?.reveal(element),
    };
  }, [props.controls]);

  const swipeStart = useRef<{ x: number; y: number } | null>(null);
  const pointerType = useRef("mouse");

  function onClick(event: React.MouseEvent<HTMLDivElement>) {
    const content = contentRef.current;
    if (!content) return;
    const noteId = noteIdAt(event.target, content);
    if (noteId !== null) {
      event.preventDefault();
      latest.current.onNote(noteId);
      return;
    }
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (link && content.contains(link)) {
      event.preventDefault();
      followLink(link.getAttribute("href"));
      return;
    }
    const image = zoomableImageAt(event.target, content);
    if (image) {
      latest.current.onImage({ src: image.currentSrc || image.src, alt: image.alt });
      return;
    }
    if (!window.getSelection()?.isCollapsed) return;
    // A tap in a table that scrolls sideways reaches for the table, not for the page.
    const inTable = event.target instanceof Element && event.target.closest("[data-scrolls]");
    const box = event.currentTarget.getBoundingClientRect();
    const turn =
      props.mode === "paginated" && !inTable
        ? turnForTap(event.clientX - box.left, box.width, props.rtl)
        : null;
    // A finger turning pages must not open a passage's card: on touch the outer thirds turn
    // (marks open from the middle, or from the passage list); a mouse opens what it points at.
    const touch = pointerType.current !== "mouse";
    if (!(turn && touch) && latest.current.onTextClick(event)) return;
    if (turn) props.controls.current?.turn(turn);
  }

  function followLink(href: string | null) {
    const place = positionLink(href);
    if (place) {
      latest.current.onNavigate(place);
      return;
    }
    if (href?.startsWith(`#${BOOK_PREFIX}`)) {
      const target = contentRef.current?.querySelector(`#${CSS.escape(href.slice(1))}`);
      if (target) layoutRef.current?.reveal(target);
    }
  }

  return (
    <div className="reader-stage" style={props.style}>
      <div
        ref={clipRef}
        className="reader-clip"
        onClick={onClick}
        onPointerDown={(event) => {
          pointerType.current = event.pointerType;
          // A finger moving a wide table sideways scrolls the table, not the page.
          const inTable =
            event.target instanceof Element && event.target.closest("[data-scrolls]") !== null;
          swipeStart.current =
            event.pointerType !== "mouse" && !inTable
              ? { x: event.clientX, y: event.clientY }
              : null;
        }}
        onPointerUp={(event) => {
          const start = swipeStart.current;
          swipeStart.current = null;
          if (!start || props.mode !== "paginated") return;
          const turn = turnForSwipe(event.clientX - start.x, event.clientY - start.y, props.rtl);
          if (turn) props.controls.current?.turn(turn);
        }}
      >
        <div
          ref={contentRef}
          className="book-content reader-columns"
          dir={props.rtl ? "rtl" : "ltr"}
          lang={props.language ?? undefined}
        />
      </div>
      <button
        type="button"
        className={`page-turn ${props.rtl ? "page-turn-right" : "page-turn-left"}`}
        aria-label={t("previousPage")}
        onClick={() => props.controls.current?.turn("previous")}
      >
        {props.rtl ? <ChevronRight /> : <ChevronLeft />}
      </button>
      <button
        type="button"
        className={`page-turn ${props.rtl ? "page-turn-left" : "page-turn-right"}`}
        aria-label={t("nextPage")}
        onClick={() => props.controls.current?.turn("next")}
      >
        {props.rtl ? <ChevronLeft /> : <ChevronRight />}
      </button>
      <InkFilters />
    </div>
  );
}

/** The SVG filters reader.css draws line art with in the dark and sepia themes. */
function InkFilters() {
  return (
    <svg className="reader-ink-filters" aria-hidden="true" focusable="false">
      {Object.entries(INK_FILTERS).map(([id, { ink, paper }]) => (
        <filter key={id} id={id} colorInterpolationFilters="sRGB">
          <feColorMatrix type="matrix" values={inkMatrix(ink, paper)} />
        </filter>
      ))}
    </svg>
  );
}
