"""The descriptions and cast tables: written by extract, read by the library API."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bookreader import db
from bookreader.anchoring import TextQuote, hint_for, locate, quote_at, relocate
from bookreader.books.matter import story_paragraphs
from bookreader.errors import BookReaderError
from bookreader.library import books
from bookreader.library.books import BOOK_COLUMNS
from bookreader.library.keys import illustration_keys
from bookreader.library.lifecycle import (
    PARSED_PROGRESS,
    READABLE,
    BookState,
    extract_progress_sql,
    transition,
)
from bookreader.library.records import BookRecord, DescriptionRecord
from bookreader.nlp.model import CastMember, Description
from bookreader.validation import invalid_fields


def replace_chapter(book_id: str, chapter: int, text: str, items: list[Description]) -> list[str]:
    """Store one chapter's descriptions, replacing any from an earlier run (idempotent).

    A description found again at the same passage keeps its id, so readers keep its pictures
    through a re-run: an earlier description is anchored in the text by its quote (the one
    anchoring rule highlights and bookmarks follow), so a passage whose offsets a re-parse
    moved still counts as the same. Passages the reader chose to illustrate are not the
    extractor's and stay. Returns the store keys of the readers' pictures whose description
    is gone (their rows go with it), for the caller to delete once this has committed.
    """
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "SELECT id::text, start_offset, end_offset, text FROM descriptions"
            " WHERE book_id = CAST(:b AS uuid) AND chapter = :c AND NOT chosen_by_reader",
            b=book_id,
            c=chapter,
        )
        earlier: dict[tuple[int, int], str] = {}
        for description_id, start, end, quoted in rows:
            span = locate(text, TextQuote(quoted), start) or (start, end)
            earlier.setdefault(span, description_id)
        everyone = {row[0] for row in rows}
        kept: set[str] = set()
        for item in items:
            fields = {
                "t": item.type,
                "conf": item.confidence,
                "prio": item.priority,
                "text": text[item.start : item.end],
                "summary": item.summary.model_dump_json(),
            }
            same_span = earlier.get((item.start, item.end))
            if same_span is not None and same_span not in kept:
                kept.add(same_span)
                conn.run(
                    "UPDATE descriptions SET type = :t, confidence = :conf, priority = :prio,"
                    " text = :text, summary = CAST(:summary AS jsonb), start_offset = :s,"
                    " end_offset = :e WHERE id = CAST(:d AS uuid)",
                    d=same_span,
                    s=item.start,
                    e=item.end,
                    **fields,
                )
                continue
            conn.run(
                "INSERT INTO descriptions (book_id, chapter, start_offset, end_offset, type,"
                " confidence, priority, text, summary) VALUES (CAST(:b AS uuid), :c, :s, :e, :t,"
                " :conf, :prio, :text, CAST(:summary AS jsonb))",
                b=book_id,
                c=chapter,
                s=item.start,
                e=item.end,
                **fields,
            )
        gone = sorted(everyone - kept)
        orphaned = _drop_descriptions(conn, gone)
        # Progress only while this run is on, and never down (a redelivered run starts over).
        progress = extract_progress_sql("chapters_extracted + 1", "chapter_count")
        conn.run(
            "UPDATE books SET chapters_extracted = chapters_extracted + 1,"
            f" progress = GREATEST(progress, {progress}),"
            " updated_at = now() WHERE id = CAST(:b AS uuid) AND state = :extracting",
            b=book_id,
            extracting=str(BookState.EXTRACTING),
        )
    return orphaned


def _drop_descriptions(conn: db.Connection, description_ids: list[str]) -> list[str]:
    """Delete the descriptions (their images go by cascade); the images' own store keys.
    Shared cache objects are not the reader's and stay."""
    if not description_ids:
        return []
    images = conn.run(
        "SELECT user_id::text, book_id::text, id::text FROM images"
        " WHERE description_id = ANY(CAST(:ids AS uuid[]))",
        ids=description_ids,
    )
    conn.run("DELETE FROM descriptions WHERE id = ANY(CAST(:ids AS uuid[]))", ids=description_ids)
    return [key for row in images for key in illustration_keys(*row)]


def reanchor_descriptions(
    conn: db.Connection, book_id: str, before: dict[int, str], chapters: list[str]
) -> list[str]:
    """After a re-parse, inside the caller's transaction: every description of the book placed
    in the new text (`chapters`, by index) by its quote and the context it had in the old
    text (`before`, by index). One that cannot be placed is deleted with its pictures, as an
    extraction re-run would: the store keys of those pictures, to delete once committed."""
    rows = conn.run(
        "SELECT id::text, chapter, start_offset, end_offset, text FROM descriptions"
        " WHERE book_id = CAST(:b AS uuid)",
        b=book_id,
    )
    lost: list[str] = []
    hint = hint_for(before, chapters)
    for description_id, chapter, start, end, quoted in rows:
        old = before.get(chapter)
        quote = quote_at(old, start, end) if old is not None else TextQuote(quoted)
        found = relocate(chapters, chapter, quote, hint(chapter, start))
        if found is None:
            lost.append(description_id)
            continue
        conn.run(
            "UPDATE descriptions SET chapter = :c, start_offset = :s, end_offset = :e,"
            " text = :text WHERE id = CAST(:d AS uuid)",
            c=found.chapter,
            s=found.start,
            e=found.end,
            text=chapters[found.chapter][found.start : found.end],
            d=description_id,
        )
    return _drop_descriptions(conn, lost)


