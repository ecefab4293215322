/** The reader's address for a place in the book (the reader page reads these parameters). */
export function readerPath(bookId: string, place?: { chapter: number; offset?: number }): string {
  const path = `/books/${encodeURIComponent(bookId)}/read`;
  if (!place) return path;
  const params = new URLSearchParams({ chapter: String(place.chapter) });
  if (place.offset) params.set("offset", String(place.offset));
  return `${path}?${params}`;
}
