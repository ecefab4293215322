/**
 * A chapter's passages and their pictures as server state: the descriptions (fetched once), the
 * illustrations (polled with back-off while any is being drawn), the pictures asked for here
 * (polled one by one, quickly at first, so a picture shows within moments of being ready), and
 * the reader's illustration settings with today's quota.
 */
import { type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import {
  deleteIllustration,
  getIllustration,
  getIllustrationSettings,
  type Illustration,
  type IllustrationSettings,
  type IllustrationSettingsChange,
  listDescriptions,
  listIllustrations,
  regenerateIllustration,
  requestIllustration,
  updateIllustrationSettings,
} from "../api/passages";
import { illustrationsByPassage, isPending } from "../passages/figures";

export const passageKeys = {
  descriptions: (bookId: string, chapter: number) =>
    ["reader", "descriptions", bookId, chapter] as const,
  illustrations: (bookId: string, chapter: number) =>
    ["reader", "illustrations", bookId, chapter] as const,
  settings: ["reader", "illustration-settings"] as const,
};

/**
 * A picture asked for here: every 100 ms for its first 4 s (a provider takes 2–3 s, and the
 * reader is watching), then less and less often.
 */
export function askedPollDelay(attempt: number): number {
  return attempt < 40 ? 100 : Math.min(5000, Math.round(100 * 1.25 ** (attempt - 39)));
}

/** The chapter's list while automatic mode draws ahead: from 1.5 s up to 15 s between polls. */
export function chapterPollDelay(attempt: number): number {
  return Math.min(15_000, Math.round(1500 * 1.3 ** attempt));
}

function mergeIllustration(
  client: QueryClient,
  bookId: string,
  chapter: number,
  record: Illustration,
): void {
  client.setQueryData<Illustration[]>(passageKeys.illustrations(bookId, chapter), (list = []) => {
    const others = list.filter((item) => item.id !== record.id);
    return [...others, record];
  });
}

export function useChapterPassages(
  bookId: string,
  chapter: number | null,
  options: { descriptionsVersion: string },
) {
  const queryClient = useQueryClient();
  const index = chapter ?? -1;
  const descriptions = useQuery({
    queryKey: [...passageKeys.descriptions(bookId, index), options.descriptionsVersion],
    queryFn: () => listDescriptions(bookId, index),
    enabled: chapter !== null,
    // While extraction advances, the marks already shown stay until the new list arrives.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[3] === index ? previous : undefined,
    staleTime: 10 * 60_000,
    refetchOnWindowFocus: false,
  });
  const polls = useRef(0);
  const illustrations = useQuery({
    queryKey: passageKeys.illustrations(bookId, index),
    queryFn: () => listIllustrations(bookId, index),
    enabled: chapter !== null,
    // Picture links are presigned and short-lived: a list older than this is fetched anew.
    staleTime: 5 * 60_000,
    refetchInterval: (query) => {
      const pending = query.state.data?.some(isPending) ?? false;
      if (!pending) {
        polls.current = 0;
        return false;
      }
      polls.current += 1;
      return chapterPollDelay(polls.current - 1);
    },
  });

  const [askedHere, setAskedHere] = useState<ReadonlySet<string>>(() => new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const running = timers.current;
    return () => {
      for (const timer of running.values()) clearTimeout(timer);
      running.clear();
    };
  }, [bookId, index]);

  /** Show `record` at once and follow it until it is drawn (or fails). */
  const follow = useCallback(
    (record: Illustration) => {
      if (chapter === null) return;
      mergeIllustration(queryClient, bookId, chapter, record);
      setAskedHere((current) => new Set(current).add(record.id));
      if (!isPending(record)) return;
      const poll = (attempt: number) => {
        const timer = setTimeout(() => {
          getIllustration(record.id).then(
            (next) => {
              mergeIllustration(queryClient, bookId, chapter, next);
              if (isPending(next)) poll(attempt + 1);
              else {
                timers.current.delete(record.id);
                void queryClient.invalidateQueries({ queryKey: passageKeys.settings });
              }
            },
            () => poll(attempt + 1),
          );
        }, askedPollDelay(attempt));
        timers.current.set(record.id, timer);
      };
      clearTimeout(timers.current.get(record.id));
      poll(0);
    },
    [bookId, chapter, queryClient],
  );

  const illustrate = useCallback(
    async (descriptionId: string, style: string | null) => {
      const record = await requestIllustration(descriptionId, style);
      void queryClient.invalidateQueries({ queryKey: passageKeys.settings });
      follow(record);
      return record;
    },
    [follow, queryClient],
  );

  const regenerate = useCallback(
    async (illustrationId: string, style: string | null) => {
      const record = await regenerateIllustration(illustrationId, style);
      void queryClient.invalidateQueries({ queryKey: passageKeys.settings });
      follow(record);
      return record;
    },
    [follow, queryClient],
  );

  /** Deletes every picture of a passage (older generations would otherwise take its place). */
  const remove = useCallback(
    async (descriptionId: string) => {
      if (chapter === null) return;
      const key = passageKeys.illustrations(bookId, chapter);
      const list = illustrationsByPassage(queryClient.getQueryData<Illustration[]>(key) ?? []);
      const ids = (list.get(descriptionId) ?? []).map((item) => item.id);
      for (const id of ids) {
        clearTimeout(timers.current.get(id));
        await deleteIllustration(id);
      }
      queryClient.setQueryData<Illustration[]>(key, (current = []) =>
        current.filter((item) => !ids.includes(item.id)),
      );
    },
    [bookId, chapter, queryClient],
  );

  /** Fetch the chapter's pictures again (automatic mode queued some). */
  const refresh = useCallback(() => {
    if (chapter === null) return;
    void queryClient.invalidateQueries({ queryKey: passageKeys.illustrations(bookId, chapter) });
  }, [bookId, chapter, queryClient]);

  return { descriptions, illustrations, askedHere, illustrate, regenerate, remove, refresh };
}

