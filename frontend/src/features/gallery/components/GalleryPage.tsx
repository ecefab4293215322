/** A book's gallery: every passage it has a picture for, by chapter; a picture opens the reader there. */
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { usePageTitle } from "@/components/usePageTitle";
import { readerPath, useBook } from "@/features/library";
import { chapterTitle as titleOfChapter } from "@/features/reader/contents";
import { galleryGroups, shortPassage, type Tile } from "../galleryGroups";
import { useBookIllustrations } from "../hooks/useIllustrations";
import "../gallery.css";

function GalleryTile({ bookId, tile }: { bookId: string; tile: Tile }) {
  const { t } = useTranslation("gallery");
  const caption = shortPassage(tile.passage);
  const ready = tile.image.state === "ready" && tile.image.thumbnail_url;
  return (
    <li className="gallery-tile">
      <Link
        to={readerPath(bookId, { chapter: tile.chapter, offset: tile.start })}
        className="gallery-link"
      >
        <figure>
          {ready ? (
            <img
              src={tile.image.thumbnail_url ?? undefined}
              alt={t("pictureOf", { passage: caption })}
              width={tile.image.width ?? undefined}
              height={tile.image.height ?? undefined}
              loading="lazy"
              decoding="async"
            />
          ) : (
            <div className="gallery-pending" role="img" aria-label={t("drawing")}>
              <span className="spinner" aria-hidden="true" />
              <span>{t("drawing")}</span>
            </div>
          )}
          <figcaption>{caption}</figcaption>
        </figure>
      </Link>
    </li>
  );
}

export default function GalleryPage() {
  const { t } = useTranslation("gallery");
  const { bookId = "" } = useParams();
  const book = useBook(bookId);
  const pictures = useBookIllustrations(bookId);
  const title = book.data?.title;
  usePageTitle(title ? t("pageTitle", { title }) : t("title"));
  const untitled = (index: number) => t("chapterNumber", { number: index + 1 });
  const chapterTitle = (index: number) =>
    book.data ? titleOfChapter(book.data, index, untitled) : untitled(index);
  const sections = pictures.data ? galleryGroups(pictures.data) : [];
  const count = sections.reduce((sum, section) => sum + section.tiles.length, 0);

  return (
    <div className="page gallery-page">
      <p className="breadcrumbs">
        <Link to={`/books/${encodeURIComponent(bookId)}`}>{title ?? t("backToBook")}</Link>
      </p>
      <div className="page-head">
        <h1>{t("title")}</h1>
        {pictures.data && (
          <p className="muted" aria-live="polite">
            {t("pictureCount", { count })}
          </p>
        )}
      </div>
      {pictures.isPending && (
        <p className="page-status" role="status">
          {t("common:loading")}
        </p>
      )}
      <ErrorNotice error={pictures.error ?? book.error} />
      {pictures.data && count === 0 && (
        <div className="empty-state">
          <p>{t("empty")}</p>
          <Link className="button button-primary" to={readerPath(bookId)}>
            {t("openReader")}
          </Link>
        </div>
      )}
      {sections.map((section) => (
        <section key={section.chapter} aria-labelledby={`gallery-ch-${section.chapter}`}>
          <h2 id={`gallery-ch-${section.chapter}`} className="gallery-chapter">
            {chapterTitle(section.chapter)}
          </h2>
          <ul className="gallery-grid">
            {section.tiles.map((tile) => (
              <GalleryTile key={tile.image.description_id} bookId={bookId} tile={tile} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
