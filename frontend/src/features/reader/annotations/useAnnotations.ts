/**
 * The book's highlights and bookmarks as server state (TanStack Query), with the changes the
 * reader makes: each change updates the list from the API's answer, never guessed locally.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import {
  type Bookmark,
  createBookmark,
  createHighlight,
  deleteBookmark,
  deleteHighlight,
  type Highlight,
  type HighlightCreate,
  listBookmarks,
  listHighlights,
  updateHighlight,
} from "./api";

export const annotationKeys = {
  highlights: (bookId: string) => ["reader", "highlights", bookId] as const,
  bookmarks: (bookId: string) => ["reader", "bookmarks", bookId] as const,
};

const byPlace = (a: Highlight, b: Highlight) => a.chapter - b.chapter || a.start - b.start;
const byOffset = (a: Bookmark, b: Bookmark) => a.chapter - b.chapter || a.offset - b.offset;

export function useAnnotations(bookId: string) {
  const client = useQueryClient();
  const highlights = useQuery({
    queryKey: annotationKeys.highlights(bookId),
    queryFn: () => listHighlights(bookId),
  });
  const bookmarks = useQuery({
    queryKey: annotationKeys.bookmarks(bookId),
    queryFn: () => listBookmarks(bookId),
  });

  const putHighlight = useCallback(
    (item: Highlight) =>
      client.setQueryData<Highlight[]>(annotationKeys.highlights(bookId), (list = []) =>
        [...list.filter((other) => other.id !== item.id), item].sort(byPlace),
      ),
    [client, bookId],
  );

  const addHighlight = useCallback(
    async (body: HighlightCreate) => {
      const made = await createHighlight(bookId, body);
      putHighlight(made);
      return made;
    },
    [bookId, putHighlight],
  );
  const changeHighlight = useCallback(
    async (id: string, change: Parameters<typeof updateHighlight>[1]) => {
      const changed = await updateHighlight(id, change);
      putHighlight(changed);
      return changed;
    },
    [putHighlight],
  );
  const removeHighlight = useCallback(
    async (id: string) => {
      await deleteHighlight(id);
      client.setQueryData<Highlight[]>(annotationKeys.highlights(bookId), (list = []) =>
        list.filter((item) => item.id !== id),
      );
    },
    [client, bookId],
  );
  const addBookmark = useCallback(
    async (chapter: number, offset: number) => {
      const made = await createBookmark(bookId, chapter, offset);
      client.setQueryData<Bookmark[]>(annotationKeys.bookmarks(bookId), (list = []) =>
        [...list, made].sort(byOffset),
      );
      return made;
    },
    [client, bookId],
  );
  const removeBookmark = useCallback(
    async (id: string) => {
      await deleteBookmark(id);
      client.setQueryData<Bookmark[]>(annotationKeys.bookmarks(bookId), (list = []) =>
        list.filter((item) => item.id !== id),
      );
    },
    [client, bookId],
  );

  return {
    highlights: highlights.data ?? [],
    bookmarks: bookmarks.data ?? [],
    loadError: highlights.error ?? bookmarks.error,
    addHighlight,
    changeHighlight,
    removeHighlight,
    addBookmark,
    removeBookmark,
  };
}
