/**
 * Keeps the reading position in the API, from this device: saves shortly after the reader stops
 * moving, when the tab is hidden or the page unloads (a keepalive request), and when the reader is
 * left for another page. Every save says which version of the position it was made from; when
 * another device moved the place since (the answer, or a queued offline save, reports a conflict),
 * saving stops until the reader chooses: continue at the other place, or stay here.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { bookKeys } from "@/features/library";
import { forgetQueuedPosition, onQueuedConflict } from "@/features/offline";
import {
  type Place,
  type PositionBody,
  type SavedPosition,
  savePosition,
  savePositionOnExit,
} from "../api/positions";
import { conflictOf, type PositionConflict } from "../conflicts";
import { deviceId } from "../device";
import { useDeviceName } from "./useDeviceName";

const SAVE_DELAY_MS = 1500;
// The first page shown starts at most this many characters before the saved place it opened at.
const PAGE_CHARS = 4000;

/** Whether the first place shown is the page of the saved place the reader opened at. */
function pageOf(place: Place, opened: Place | null | undefined): boolean {
  return (
    !!opened &&
    place.chapter === opened.chapter &&
    place.offset <= opened.offset &&
    opened.offset - place.offset < PAGE_CHARS
  );
}

export type PositionSyncOptions = {
  /** The version of the position the reader opened with (0: none); null until it is known. */
  seen: number | null;
  /** The saved place the reader opened at (null: none, or not known yet). */
  opened?: Place | null;
  /** How much of the book is behind the place, % (null when not known yet). */
  percentage: number | null;
  onSaved?: (position: SavedPosition) => void;
};

export type PositionSync = {
  conflict: PositionConflict | null;
  /** Goes with the other device's place: returns it, for the reader to open. */
  continueThere: () => Place | null;
  /** Keeps this device's place: saves it over the other one, having seen it. */
  stayHere: () => void;
  /** Saves the current place now (even unchanged). */
  saveNow: () => Promise<SavedPosition | null>;
};

const forget = (bookId: string, before: number) =>
  void forgetQueuedPosition(bookId, before).catch(() => undefined);

export function usePositionSync(
  bookId: string,
  place: Place | null,
  options: PositionSyncOptions,
): PositionSync {
  const queryClient = useQueryClient();
  const name = useDeviceName();
  const [conflict, setConflict] = useState<PositionConflict | null>(null);

  // What this device saw last: once, from the position it opened with, then from its saves.
  // A later refetch of the position must not count as seen: the reader has not seen that place.
  const basedOn = useRef<number | null>(null);
  if (basedOn.current === null && options.seen !== null) basedOn.current = options.seen;
  const latest = useRef(place);
  latest.current = place;
  const current = useRef({ name, percentage: options.percentage, onSaved: options.onSaved });
  current.current = { name, percentage: options.percentage, onSaved: options.onSaved };
  const asking = useRef<PositionConflict | null>(null);
  asking.current = conflict;
  const saved = useRef<string | null>(null);
  // Opening the book where it was saved is not a move: saving it would make a new version, and
  // another device reading on would be asked about a place nobody moved to.
  const first = useRef(true);
  if (place && first.current && basedOn.current !== null) {
    first.current = false;
    if (pageOf(place, options.opened)) saved.current = `${place.chapter}:${place.offset}`;
  }

  const keyOf = (value: Place) => `${value.chapter}:${value.offset}`;
  const bodyOf = (value: Place): PositionBody => {
    const percentage = current.current.percentage;
    return {
      chapter: value.chapter,
      offset: value.offset,
      percentage:
        percentage === null ? null : Math.round(Math.min(100, Math.max(0, percentage)) * 10) / 10,
      device_id: deviceId(),
      device_name: current.current.name,
      based_on: basedOn.current ?? 0,
    };
  };
  /** The place to save, unless it is saved, unknown yet, or the reader is being asked. */
  const unsaved = (): Place | null => {
    const value = latest.current;
    if (!value || asking.current || basedOn.current === null) return null;
    return keyOf(value) === saved.current ? null : value;
  };
  const ask = useCallback((found: PositionConflict) => {
    asking.current ??= found;
    setConflict((shown) => shown ?? found);
  }, []);

  const save = useCallback(
    async (value: Place): Promise<SavedPosition | null> => {
      saved.current = keyOf(value);
      const sentAt = Date.now();
      try {
        const answer = await savePosition(bookId, bodyOf(value));
        // Queued offline, the answer is this device's own place, based on the same version.
        basedOn.current = answer.position.version;
        if (!answer.queued) forget(bookId, sentAt); // a place queued earlier is behind this one
        queryClient.setQueryData(bookKeys.position(bookId), answer.position);
        current.current.onSaved?.(answer.position);
        return answer.position;
      } catch (error) {
        saved.current = null; // try again with the next save
        const found = conflictOf(error);
        if (found) ask(found);
        return null;
      }
    },
    // bodyOf and keyOf read refs only.
    [bookId, queryClient, ask],
  );

  useEffect(() => {
    if (!place || conflict) return;
    const timer = setTimeout(() => {
      const value = unsaved();
      if (value) void save(value);
    }, SAVE_DELAY_MS);
    return () => clearTimeout(timer);
    // The place's value (not its object) is what restarts the wait; and the reader's choice.
  }, [bookId, place?.chapter, place?.offset, conflict, options.seen === null]);

  // A position this device queued offline, refused when sent: the same question.
  useEffect(
    () =>
      onQueuedConflict(({ queued, error }) => {
        const found = queued.bookId === bookId ? conflictOf(error) : null;
        if (found) ask(found);
      }),
    [bookId, ask],
  );

  useEffect(() => {
    const onExit = () => {
      const value = unsaved();
      if (!value) return;
      saved.current = keyOf(value);
      savePositionOnExit(bookId, bodyOf(value));
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
      const done = value ? save(value) : Promise.resolve(null);
      void done.finally(() => {
        void queryClient.invalidateQueries({ queryKey: bookKeys.all });
      });
    };
  }, [bookId, queryClient, save]);

  const resolve = (): PositionConflict | null => {
    const found = asking.current;
    if (!found) return null;
    basedOn.current = found.current.version; // the reader has now seen the other place
    asking.current = null;
    setConflict(null);
    forget(bookId, Date.now());
    return found;
  };

  return {
    conflict,
    continueThere: () => {
      const found = resolve();
      if (!found) return null;
      queryClient.setQueryData(bookKeys.position(bookId), found.current);
      saved.current = keyOf(found.current);
      return { chapter: found.current.chapter, offset: found.current.offset };
    },
    stayHere: () => {
      const found = resolve();
      if (!found) return;
      void save(latest.current ?? found.yours);
    },
    saveNow: () => {
      const value = latest.current;
      if (!value || asking.current || basedOn.current === null) return Promise.resolve(null);
      return save(value);
    },
  };
}
