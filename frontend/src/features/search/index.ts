/** What other features may use from search. */
export { PAGE_LIMIT, type SearchHit, type SearchPage, searchBook, searchKeys } from "./api/search";
export { Snippet } from "./components/Snippet";
export { LibraryTextSearch } from "./components/LibraryTextSearch";
export { chapterMarks, type HitSpan, hitAt, stepHit } from "./hits";
export { snippetText } from "./snippet";