MAX_CHOSEN_CHARS = 2_000  # a picture shows a scene, not a chapter


def choose_passage(user_id: str, book_id: str, chapter: int, start: int, end: int) -> str:
    """The id of the description for a passage the reader chose to illustrate (made once per
    span). It takes the kind and visual summary of the extractor's description it overlaps
    most, so its picture is prompted like theirs; otherwise an atmosphere with no summary."""
    books.get_book(user_id, book_id)
    try:
        text = books.get_chapter(book_id, chapter).text
    except BookReaderError as error:
        if error.code != "chapter_not_found":
            raise
        raise invalid_fields([("chapter", "the book has no such chapter")]) from error
    if end <= start:
        raise invalid_fields([("end", "must be greater than start")])
    if end > len(text):
        raise invalid_fields([("end", f"the chapter's text has {len(text)} characters")])
    if end - start > MAX_CHOSEN_CHARS:
        raise invalid_fields([("end", f"a passage is at most {MAX_CHOSEN_CHARS} characters")])
    if not text[start:end].strip():
        raise invalid_fields([("end", "the passage has no text")])
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "SELECT type, summary FROM descriptions WHERE book_id = CAST(:b AS uuid)"
            " AND chapter = :c AND NOT chosen_by_reader AND start_offset < :e AND end_offset > :s"
            " ORDER BY LEAST(end_offset, :e) - GREATEST(start_offset, :s) DESC, priority DESC"
            " LIMIT 1",
            b=book_id,
            c=chapter,
            s=start,
            e=end,
        )
        kind, summary = rows[0] if rows else ("atmosphere", {})
        conn.run(
            "INSERT INTO descriptions (book_id, chapter, start_offset, end_offset, type,"
            " confidence, priority, text, summary, chosen_by_reader) VALUES (CAST(:b AS uuid),"
            " :c, :s, :e, :t, 0, 0, :text, CAST(:summary AS jsonb), true)"
            " ON CONFLICT (book_id, chapter, start_offset, end_offset) WHERE chosen_by_reader"
            " DO NOTHING",
            b=book_id,
            c=chapter,
            s=start,
            e=end,
            t=kind,
            text=text[start:end],
            summary=json.dumps(summary, ensure_ascii=False),
        )
        found = conn.run(
            "SELECT id::text FROM descriptions WHERE book_id = CAST(:b AS uuid) AND chapter = :c"
            " AND start_offset = :s AND end_offset = :e AND chosen_by_reader",
            b=book_id,
            c=chapter,
            s=start,
            e=end,
        )
    return str(found[0][0])


def replace_cast(book_id: str, cast: list[CastMember]) -> None:
    with db.get_pool().transaction() as conn:
        conn.run("DELETE FROM cast_members WHERE book_id = CAST(:b AS uuid)", b=book_id)
        for position, member in enumerate(cast):
            conn.run(
                "INSERT INTO cast_members (book_id, position, kind, name, aliases, names,"
                " first_chapter, first_offset, mentions, appearance, gender, worn_in) VALUES"
                " (CAST(:b AS uuid), :p, :kind, :name, CAST(:aliases AS jsonb),"
                " CAST(:names AS jsonb), :fc, :fo, :m, CAST(:appearance AS jsonb), :g,"
                " CAST(:worn_in AS jsonb))",
                b=book_id,
                p=position,
                kind=member.kind,
                name=member.name,
                aliases=json.dumps(member.aliases, ensure_ascii=False),
                names=json.dumps(member.names, ensure_ascii=False),
                fc=member.first_chapter,
                fo=member.first_offset,
                m=member.mentions,
                appearance=json.dumps(member.appearance, ensure_ascii=False),
                g=member.gender,
                worn_in=json.dumps(member.worn_in, ensure_ascii=False),
            )


def start_run(book_id: str, language: str | None, starts: Iterable[BookState] = READABLE) -> bool:
    """The book is `extracting` from now on, if it is in one of `starts`; whether it is."""
    with db.get_pool().transaction() as conn:
        if not transition(conn, book_id, BookState.EXTRACTING, starts, progress=PARSED_PROGRESS):
            return False
        conn.run(
            "UPDATE books SET chapters_extracted = 0, detected_language = :lang"
            " WHERE id = CAST(:b AS uuid)",
            b=book_id,
            lang=language,
        )
        return True


