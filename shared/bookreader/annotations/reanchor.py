"""After a re-parse: every bookmark and highlight of the book found again in the new text by
its quote and context. One that cannot be found is kept, marked `detached`, at its old place;
one found again later (a later re-parse) is attached again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bookreader import db
from bookreader.anchoring import (
    TextQuote,
    hint_for,
    point_quote,
    quote_at,
    relocate,
    relocate_point,
)


@dataclass(frozen=True)
class Reanchored:
    moved: int  # placed at other offsets (or another chapter)
    detached: int  # not found in the new text


def reanchor_book(
    conn: db.Connection, book_id: str, before: Mapping[int, str], chapters: Sequence[str]
) -> Reanchored:
    """Re-anchor the book's annotations (every reader's) in `chapters`, the new plain text of
    each chapter by index, inside the caller's transaction; `before` is the old text of each
    chapter, which tells where a passage that appears more than once most likely went."""
    hint = hint_for(before, chapters)
    moved = detached = 0
    rows = conn.run(
        "SELECT id::text, chapter, start_offset, end_offset, exact, prefix, suffix, detached"
        " FROM highlights WHERE book_id = CAST(:b AS uuid) FOR UPDATE",
        b=book_id,
    )
    for highlight_id, chapter, start, end, exact, prefix, suffix, was_detached in rows:
        found = relocate(chapters, chapter, TextQuote(exact, prefix, suffix), hint(chapter, start))
        if found is None:
            detached += 1
            conn.run(
                "UPDATE highlights SET detached = true WHERE id = CAST(:h AS uuid)", h=highlight_id
            )
            continue
        if (found.chapter, found.start, found.end) != (chapter, start, end) or was_detached:
            moved += 1
        anchor = quote_at(chapters[found.chapter], found.start, found.end)
        conn.run(
            "UPDATE highlights SET chapter = :c, start_offset = :s, end_offset = :e,"
            " exact = :exact, prefix = :prefix, suffix = :suffix, detached = false"
            " WHERE id = CAST(:h AS uuid)",
            c=found.chapter,
            s=found.start,
            e=found.end,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            h=highlight_id,
        )
    rows = conn.run(
        "SELECT id::text, chapter, char_offset, exact, prefix, suffix, detached"
        " FROM bookmarks WHERE book_id = CAST(:b AS uuid) FOR UPDATE",
        b=book_id,
    )
    for bookmark_id, chapter, offset, exact, prefix, suffix, was_detached in rows:
        found_point = relocate_point(
            chapters, chapter, TextQuote(exact, prefix, suffix), hint(chapter, offset)
        )
        if found_point is None:
            detached += 1
            conn.run(
                "UPDATE bookmarks SET detached = true WHERE id = CAST(:m AS uuid)", m=bookmark_id
            )
            continue
        new_chapter, new_offset = found_point
        if (new_chapter, new_offset) != (chapter, offset) or was_detached:
            moved += 1
        anchor = point_quote(chapters[new_chapter], new_offset)
        conn.run(
            "UPDATE bookmarks SET chapter = :c, char_offset = :o, exact = :exact,"
            " prefix = :prefix, suffix = :suffix, detached = false WHERE id = CAST(:m AS uuid)",
            c=new_chapter,
            o=new_offset,
            exact=anchor.exact,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            m=bookmark_id,
        )
    return Reanchored(moved=moved, detached=detached)
