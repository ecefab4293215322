/** The book's cast: the characters and places the reader has met so far, never further. */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ErrorNotice } from "@/components/ErrorNotice";
import { usePageTitle } from "@/components/usePageTitle";
import { useBookIllustrations } from "@/features/gallery";
import { readerPath, useBook } from "@/features/library";
import { chapterTitle as titleOfChapter } from "@/features/reader/contents";
import { castKeys, type CastMember, getCast } from "../api/cast";
import { picturesOf } from "../castPictures";
import { otherNames } from "../otherNames";
import "../cast.css";

const APPEARANCE_ORDER = ["animal", "clothing", "colour", "shape", "size", "material", "light"];

function Appearance({ appearance }: { appearance: CastMember["appearance"] }) {
  const { t } = useTranslation("cast");
  const kinds = Object.keys(appearance ?? {})
    .filter((kind) => appearance?.[kind]?.length)
    .sort((a, b) => {
      const rank = (kind: string) => {
        const index = APPEARANCE_ORDER.indexOf(kind);
        return index < 0 ? APPEARANCE_ORDER.length : index;
      };
      return rank(a) - rank(b);
    });
  if (kinds.length === 0) return null;
  return (
    <dl className="cast-appearance">
      {kinds.map((kind) => (
        <div key={kind}>
          <dt>{t(`appearance.${kind}`, { defaultValue: kind })}</dt>
          <dd>{appearance?.[kind]?.join(", ")}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function CastPage() {
  const { t } = useTranslation("cast");
  const { bookId = "" } = useParams();
  const book = useBook(bookId);
  const cast = useQuery({ queryKey: castKeys.book(bookId), queryFn: () => getCast(bookId) });
  const pictures = useBookIllustrations(bookId);
  const title = book.data?.title;
  usePageTitle(title ? t("pageTitle", { title }) : t("title"));
  const untitled = (index: number) => t("chapterNumber", { number: index + 1 });
  const chapterTitle = (index: number) =>
    book.data ? titleOfChapter(book.data, index, untitled) : untitled(index);
  const members = cast.data?.items ?? [];
  const reached = cast.data?.reached_chapter ?? null;
  const groups = [
    {
      kind: "character",
      heading: t("characters"),
      items: members.filter((m) => m.kind === "character"),
    },
    { kind: "place", heading: t("places"), items: members.filter((m) => m.kind === "place") },
  ].filter((group) => group.items.length > 0);

  return (
    <div className="page cast-page">
      <p className="breadcrumbs">
        <Link to={`/books/${encodeURIComponent(bookId)}`}>{title ?? t("backToBook")}</Link>
      </p>
      <h1>{t("title")}</h1>
      {cast.isPending && (
        <p className="page-status" role="status">
          {t("common:loading")}
        </p>
      )}
      <ErrorNotice error={cast.error} />
      {cast.data && (
        <div role="status" className="cast-status">
          <p className="muted">
            {reached === null ? t("notStarted") : t("upTo", { chapter: chapterTitle(reached) })}
          </p>
          {cast.data.hidden > 0 && (
            <p className="muted">{t("hidden", { count: cast.data.hidden })}</p>
          )}
        </div>
      )}
      {cast.data && members.length === 0 && reached === null && (
        <Link className="button button-primary" to={readerPath(bookId)}>
          {t("startReading")}
        </Link>
      )}
      {cast.data && members.length === 0 && reached !== null && (
        <p className="empty-state">{t("empty")}</p>
      )}
      {groups.map((group) => (
        <section key={group.kind} aria-labelledby={`cast-${group.kind}`}>
          <h2 id={`cast-${group.kind}`}>{group.heading}</h2>
          <ul className="cast-list">
            {group.items.map((member) => {
              const shown = picturesOf(member, pictures.data ?? [], reached);
              const headingId = `cast-${group.kind}-${member.name}`;
              const also = otherNames(member.name, member.names ?? []);
              return (
                <li key={`${member.kind}-${member.name}`} className="card cast-member">
                  <article aria-labelledby={headingId}>
                    <h3 id={headingId}>{member.name}</h3>
                    {also.length > 0 && (
                      <p className="cast-aliases">
                        <span className="muted">{t("aliases")}</span> {also.join(", ")}
                      </p>
                    )}
                    <p className="small">
                      {t("mentions", { count: member.mentions })} ·{" "}
                      <Link
                        to={readerPath(bookId, {
                          chapter: member.first_chapter,
                          offset: member.first_offset,
                        })}
                        aria-label={t("firstSeenLabel", {
                          name: member.name,
                          chapter: chapterTitle(member.first_chapter),
                        })}
                      >
                        {t("firstSeen", { chapter: chapterTitle(member.first_chapter) })}
                      </Link>
                    </p>
                    <Appearance appearance={member.appearance} />
                    {shown.length > 0 && (
                      <ul
                        className="cast-pictures"
                        aria-label={t("picturesOf", { name: member.name })}
                      >
                        {shown.slice(0, 6).map((picture) => (
                          <li key={picture.image.id}>
                            <Link
                              to={readerPath(bookId, {
                                chapter: picture.chapter,
                                offset: picture.start,
                              })}
                            >
                              <img
                                src={picture.image.thumbnail_url ?? undefined}
                                alt={t("pictureAlt", {
                                  name: member.name,
                                  chapter: chapterTitle(picture.chapter),
                                })}
                                loading="lazy"
                              />
                            </Link>
                          </li>
                        ))}
                      </ul>
                    )}
                  </article>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
