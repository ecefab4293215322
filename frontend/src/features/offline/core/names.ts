/** Names the page and the service worker share. */

/** A book's API answers (detail, chapters, passages, illustrations, position). */
export const BOOKS_CACHE = "bookreader-books";
/** The library's lists. */
export const LISTS_CACHE = "bookreader-lists";
/** Pictures (book images, illustrations, covers), kept by their path in the store. */
export const PICTURES_CACHE = "bookreader-pictures";
/** Every cache that holds a user's data (never the app shell's precache). */
export const USER_CACHES = [BOOKS_CACHE, LISTS_CACHE, PICTURES_CACHE] as const;

/** The most the device keeps for offline reading, at most half the origin's quota. */
export const CACHE_CEILING_BYTES = 200 * 1024 * 1024;

/** The service worker says here when the cached books changed. */
export const CHANGED_CHANNEL = "bookreader-offline";
