/**
 * Search in the reader: the drawer, the bar that steps from hit to hit, and the marks. Choosing
 * a hit opens its chapter at the hit's offset; the hit is marked there as the current one.
 */
import { useMemo } from "react";
import { chapterMarks, stepHit } from "@/features/search";
import type { SurfaceContent } from "../components/BookSurface";
import { SearchBar } from "./SearchBar";
import { SearchMarks } from "./SearchMarks";
import { SearchPanel } from "./SearchPanel";
import type { BookSearch } from "./useBookSearch";
import "@/features/search/search.css";
import "./readerSearch.css";

type Props = {
  search: BookSearch;
  open: boolean;
  /** The chapter on screen (null while it changes). */
  surface: SurfaceContent | null;
  onOpen: () => void;
  onClose: () => void;
  goTo: (place: { chapter: number; offset: number }) => void;
};

export function ReaderSearch({ search, open, surface, onOpen, onClose, goTo }: Props) {
  const choose = (index: number | null) => {
    search.setCurrent(index);
    const hit = index === null ? undefined : search.hits[index];
    if (hit) goTo({ chapter: hit.chapter, offset: hit.start });
  };
  const chapter = surface?.chapter ?? null;
  const marks = useMemo(
    () => (chapter === null ? [] : chapterMarks(search.hits, chapter)),
    [search.hits, chapter],
  );
  const currentHit = search.current === null ? undefined : search.hits[search.current];
  const current = useMemo(
    () =>
      currentHit && currentHit.chapter === chapter
        ? { start: currentHit.start, end: currentHit.end }
        : null,
    [currentHit, chapter],
  );
  return (
    <>
      <SearchPanel
        open={open}
        search={search}
        onChoose={(index) => {
          onClose();
          choose(index);
        }}
        onClose={onClose}
      />
      <SearchBar
        search={search}
        onOpen={onOpen}
        onStep={(step) => choose(stepHit(search.hits.length, search.current, step))}
      />
      <SearchMarks surface={surface} marks={marks} current={current} />
    </>
  );
}
