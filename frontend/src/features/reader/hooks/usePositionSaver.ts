/**
 * Saves the reading position: shortly after the reader stops moving, when the tab is hidden or
 * the page unloads (a keepalive request), and when the reader is left for another page.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { bookKeys } from "@/features/library";
import { type Place, type SavedPosition, savePosition, savePositionOnExit } from "../api/reader";

const SAVE_DELAY_MS = 1500;

export function usePositionSaver(
  bookId: string,
  place: Place | null,
  onSaved?: (position: SavedPosition) => void,
): void {
  const queryClient = useQueryClient();
  const saved$ = useRef(onSaved);
  saved$.current = onSaved;
  const latest = useRef(place);
  const saved = useRef<string | null>(null);
  latest.current = place;

  const unsaved = (): Place | null => {
    const current = latest.current;
    if (!current) return null;
    return `${current.chapter}:${current.offset}` === saved.current ? null : current;
  };
  const markSaved = (value: Place) => {
    saved.current = `${value.chapter}:${value.offset}`;
  };

  useEffect(() => {
    if (!place) return;
    const timer = setTimeout(() => {
      const value = unsaved();
      if (!value) return;
      markSaved(value);
      savePosition(bookId, value).then(
        (position) => {
          queryClient.setQueryData(bookKeys.position(bookId), position);
          saved$.current?.(position);
        },
        () => {
          saved.current = null; // try again with the next save
        },
      );
    }, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
    // The place's value (not its object) is what restarts the wait.
  }, [bookId, place?.chapter, place?.offset]);

  useEffect(() => {
    const onExit = () => {
      const value = unsaved();
      if (!value) return;
      markSaved(value);
      savePositionOnExit(bookId, value);
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") onExit();
    };
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onExit);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onExit);
      // Leaving for another page of the app: save now, and let the library show the progress.
      const value = unsaved();
      const done = value ? savePosition(bookId, value) : Promise.resolve(null);
      void done
        .catch(() => undefined)
        .finally(() => {
          void queryClient.invalidateQueries({ queryKey: bookKeys.all });
        });
    };
  }, [bookId, queryClient]);
}
