/**
 * The library's filters, sort, search and page, kept in the URL so that a reload, the back
 * button and a shared link show the same list. Pure functions: parse, change, serialise.
 */
import type { BookState } from "@/lib/api";

export const BOOK_STATES: readonly BookState[] = [
  "uploading",
  "parsing",
  "parsed",
  "extracting",
  "ready",
  "failed",
  "extraction_unsupported_language",
];
export const SORTS = ["created", "title", "author"] as const;
export type Sort = (typeof SORTS)[number];
export type Order = "asc" | "desc";
export type View = "grid" | "list";
export const PAGE_SIZE = 24;

export type LibraryQuery = {
  q: string;
  state: BookState | null;
  language: string | null;
  author: string;
  sort: Sort;
  order: Order;
  page: number;
  view: View;
};

export type ApiBookQuery = {
  q?: string;
  state?: BookState;
  language?: string;
  author?: string;
  sort: Sort;
  order: Order;
  page: number;
  page_size: number;
};

/** Newest first when sorting by date; A→Z for title and author. */
export function defaultOrder(sort: Sort): Order {
  return sort === "created" ? "desc" : "asc";
}

const DEFAULTS: LibraryQuery = {
  q: "",
  state: null,
  language: null,
  author: "",
  sort: "created",
  order: "desc",
  page: 1,
  view: "grid",
};

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

export function parseLibraryQuery(params: URLSearchParams): LibraryQuery {
  const sort = oneOf(params.get("sort"), SORTS) ?? DEFAULTS.sort;
  const page = Number(params.get("page"));
  const language = params.get("language")?.trim().toLowerCase();
  return {
    q: params.get("q")?.trim() ?? "",
    state: oneOf(params.get("state"), BOOK_STATES),
    language: language && /^[a-z]{2,3}$/.test(language) ? language : null,
    author: params.get("author")?.trim() ?? "",
    sort,
    order: oneOf(params.get("order"), ["asc", "desc"] as const) ?? defaultOrder(sort),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    view: oneOf(params.get("view"), ["grid", "list"] as const) ?? DEFAULTS.view,
  };
}

/** Only what differs from the defaults goes into the URL. */
export function toSearchParams(query: LibraryQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.state) params.set("state", query.state);
  if (query.language) params.set("language", query.language);
  if (query.author) params.set("author", query.author);
  if (query.sort !== DEFAULTS.sort) params.set("sort", query.sort);
  if (query.order !== defaultOrder(query.sort)) params.set("order", query.order);
  if (query.page !== 1) params.set("page", String(query.page));
  if (query.view !== DEFAULTS.view) params.set("view", query.view);
  return params;
}

/**
 * Apply a change. A new filter, search or sort starts again at page 1 (the old page may not
 * exist any more); a new sort takes that sort's natural order unless one is given.
 */
export function changeLibraryQuery(
  query: LibraryQuery,
  change: Partial<LibraryQuery>,
): LibraryQuery {
  const next = { ...query, ...change };
  if (change.sort !== undefined && change.order === undefined && change.sort !== query.sort) {
    next.order = defaultOrder(change.sort);
  }
  const listChanged = (["q", "state", "language", "author", "sort", "order"] as const).some(
    (key) => key in change && change[key] !== query[key],
  );
  if (listChanged && change.page === undefined) next.page = 1;
  return next;
}

export function toApiQuery(query: LibraryQuery): ApiBookQuery {
  return {
    ...(query.q ? { q: query.q } : {}),
    ...(query.state ? { state: query.state } : {}),
    ...(query.language ? { language: query.language } : {}),
    ...(query.author ? { author: query.author } : {}),
    sort: query.sort,
    order: query.order,
    page: query.page,
    page_size: PAGE_SIZE,
  };
}

export function pageCount(total: number, pageSize: number = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
