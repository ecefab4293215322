import { useEffect } from "react";
import type { SurfaceControls } from "../components/BookSurface";
import { turnForKey } from "../layout/pagination";

const TYPING = "input, textarea, select, [contenteditable='true']";

/** Arrow keys, PageUp/PageDown and space turn pages (not while typing or in a dialog). */
export function useReaderKeys(options: {
  enabled: boolean;
  rtl: boolean;
  controls: React.RefObject<SurfaceControls | null>;
}): void {
  const { enabled, rtl, controls } = options;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest(TYPING)) return;
      // Space on a focused button presses it.
      if (event.key === " " && target?.closest("button, a[href]")) return;
      // The arrows scroll a focused wide table (BookLayout's data-scrolls box) instead.
      if (event.key.startsWith("Arrow") && target?.closest("[data-scrolls]")) return;
      const turn = turnForKey(event.key, event.shiftKey, rtl);
      if (!turn) return;
      event.preventDefault();
      controls.current?.turn(turn);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled, rtl, controls]);
}
