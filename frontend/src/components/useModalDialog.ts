/** Opens and closes a native <dialog> as a modal when `open` changes (focus trapped inside). */
import { type RefObject, useEffect, useRef } from "react";

export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal?.();
    if (!open && dialog.open) dialog.close?.();
  }, [open]);
  return ref;
}
