import { useEffect, useState } from "react";

/**
 * A controlled input's value, changed in its own event handler. The saved settings reach React
 * only after the query cache notifies (a later task), and a controlled checkbox left unchanged
 * by its handler is reset by React meanwhile: the click would seem undone for a moment.
 */
export function useShown<T>(saved: T): [T, (value: T) => void] {
  const [shown, setShown] = useState<{ value: T } | null>(null);
  useEffect(() => setShown(null), [saved]); // the saved value, once it changes, is what counts
  return [shown ? shown.value : saved, (value: T) => setShown({ value })];
}
