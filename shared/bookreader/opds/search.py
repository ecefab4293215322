"""What the catalogue's search feed finds: first the reader's books whose title or authors hold
every word searched for (ё and е alike), newest first; then the books whose text matches, best
first, as the full-text search (`bookreader.search`) ranks them — stemmed, so «столяром» finds
a book that says «столяра». Only books a reader can open, and only the reader's own.

The full-text part is the search's list of matching books, at most `search.query.MAX_BOOKS`
(50): a catalogue page lists books, not passages.
"""

from __future__ import annotations

from bookreader.library import books
from bookreader.library.records import BookRecord
from bookreader.search import query


def search_books(
    user_id: str, terms: str, *, page: int, page_size: int
) -> tuple[list[BookRecord], int]:
    """One page of the matching books and how many match in all."""
    named, named_total = books.list_books(
        user_id,
        text=terms,
        readable_only=True,
        sort="created",
        descending=True,
        page=page,
        page_size=page_size,
    )
    found = query.search(user_id, terms, limit=1, with_books=True)
    ranked = [book.book_id for book in found.books or []]
    in_text = _text_only(user_id, terms, ranked)
    # The page continues past the title matches into the text matches.
    start = max(0, (page - 1) * page_size - named_total)
    rest = in_text[start : start + page_size - len(named)]
    return named + rest, named_total + len(in_text)


def _text_only(user_id: str, terms: str, ranked: list[str]) -> list[BookRecord]:
    """The books of `ranked` a reader can open whose names do not match (those are listed
    first already), in the order of `ranked`."""
    if not ranked:
        return []
    readable, _ = books.list_books(
        user_id, book_ids=ranked, readable_only=True, page_size=len(ranked)
    )
    named, _ = books.list_books(user_id, book_ids=ranked, text=terms, page_size=len(ranked))
    by_id = {book.id: book for book in readable}
    skip = {book.id for book in named}
    return [by_id[book_id] for book_id in ranked if book_id in by_id and book_id not in skip]
