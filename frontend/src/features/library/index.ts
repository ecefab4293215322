/** What other features may use from the library (the reader opens books through these). */
export { getBook, getPosition } from "./api/books";
export { bookKeys } from "./api/queryKeys";
export { useBook, usePosition } from "./hooks/useBooks";
export { readerPath } from "./readingProgress";
