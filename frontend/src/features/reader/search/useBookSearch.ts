/**
 * The reader's search in its book: the query, the hits in reading order (page after page), and
 * which hit is current. A link from the library's search (`?q=…&hit=start-end` beside the
 * place) starts it with that query and that hit current; the link's parameters are read once,
 * when the reader opens (it clears them once it has used the place).
 */
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { hitAt, type SearchHit, searchBook, searchKeys } from "@/features/search";

type LinkedHit = { chapter: number; start: number };

function linkedSearch(params: URLSearchParams): { q: string; hit: LinkedHit | null } {
  const q = (params.get("q") ?? "").trim().slice(0, 200);
  const span = /^(\d+)-(\d+)$/.exec(params.get("hit") ?? "");
  const chapter = params.get("chapter");
  const hit =
    span && chapter && /^\d+$/.test(chapter)
      ? { chapter: Number(chapter), start: Number(span[1]) }
      : null;
  return { q, hit };
}

export type BookSearch = {
  q: string;
  hits: SearchHit[];
  current: number | null;
  pending: boolean;
  error: unknown;
  hasMore: boolean;
  search: (q: string) => void;
  loadMore: () => void;
  setCurrent: (index: number | null) => void;
  close: () => void;
};

export function useBookSearch(bookId: string): BookSearch {
  const [params] = useSearchParams();
  const [linked] = useState(() => linkedSearch(params));
  const [q, setQ] = useState(linked.q);
  const [current, setCurrent] = useState<number | null>(null);
  const result = useInfiniteQuery({
    queryKey: searchKeys.book(bookId, q),
    queryFn: ({ pageParam }) => searchBook(bookId, q, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
    enabled: q !== "",
    staleTime: 60_000,
  });
  const hits = useMemo(() => result.data?.pages.flatMap((page) => page.items) ?? [], [result.data]);
  const waitingFor = useRef(linked.hit);
  useEffect(() => {
    if (!waitingFor.current || !result.data) return;
    setCurrent(hitAt(hits, waitingFor.current));
    waitingFor.current = null;
  }, [hits, result.data]);

  return {
    q,
    hits,
    current,
    pending: q !== "" && result.isFetching,
    error: result.error,
    hasMore: result.hasNextPage,
    search: (next) => {
      waitingFor.current = null;
      setQ(next.trim());
      setCurrent(null);
    },
    loadMore: () => void result.fetchNextPage(),
    setCurrent,
    close: () => {
      setQ("");
      setCurrent(null);
    },
  };
}
