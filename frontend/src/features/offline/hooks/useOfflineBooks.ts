/** The books this device keeps for offline reading, renewed when the service worker caches more. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { type CachedBook } from "../core/eviction";
import { CHANGED_CHANNEL } from "../core/names";
import { cachedBooks } from "../core/offlineDb";

export const offlineBooksKey = ["offline", "books"] as const;

async function readCachedBooks(): Promise<Map<string, CachedBook>> {
  if (!("indexedDB" in globalThis)) return new Map();
  const books = await cachedBooks();
  return new Map(
    books.filter((book) => book.chapters.length > 0).map((book) => [book.bookId, book]),
  );
}

export function useOfflineBooks(): Map<string, CachedBook> {
  const queryClient = useQueryClient();
  const books = useQuery({
    queryKey: offlineBooksKey,
    queryFn: readCachedBooks,
    networkMode: "always",
    staleTime: Infinity,
    retry: false,
  });
  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(CHANGED_CHANNEL);
    channel.onmessage = () => void queryClient.invalidateQueries({ queryKey: offlineBooksKey });
    return () => channel.close();
  }, [queryClient]);
  return books.data ?? EMPTY;
}

const EMPTY = new Map<string, CachedBook>();
