"""What the catalogue's search feed finds: the reader's books whose title or authors hold
every word searched for (ё and е alike), newest first.

SEAM for full-text search (issue 17 builds `bookreader.search`, not on main yet): when it
lands, `search_books` ranks books by it — titles and authors first, then books whose text
matches — and returns the same (books, total); the feed, its paging and the OpenSearch
description stay as they are.
"""

from __future__ import annotations

from bookreader.library import books
from bookreader.library.records import BookRecord


def search_books(
    user_id: str, terms: str, *, page: int, page_size: int
) -> tuple[list[BookRecord], int]:
    return books.list_books(
        user_id,
        text=terms,
        readable_only=True,
        sort="created",
        descending=True,
        page=page,
        page_size=page_size,
    )
