/**
 * The book surface's layout: one chapter inside one element, either as CSS columns in a
 * clipping window (paginated: a page turn translates the column container and lays nothing out
 * again) or as a plain scrolling column. Positions cross relayouts as chapter offsets, so a
 * resize, a font change or a mode switch keeps the same text in view.
 */
import { boxTables, scopedFragment, TABLE_BOX } from "../content/bookHtml";
import { rectAtOffset, firstVisibleOffset, type RectTest } from "../position/locate";
import { type ParagraphSpan, paragraphAtOffset, paragraphElements } from "../position/offsets";
import {
  clampPage,
  type PageGeometry,
  pageAtDistance,
  pageCount,
  pageGeometry,
  translationFor,
} from "./pagination";

export type LayoutMode = "paginated" | "scroll";
export type Relocation = { offset: number; page: number; pages: number };
export type ChapterTarget = number | "end";
/** The chapter's paragraphs in the document now (after a load, and again when the rest arrives). */
export type ContentChange = {
  elements: ReadonlyMap<number, Element>;
  paragraphs: readonly ParagraphSpan[];
};

// Where the reader is gets measured once turning settles, not on every turn.
const REPORT_DELAY_MS = 120;
// In scroll mode the text brought into view sits a little below the bar, not glued to it.
const SCROLL_HEADROOM = 12;

export class BookLayout {
  private mode: LayoutMode = "paginated";
  private rtl = false;
  private paragraphs: readonly ParagraphSpan[] = [];
  private elements = new Map<number, Element>();
  private geometry: PageGeometry = pageGeometry(1, 48);
  private pages = 1;
  private page = 0;
  /** The offset kept in view across relayouts; moves only when the reader moves. */
  private anchor = 0;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;
  private frame = 0;
  private ignoreScrollTop: number | null = null;
  private readonly resizeObserver: ResizeObserver | null;
  private lastSize = "";
  /** The chapter's nodes not yet in the document (see load). */
  private rest: ChildNode[] = [];
  private restTimer: ReturnType<typeof setTimeout> | undefined;
  private restFrame = 0;
  /** The accessible name of a table's box once it scrolls sideways (the app's language). */
  tableLabel = "Table";

  constructor(
    private readonly clip: HTMLElement,
    private readonly content: HTMLElement,
    private readonly onRelocate: (relocation: Relocation) => void,
    private readonly onContent: (change: ContentChange) => void = () => undefined,
  ) {
    this.resizeObserver =
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver(() => {
            const size = `${this.clip.clientWidth}x${this.clip.clientHeight}`;
            if (size !== this.lastSize) this.scheduleRelayout();
          });
    this.resizeObserver?.observe(clip);
    content.addEventListener("load", this.scheduleRelayout, true);
    clip.addEventListener("scroll", this.onScroll, { passive: true });
    content.addEventListener("focusin", this.onFocusIn);
    document.fonts?.addEventListener?.("loadingdone", this.scheduleRelayout);
  }

  destroy(): void {
    this.cancelRest();
    this.resizeObserver?.disconnect();
    this.content.removeEventListener("load", this.scheduleRelayout, true);
    this.clip.removeEventListener("scroll", this.onScroll);
    this.content.removeEventListener("focusin", this.onFocusIn);
    document.fonts?.removeEventListener?.("loadingdone", this.scheduleRelayout);
    clearTimeout(this.reportTimer);
    cancelAnimationFrame(this.frame);
  }

  /**
   * Show a chapter at an offset (or its end). A long chapter is laid out in two steps: the part
   * up to a little past the target first, so it paints at once, the rest in the next task.
   */
  load(html: string, paragraphs: readonly ParagraphSpan[], target: ChapterTarget): void {
    this.cancelRest();
    const fragment = scopedFragment(html);
    boxTables(fragment);
    const nodes = [...fragment.childNodes];
    const firstPart = firstPartLength(
      nodes,
      target === "end" ? null : paragraphAtOffset(paragraphs, target),
    );
    this.content.replaceChildren(...nodes.slice(0, firstPart));
    this.rest = nodes.slice(firstPart);
    // The rest waits for the first paint: a task queued from the next animation frame runs after
    // that frame is painted, so the opening is on screen before the long layout starts.
    if (this.rest.length > 0) {
      this.restFrame = requestAnimationFrame(() => {
        this.restTimer = setTimeout(this.appendRest, 0);
      });
    }
    this.paragraphs = paragraphs;
    this.elements = paragraphElements(this.content);
    this.onContent({ elements: this.elements, paragraphs });
    this.layout();
    if (target === "end") this.showEnd();
    else this.goToOffset(target);
    // The asked-for offset stays the anchor: when fonts or pictures arrive, it is found again.
    this.anchor = target === "end" ? this.currentOffset() : target;
    this.report();
  }