def finish_run(book_id: str, state: BookState) -> bool:
    with db.get_pool().transaction() as conn:
        return transition(conn, book_id, state, [BookState.EXTRACTING], progress=1.0)


def chapter_texts(book_id: str) -> list[tuple[int, str, list[tuple[int, int]]]]:
    """Every chapter's (index, text, paragraphs to extract from): the paragraphs are only the
    story's (`books.matter`), none for notes, contents, a licence…"""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT index, title, text, paragraphs, linear, story FROM chapters"
            " WHERE book_id = CAST(:b AS uuid) ORDER BY linear DESC, index",
            b=book_id,
        )
    found = []
    for index, title, text, pairs, linear, story in rows:
        paragraphs = [(start, end) for start, end in pairs]
        kept = story_paragraphs(title, text, paragraphs, story=story, linear=linear)
        found.append((index, text, kept))
    return found


def owners_book(conn: db.Connection, user_id: str, description_id: str) -> BookRecord | None:
    """The book the description belongs to, if it is the user's; read in the caller's
    transaction."""
    rows = conn.run(
        f"SELECT {BOOK_COLUMNS} FROM books WHERE user_id = CAST(:u AS uuid)"
        " AND id = (SELECT book_id FROM descriptions WHERE id = CAST(:d AS uuid))",
        d=description_id,
        u=user_id,
    )
    found = db.rows_as_dicts(conn, rows)
    return BookRecord.model_validate(found[0]) if found else None


def get_description(description_id: str) -> DescriptionRecord | None:
    return get_descriptions([description_id]).get(description_id)


def get_descriptions(description_ids: list[str]) -> dict[str, DescriptionRecord]:
    """These descriptions by id (those that no longer exist are missing)."""
    if not description_ids:
        return {}
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id::text, chapter, start_offset, end_offset, type, confidence, priority, text,"
            " summary FROM descriptions WHERE id = ANY(CAST(:ids AS uuid[]))",
            ids=sorted(set(description_ids)),
        )
        found = db.rows_as_dicts(conn, rows)
    return {row["id"]: DescriptionRecord.model_validate(row) for row in found}


def best_in_chapters(
    book_id: str, first: int, last: int, *, min_confidence: float, per_chapter: int
) -> list[str]:
    """Ids of the `per_chapter` highest-priority descriptions (at least `min_confidence`) of
    each chapter from `first` to `last`, nearest chapter first, best first within it."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT ranked.id::text FROM ("
            "  SELECT d.id, d.chapter, row_number() OVER ("
            "    PARTITION BY d.chapter ORDER BY d.priority DESC, d.start_offset) AS rank"
            "  FROM descriptions d WHERE d.book_id = CAST(:b AS uuid)"
            "  AND d.chapter BETWEEN :first AND :last AND d.confidence >= :floor"
            ") ranked WHERE ranked.rank <= :per_chapter ORDER BY ranked.chapter, ranked.rank",
            b=book_id,
            first=first,
            last=last,
            floor=min_confidence,
            per_chapter=per_chapter,
        )
    return [row[0] for row in rows]


def list_descriptions(
    book_id: str,
    *,
    chapter: int | None,
    kind: str | None,
    min_confidence: float,
    after: tuple[int, int, str] | None,
    limit: int,
) -> list[DescriptionRecord]:
    """Descriptions in reading order, keyset-paged after (chapter, start, id)."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id::text, chapter, start_offset, end_offset, type, confidence, priority, text,"
            " summary FROM descriptions WHERE book_id = CAST(:b AS uuid)"
            " AND (CAST(:chapter AS integer) IS NULL OR chapter = :chapter)"
            " AND (CAST(:kind AS text) IS NULL OR type = :kind) AND confidence >= :minc"
            " AND (CAST(:ac AS integer) IS NULL"
            " OR (chapter, start_offset, id::text) > (:ac, :ast, :aid))"
            " ORDER BY chapter, start_offset, id::text LIMIT :limit",
            b=book_id,
            chapter=chapter,
            kind=kind,
            minc=min_confidence,
            ac=after[0] if after else None,
            ast=after[1] if after else None,
            aid=after[2] if after else None,
            limit=limit,
        )
        return db.rows_as(conn, rows, DescriptionRecord)


def list_cast(book_id: str, *, up_to_chapter: int | None = None) -> tuple[list[CastMember], int]:
    """The book's cast, and how many were left out: with `up_to_chapter`, only the members
    first met in that chapter or before it (the reader has not met the others yet)."""
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT kind, name, aliases, names, first_chapter, first_offset, mentions, appearance,"
            " gender, worn_in FROM cast_members WHERE book_id = CAST(:b AS uuid) ORDER BY position",
            b=book_id,
        )
        members = db.rows_as(conn, rows, CastMember)
    if up_to_chapter is None:
        return members, 0
    met = [member for member in members if member.first_chapter <= up_to_chapter]
    return met, len(members) - len(met)
