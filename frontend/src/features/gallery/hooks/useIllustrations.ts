import { useQuery } from "@tanstack/react-query";
import { galleryKeys, listBookIllustrations, listRecentIllustrations } from "../api/gallery";

const POLL_MS = 3000;

/** The book's pictures; polled while any is still being drawn. */
export function useBookIllustrations(bookId: string) {
  return useQuery({
    queryKey: galleryKeys.book(bookId),
    queryFn: () => listBookIllustrations(bookId),
    enabled: bookId !== "",
    refetchInterval: (query) =>
      query.state.data?.some((image) => image.state === "queued" || image.state === "running")
        ? POLL_MS
        : false,
  });
}

export function useRecentIllustrations(limit: number) {
  return useQuery({
    queryKey: galleryKeys.recent(limit),
    queryFn: () => listRecentIllustrations(limit),
    staleTime: 30_000,
  });
}