  configure(options: { mode: LayoutMode; rtl: boolean }): void {
    this.mode = options.mode;
    this.rtl = options.rtl;
    this.relayout();
  }

  /** Lay out again (size, font or mode changed) with the anchor still in view. */
  relayout = (): void => {
    this.layout();
    this.goToOffset(this.anchor);
    this.report();
  };

  /** One page (or one screen) on; false at the chapter's end. */
  next(): boolean {
    this.appendRest();
    if (this.mode === "scroll") return this.scrollByScreen(1);
    if (this.page >= this.pages - 1) return false;
    this.showPage(this.page + 1, true);
    this.scheduleReport();
    return true;
  }

  /** One page (or one screen) back; false at the chapter's start. */
  previous(): boolean {
    if (this.mode === "scroll") return this.scrollByScreen(-1);
    if (this.page <= 0) return false;
    this.showPage(this.page - 1, true);
    this.scheduleReport();
    return true;
  }

  /** Bring a chapter offset into view (a link, a contents entry in this chapter). */
  goTo(offset: number): void {
    this.goToOffset(offset);
    this.anchor = offset;
    this.report();
  }

  /** Bring an element of the chapter into view (an in-chapter anchor). */
  reveal(element: Element): void {
    this.goToRect(element.getBoundingClientRect());
    this.anchor = this.currentOffset();
    this.report();
  }

  private cancelRest(): void {
    cancelAnimationFrame(this.restFrame);
    clearTimeout(this.restTimer);
  }

  private appendRest = (): void => {
    this.cancelRest();
    if (this.rest.length === 0) return;
    this.content.append(...this.rest);
    this.rest = [];
    this.elements = paragraphElements(this.content);
    this.onContent({ elements: this.elements, paragraphs: this.paragraphs });
    this.relayout();
  };

  private layout(): void {
    const width = this.clip.clientWidth;
    const height = this.clip.clientHeight;
    this.lastSize = `${width}x${height}`;
    const style = this.content.style;
    if (this.mode === "scroll") {
      for (const name of ["width", "height", "column-count", "column-gap", "transform"]) {
        style.removeProperty(name);
      }
      this.markWideTables();
      this.pages = 1;
      this.page = 0;
      return;
    }
    this.geometry = pageGeometry(width, this.pageGap());
    style.width = `${this.geometry.pageWidth}px`;
    style.height = `${height}px`;
    style.columnCount = String(this.geometry.columnsPerPage);
    style.columnGap = `${this.geometry.gap}px`;
    style.setProperty("--page-height", `${height}px`);
    this.markWideTables();
    this.pages = pageCount(this.content.scrollWidth, this.geometry);
  }

  /**
   * A table wider than its column scrolls inside its box: a region that takes focus, so keys
   * scroll it too. Only those boxes scroll: a scrolling box cannot be split between pages, and
   * a long narrow table should flow on to the next page like text.
   */
  private markWideTables(): void {
    for (const box of this.content.querySelectorAll<HTMLElement>(`.${TABLE_BOX}`)) {
      const table = box.firstElementChild;
      const wide = table !== null && widestFragment(table) > box.clientWidth + 1;
      if (wide) {
        box.setAttribute("data-scrolls", "");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", this.tableLabel);
        box.tabIndex = 0;
      } else if (box.hasAttribute("data-scrolls")) {
        for (const name of ["data-scrolls", "role", "aria-label", "tabindex"]) {
          box.removeAttribute(name);
        }
      }
    }
  }

  /** Two side margins apart: the gutter of a spread looks like the page's own margins. */
  private pageGap(): number {
    const frame = this.clip.parentElement;
    const margin = frame ? parseFloat(getComputedStyle(frame).paddingLeft) || 0 : 0;
    return Math.max(32, Math.round(2 * margin));
  }

  private showPage(page: number, animate: boolean): void {
    this.page = clampPage(page, this.pages);
    this.content.classList.toggle("is-turning", animate);
    const x = translationFor(this.page, this.geometry, this.rtl);
    this.content.style.transform = `translate3d(${x}px, 0, 0)`;
  }

  private showEnd(): void {
    if (this.mode === "paginated") this.showPage(this.pages - 1, false);
    else this.scrollTo(this.clip.scrollHeight);
  }

