/**
 * The small toolbar over a selection in the chapter: highlight in a colour, highlight with a
 * note, copy the text, illustrate the passage. It takes no focus from the text on a click (the
 * selection stays), and its buttons are a named toolbar for assistive technology.
 */
import { useTranslation } from "react-i18next";
import { HIGHLIGHT_COLORS } from "./api";

type Props = {
  /** Where the selection is on screen (viewport coordinates). */
  rect: { top: number; bottom: number; left: number; width: number };
  busy: boolean;
  onColor: (color: (typeof HIGHLIGHT_COLORS)[number]) => void;
  onNote: () => void;
  onCopy: () => void;
  onIllustrate: () => void;
};

const TOOLBAR_HEIGHT = 48;

export function SelectionToolbar({ rect, busy, onColor, onNote, onCopy, onIllustrate }: Props) {
  const { t } = useTranslation("reader");
  // Above the selection when there is room, else below it; kept inside the window.
  const above = rect.top > TOOLBAR_HEIGHT + 8;
  const top = above ? rect.top - TOOLBAR_HEIGHT - 6 : rect.bottom + 6;
  const half = Math.min(170, window.innerWidth / 2);
  const center = Math.min(Math.max(rect.left + rect.width / 2, half), window.innerWidth - half);
  return (
    <div
      className="selection-toolbar"
      role="toolbar"
      aria-label={t("annotations.toolbar")}
      style={{ top, left: center }}
      // A press on the toolbar must not collapse the selection it acts on.
      onMouseDown={(event) => event.preventDefault()}
    >
      {HIGHLIGHT_COLORS.map((color) => (
        <button
          key={color}
          type="button"
          className={`swatch swatch-${color}`}
          disabled={busy}
          aria-label={t("annotations.highlightIn", { color: t(`annotations.colors.${color}`) })}
          title={t("annotations.highlightIn", { color: t(`annotations.colors.${color}`) })}
          onClick={() => onColor(color)}
        />
      ))}
      <button type="button" disabled={busy} onClick={onNote}>
        {t("annotations.addNote")}
      </button>
      <button type="button" onClick={onCopy}>
        {t("annotations.copy")}
      </button>
      <button type="button" disabled={busy} onClick={onIllustrate}>
        {t("annotations.illustrate")}
      </button>
    </div>
  );
}
