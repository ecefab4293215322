/** The book's contents (nested), the entry being read marked; choosing one goes there. */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Place } from "../api/reader";
import { type ContentsEntry, currentEntryKey, entryKey } from "../contents";
import { ReaderDialog } from "./ReaderDialog";

type Props = {
  open: boolean;
  entries: readonly ContentsEntry[];
  place: Place | null;
  onClose: () => void;
  onChoose: (place: Place) => void;
};

export function ContentsDrawer({ open, entries, place, onClose, onChoose }: Props) {
  const { t } = useTranslation("reader");
  const listRef = useRef<HTMLElement>(null);
  const current = place ? currentEntryKey(entries, place) : null;
  useEffect(() => {
    if (!open) return;
    // Start at the entry being read; the list can be hundreds of chapters long.
    const active = listRef.current?.querySelector<HTMLElement>('[aria-current="location"]');
    active?.scrollIntoView({ block: "center" });
    active?.focus();
  }, [open]);
  return (
    <ReaderDialog open={open} title={t("contents")} variant="drawer-start" onClose={onClose}>
      <nav ref={listRef} aria-label={t("contents")} className="contents-nav">
        <ContentsList entries={entries} current={current} onChoose={onChoose} />
      </nav>
    </ReaderDialog>
  );
}

function ContentsList({
  entries,
  current,
  onChoose,
}: {
  entries: readonly ContentsEntry[];
  current: string | null;
  onChoose: (place: Place) => void;
}) {
  return (
    <ol className="contents-list">
      {entries.map((entry, position) => {
        const key = entryKey(entry);
        return (
          <li key={`${position}-${key}`}>
            <button
              type="button"
              className="contents-entry"
              aria-current={key === current ? "location" : undefined}
              onClick={() => onChoose({ chapter: entry.chapter, offset: entry.offset })}
            >
              {entry.title}
            </button>
            {entry.children.length > 0 ? (
              <ContentsList entries={entry.children} current={current} onChoose={onChoose} />
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
