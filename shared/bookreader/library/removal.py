"""Removing a book: its rows and every object stored for it — the uploaded file, its pictures,
illustrations and exports — and the failed attempts a new upload of the same file replaces."""

from __future__ import annotations

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.library import books, keys
from bookreader.storage import delete_book_objects, get_store


def remove_book(user_id: str, book_id: str) -> None:
    """Delete the user's book (404 `book_not_found` for anyone else's) and its objects."""
    book = books.delete_book(user_id, book_id)
    store, bucket = get_store(), get_settings().books_bucket
    prefixes = (book.object_key.rsplit("/", 1)[0] + "/", keys.book_prefix(user_id, book_id))
    delete_book_objects([item.key for prefix in prefixes for item in store.list(bucket, prefix)])


def remove_failed_copies(user_id: str, sha256: str, *, keep: str) -> list[str]:
    """Remove the user's failed books of this file's content other than `keep`: uploading a
    file again is a new attempt, not a second card saying the same failure. Their ids."""
    failed = books.failed_with_sha256(user_id, sha256, exclude=keep)
    for book_id in failed:
        try:
            remove_book(user_id, book_id)
        except BookReaderError as error:
            if error.code != "book_not_found":
                raise
            # the reader deleted it meanwhile: what this upload would have done
    return failed
