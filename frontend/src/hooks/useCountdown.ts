import { useEffect, useState } from "react";

/** Seconds left until a deadline set with `start(seconds)`, ticking once a second down to 0. */
export function useCountdown(): { secondsLeft: number; start: (seconds: number) => void } {
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const timer = window.setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= deadline) {
        setDeadline(null);
        window.clearInterval(timer);
      }
    }, 250);
    return () => window.clearInterval(timer);
  }, [deadline]);
  const secondsLeft = deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
  return {
    secondsLeft,
    start: (seconds) => {
      const current = Date.now();
      setNow(current);
      setDeadline(current + seconds * 1000);
    },
  };
}
