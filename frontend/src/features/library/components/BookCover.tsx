/** A cover thumbnail, or a plain tile with the title when the book has none. */
import type { BookSummary } from "@/lib/api";

function hue(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

export function BookCover({
  book,
  size = "grid",
}: {
  book: BookSummary;
  size?: "grid" | "list" | "page";
}) {
  if (book.cover_thumbnail_url) {
    return (
      <img
        className={`cover cover-${size}`}
        src={book.cover_thumbnail_url}
        alt=""
        loading="lazy"
        decoding="async"
      />
    );
  }
  return (
    <div
      className={`cover cover-${size} cover-blank`}
      style={{ "--cover-hue": hue(book.title) } as React.CSSProperties}
      aria-hidden="true"
    >
      <span>{book.title}</span>
    </div>
  );
}
