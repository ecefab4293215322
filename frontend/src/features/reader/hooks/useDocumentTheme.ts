import { useLayoutEffect } from "react";
import type { Theme } from "../preferences/preferences";

/** The reader's theme colours the whole document while it is open; leaving restores the app's. */
export function useDocumentTheme(theme: Theme): void {
  useLayoutEffect(() => {
    const root = document.documentElement;
    const before = root.dataset.theme;
    root.dataset.theme = theme;
    return () => {
      if (before === undefined) delete root.dataset.theme;
      else root.dataset.theme = before;
    };
  }, [theme]);
}
