import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { exportKeys, getExport, isBuilding, requestEpub, type BookExport } from "../api/exports";

const POLL_MS = 1000;

/** The illustrated EPUB of a book: `start()` asks for it, then its state is polled until it is
 * ready (with a fresh download URL) or failed. */
export function useBookExport(bookId: string) {
  const queryClient = useQueryClient();
  const [started, setStarted] = useState<BookExport | null>(null);
  const request = useMutation({
    mutationFn: () => requestEpub(bookId),
    onSuccess: (answer) => {
      // Asked again (after a failure): what was polled before is not this build's state.
      queryClient.removeQueries({ queryKey: exportKeys.one(answer.id) });
      setStarted(answer);
    },
  });
  const followed = useQuery({
    queryKey: exportKeys.one(started?.id ?? ""),
    queryFn: () => getExport(started?.id ?? ""),
    enabled: started !== null && isBuilding(started.state),
    refetchInterval: (query) =>
      query.state.data && !isBuilding(query.state.data.state) ? false : POLL_MS,
  });
  const current: BookExport | null =
    started && isBuilding(started.state) ? (followed.data ?? started) : started;
  return {
    current,
    start: () => request.mutate(),
    asking: request.isPending,
    error: request.error ?? followed.error,
  };
}
