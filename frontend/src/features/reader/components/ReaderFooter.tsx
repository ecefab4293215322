/** The reader's bottom bar: chapter buttons around the book's progress and the chapter's time left. */
import { useTranslation } from "react-i18next";
import type { ReadingProgress } from "../progress";
import { ChevronLeft, ChevronRight } from "./icons";

type Props = {
  /** A right-to-left book's bar runs right to left too: previous chapter on the right. */
  rtl: boolean;
  progress: ReadingProgress | null;
  page: { page: number; pages: number } | null;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
};

export function ReaderFooter({ rtl, progress, page, hasPrevious, hasNext, onPrevious, onNext }: Props) {
  const { t } = useTranslation("reader");
  const percent = progress ? Math.round(progress.bookFraction * 100) : 0;
  return (
    <footer className="reader-footer" dir={rtl ? "rtl" : "ltr"}>
      <button
        type="button"
        className="icon-button"
        onClick={onPrevious}
        disabled={!hasPrevious}
        aria-label={t("previousChapter")}
      >
        {rtl ? <ChevronRight /> : <ChevronLeft />}
      </button>
      <div className="reader-progress">
        <div
          className="reader-progress-track"
          role="progressbar"
          aria-label={t("bookProgress")}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={t("percentRead", { percent })}
        >
          <div className="reader-progress-fill" style={{ width: `${percent}%` }} />
        </div>
        <p className="reader-progress-text">
          <span>{t("percentRead", { percent })}</span>
          {progress ? (
            <span>
              {progress.minutesLeft > 0
                ? t("minutesLeft", { count: progress.minutesLeft })
                : t("chapterDone")}
            </span>
          ) : null}
          {page && page.pages > 1 ? (
            <span className="reader-page-number">
              {t("pageOf", { page: page.page + 1, pages: page.pages })}
            </span>
          ) : null}
        </p>
      </div>
      <button
        type="button"
        className="icon-button"
        onClick={onNext}
        disabled={!hasNext}
        aria-label={t("nextChapter")}
      >
        {rtl ? <ChevronLeft /> : <ChevronRight />}
      </button>
    </footer>
  );
}
