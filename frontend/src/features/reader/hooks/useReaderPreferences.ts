/**
 * The reader's preferences: read once from the profile, changed here at once, and saved to the
 * profile shortly after the last change (one PATCH for a burst of slider moves).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useSession } from "@/lib/api";
import { profilePreferences, savePreferences } from "../api/reader";
import {
  changedPreferences,
  type ReaderPreferences,
  readPreferences,
} from "../preferences/preferences";

const SAVE_DELAY_MS = 600;

export function useReaderPreferences() {
  const session = useSession();
  const user = session.status === "signed-in" ? session.user : null;
  const [preferences, setPreferences] = useState(() => readPreferences(profilePreferences(user)));
  const [saveFailed, setSaveFailed] = useState(false);
  const saved = useRef(preferences);
  const pending = useRef(preferences);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    const changes = changedPreferences(saved.current, pending.current);
    if (Object.keys(changes).length === 0) return;
    const sending = pending.current;
    savePreferences(changes).then(
      () => {
        saved.current = sending;
        setSaveFailed(false);
      },
      () => setSaveFailed(true),
    );
  }, []);

  const change = useCallback(
    (changes: Partial<ReaderPreferences>) => {
      const next = readPreferences({ ...pending.current, ...changes });
      pending.current = next;
      setPreferences(next);
      clearTimeout(timer.current);
      timer.current = setTimeout(flush, SAVE_DELAY_MS);
    },
    [flush],
  );

  useEffect(() => flush, [flush]);
  return { preferences, change, saveFailed };
}
