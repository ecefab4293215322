/** Opens and closes a native <dialog> as a modal when `open` changes (focus trapped inside). */
import { type RefObject, useEffect, useRef } from "react";

/**
 * Marks the control a dialog should focus when it opens (`<input data-autofocus />`); a text
 * field's text is selected, so typing replaces an earlier query. React's `autoFocus` does not
 * do it: React focuses the element when it mounts, and `showModal()`, called after, moves focus
 * to the dialog's first focusable control (a drawer's Close button) instead.
 */
export const AUTOFOCUS = { "data-autofocus": "" } as const;

export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal?.();
      const target = dialog.querySelector<HTMLElement>("[data-autofocus]");
      target?.focus();
      if (target instanceof HTMLInputElement) target.select();
    }
    if (!open && dialog.open) dialog.close?.();
  }, [open]);
  return ref;
}
