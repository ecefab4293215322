/** Server state of the library through TanStack Query; books being processed are polled. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { deleteBook, getBook, getPosition, listBooks } from "../api/books";
import { bookKeys } from "../api/queryKeys";
import { anyProcessing, isProcessing } from "../bookStates";
import type { ApiBookQuery } from "../libraryQuery";

const POLL_MS = 1500;

export function useBookList(query: ApiBookQuery) {
  return useQuery({
    queryKey: bookKeys.list(query),
    queryFn: () => listBooks(query),
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data && anyProcessing(current.state.data.items) ? POLL_MS * 2 : false,
  });
}

export function useBook(bookId: string, { enabled = true } = {}) {
  return useQuery({
    queryKey: bookKeys.detail(bookId),
    queryFn: () => getBook(bookId),
    enabled: enabled && bookId !== "",
    refetchInterval: (current) =>
      current.state.data && isProcessing(current.state.data.state) ? POLL_MS : false,
  });
}

export function usePosition(bookId: string) {
  return useQuery({ queryKey: bookKeys.position(bookId), queryFn: () => getPosition(bookId) });
}

export function useDeleteBook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteBook,
    onSuccess: (_, bookId) => {
      queryClient.removeQueries({ queryKey: bookKeys.detail(bookId) });
      void queryClient.invalidateQueries({ queryKey: bookKeys.all });
    },
  });
}
