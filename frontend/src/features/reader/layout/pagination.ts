/**
 * Pagination maths for a chapter laid out in CSS columns inside one element: how wide a column
 * is, how many pages the columns make, which page holds a point, and how far to translate the
 * column container to show a page (right-to-left books move the other way).
 */

export type PageGeometry = {
  /** Width of one column of text (CSS px). */
  columnWidth: number;
  /** Gap between two columns, also between two pages. */
  gap: number;
  /** 1 on phones and narrow windows, 2 (a spread) on wide ones. */
  columnsPerPage: number;
  /** Width of the visible page (all its columns and the gaps between them). */
  pageWidth: number;
  /** Distance from one page to the next: the page and one gap. */
  stride: number;
};

// Lines longer than ~75 characters tire the eye; a spread keeps both columns readable.
const SPREAD_MIN_WIDTH = 900;

export function pageGeometry(width: number, gap: number): PageGeometry {
  const pageWidth = Math.max(1, Math.floor(width));
  const columnsPerPage = pageWidth >= SPREAD_MIN_WIDTH ? 2 : 1;
  const columnWidth = (pageWidth - gap * (columnsPerPage - 1)) / columnsPerPage;
  return { columnWidth, gap, columnsPerPage, pageWidth, stride: pageWidth + gap };
}

/** Pages made by columns whose total scroll width is `scrollWidth`. */
export function pageCount(scrollWidth: number, geometry: PageGeometry): number {
  const columns = Math.round((scrollWidth + geometry.gap) / (geometry.columnWidth + geometry.gap));
  return Math.max(1, Math.ceil(columns / geometry.columnsPerPage));
}

export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(0, pages - 1), Math.max(0, Math.floor(page)));
}

/**
 * The page that shows a point `distance` px from the start edge of the first page (the left
 * edge, or the right edge in a right-to-left book).
 */
export function pageAtDistance(distance: number, geometry: PageGeometry, pages: number): number {
  // A point in the gap after a page belongs to the next page; half a pixel absorbs rounding.
  return clampPage(Math.floor((distance + 0.5) / geometry.stride), pages);
}

/** The horizontal translation (px) of the column container that shows `page`. */
export function translationFor(page: number, geometry: PageGeometry, rtl: boolean): number {
  const distance = page * geometry.stride;
  return rtl ? distance : -distance;
}

export type Turn = "next" | "previous";

/** What a key does to the page; the arrows follow the direction pages move in the book. */
export function turnForKey(key: string, shiftKey: boolean, rtl: boolean): Turn | null {
  switch (key) {
    case "PageDown":
      return "next";
    case "PageUp":
      return "previous";
    case " ":
    case "Spacebar":
      return shiftKey ? "previous" : "next";
    case "ArrowRight":
      return rtl ? "previous" : "next";
    case "ArrowLeft":
      return rtl ? "next" : "previous";
    default:
      return null;
  }
}

/** A tap at `x` of a page `width` px wide: outer thirds turn, the middle does nothing. */
export function turnForTap(x: number, width: number, rtl: boolean): Turn | null {
  if (width <= 0) return null;
  const share = x / width;
  if (share < 1 / 3) return rtl ? "next" : "previous";
  if (share > 2 / 3) return rtl ? "previous" : "next";
  return null;
}

// A swipe is a mostly horizontal drag of at least this many px.
const SWIPE_MIN = 40;

export function turnForSwipe(dx: number, dy: number, rtl: boolean): Turn | null {
  if (Math.abs(dx) < SWIPE_MIN || Math.abs(dx) < Math.abs(dy) * 1.5) return null;
  // Dragging the page to the left brings the next page of a left-to-right book.
  const towardsStart = dx < 0;
  return towardsStart !== rtl ? "next" : "previous";
}
