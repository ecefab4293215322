/** The library's strip of the newest pictures across the reader's books. */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { readerPath } from "@/features/library";
import { shortPassage } from "../galleryGroups";
import { useRecentIllustrations } from "../hooks/useIllustrations";
import "../gallery.css";

const STRIP_SIZE = 12;

export function RecentIllustrations() {
  const { t } = useTranslation("gallery");
  const recent = useRecentIllustrations(STRIP_SIZE);
  // Nothing to show yet (or it failed): the library stays as it was, without an empty box.
  if (!recent.data?.length) return null;
  return (
    <section className="recent-strip" aria-labelledby="recent-illustrations">
      <h2 id="recent-illustrations">{t("recent")}</h2>
      <ul>
        {recent.data.map((image) => {
          const caption = shortPassage(image.passage?.text ?? "", 90);
          const place = image.passage
            ? { chapter: image.passage.chapter, offset: image.passage.start }
            : undefined;
          return (
            <li key={image.id}>
              <Link to={readerPath(image.book_id, place)} title={caption}>
                <img
                  src={image.thumbnail_url ?? undefined}
                  alt={t("recentPicture", { book: image.book_title, passage: caption })}
                  loading="lazy"
                  decoding="async"
                />
                <span className="recent-book">{image.book_title}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