export function useIllustrationSettings() {
  const queryClient = useQueryClient();
  // Changes sent and not yet answered, in order: an earlier answer must not undo a later change
  // the reader already sees (ticking "automatic" while "chapters ahead" is being saved).
  const pending = useRef(new Map<number, IllustrationSettingsChange>());
  const nextId = useRef(0);
  const stillPending = (): IllustrationSettingsChange =>
    Object.assign({}, ...pending.current.values());
  const settings = useQuery({
    queryKey: passageKeys.settings,
    queryFn: getIllustrationSettings,
    staleTime: 30_000,
    // Nor may a fetch answered meanwhile (the dialog opening on stale settings refetches them).
    select: (data: IllustrationSettings) =>
      pending.current.size ? ({ ...data, ...stillPending() } as IllustrationSettings) : data,
  });
  const [saveFailed, setSaveFailed] = useState(false);
  /** Applies the change at once and saves it; resolves with the saved settings (null: failed). */
  const change = useCallback(
    (update: IllustrationSettingsChange): Promise<IllustrationSettings | null> => {
      const id = nextId.current++;
      void queryClient.cancelQueries({ queryKey: passageKeys.settings });
      const before = queryClient.getQueryData<IllustrationSettings>(passageKeys.settings);
      pending.current.set(id, update);
      if (before) queryClient.setQueryData(passageKeys.settings, { ...before, ...update });
      return updateIllustrationSettings(update).then(
        (saved) => {
          pending.current.delete(id);
          setSaveFailed(false);
          queryClient.setQueryData(passageKeys.settings, { ...saved, ...stillPending() });
          return saved;
        },
        () => {
          pending.current.delete(id);
          setSaveFailed(true);
          const current = queryClient.getQueryData<IllustrationSettings>(passageKeys.settings);
          if (before && current) {
            // Undo only this change's fields, and only where no later change holds them.
            const undone = Object.fromEntries(
              Object.keys(update).map((key) => [key, before[key as keyof IllustrationSettings]]),
            );
            queryClient.setQueryData(passageKeys.settings, {
              ...current,
              ...undone,
              ...stillPending(),
            });
          }
          return null;
        },
      );
    },
    [queryClient],
  );
  return { settings, change, saveFailed };
}