  private goToOffset(offset: number): void {
    const rect = rectAtOffset(this.elements, this.paragraphs, offset);
    if (rect) this.goToRect(rect);
    else if (this.mode === "paginated") this.showPage(0, false);
    else this.scrollTo(0);
  }

  private goToRect(rect: DOMRect): void {
    if (this.mode === "scroll") {
      const top = this.clip.getBoundingClientRect().top;
      this.scrollTo(this.clip.scrollTop + rect.top - top - SCROLL_HEADROOM);
      return;
    }
    const box = this.content.getBoundingClientRect();
    const distance = this.rtl ? box.right - rect.right : rect.left - box.left;
    this.showPage(pageAtDistance(distance, this.geometry, this.pages), false);
  }

  private scrollTo(top: number): void {
    this.clip.scrollTop = Math.max(0, top);
    this.ignoreScrollTop = this.clip.scrollTop;
  }

  private scrollByScreen(direction: 1 | -1): boolean {
    const { scrollTop, clientHeight, scrollHeight } = this.clip;
    if (direction > 0 && scrollTop + clientHeight >= scrollHeight - 2) return false;
    if (direction < 0 && scrollTop <= 0) return false;
    // Keep two lines of the last screen in sight, so the eye finds its place.
    const overlap = 2 * parseFloat(getComputedStyle(this.content).lineHeight || "24");
    this.clip.scrollBy({ top: direction * Math.max(40, clientHeight - overlap) });
    return true;
  }

  /** The chapter offset of the first character in view. */
  currentOffset(): number {
    return firstVisibleOffset(this.elements, this.paragraphs, this.beforeViewTest());
  }

  private beforeViewTest(): RectTest {
    if (this.mode === "scroll") {
      const top = this.clip.getBoundingClientRect().top;
      // A line peeking into the headroom belongs to what was read.
      return (rect) => rect.bottom <= top + SCROLL_HEADROOM + 1;
    }
    // Measured against the column container, so a running turn animation changes nothing.
    const box = this.content.getBoundingClientRect();
    const start = this.page * this.geometry.stride;
    return this.rtl
      ? (rect) => box.right - rect.left <= start + 1
      : (rect) => rect.right - box.left <= start + 1;
  }

  private report(): void {
    clearTimeout(this.reportTimer);
    this.onRelocate({ offset: this.currentOffset(), page: this.page, pages: this.pages });
  }

  private scheduleReport(): void {
    clearTimeout(this.reportTimer);
    this.reportTimer = setTimeout(() => {
      this.anchor = this.currentOffset();
      this.report();
    }, REPORT_DELAY_MS);
  }

  private scheduleRelayout = (): void => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(this.relayout);
  };

  private onScroll = (): void => {
    if (this.mode !== "scroll") return;
    if (this.ignoreScrollTop !== null && Math.abs(this.clip.scrollTop - this.ignoreScrollTop) < 2) {
      return;
    }
    this.ignoreScrollTop = null;
    this.scheduleReport();
  };

  /** Tabbing to a link on another page turns to that page (the window itself never scrolls). */
  private onFocusIn = (event: FocusEvent): void => {
    if (this.mode === "paginated" && event.target instanceof Element) this.reveal(event.target);
  };
}

/**
 * The width of an element's widest box: a table whose rows run on into the next columns has a
 * box in each, and its bounding box (offsetWidth too) spans them all, as wide as a spread.
 */
function widestFragment(element: Element): number {
  let widest = 0;
  for (const rect of element.getClientRects()) widest = Math.max(widest, rect.width);
  return widest;
}

// Top-level blocks laid out before the first paint: about two screens of text on a phone.
const FIRST_PART_BLOCKS = 40;

/**
 * How many of a chapter's top-level nodes to lay out first: enough to reach a little past the
 * target paragraph (all of them for the chapter's end, or when the rest would be small).
 */
export function firstPartLength(
  nodes: readonly ChildNode[],
  targetParagraph: number | null,
): number {
  if (targetParagraph === null || nodes.length <= FIRST_PART_BLOCKS * 2) return nodes.length;
  const holder = nodes.findIndex(
    (node) =>
      node instanceof Element &&
      (node.getAttribute("data-p") === String(targetParagraph) ||
        node.querySelector(`[data-p="${targetParagraph}"]`) !== null),
  );
  if (holder < 0) return nodes.length;
  const end = holder + 1 + FIRST_PART_BLOCKS;
  return nodes.length - end < FIRST_PART_BLOCKS ? nodes.length : end;
}
