"""A reader's highlights, notes and bookmarks as a file to take elsewhere: Markdown grouped by
chapter (what Obsidian and Readwise users import), JSON with the offsets and anchors, or CSV
in Readwise's import columns."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

from bookreader.annotations import store
from bookreader.annotations.model import Bookmark, Highlight
from bookreader.library import books

ExportFormat = Literal["md", "json", "csv"]
MEDIA_TYPES: dict[ExportFormat, str] = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
# Readwise's CSV import: `Highlight` is required, the rest optional (their import page).
READWISE_COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")
_HEADING = re.compile(r"^(\s{0,3})(#{1,6})(\s|$)")


@dataclass
class BookAnnotations:
    book_id: str
    title: str
    authors: list[str]
    chapter_titles: dict[int, str]
    chapter_starts: dict[int, int]  # book-wide character offset where each chapter begins
    highlights: list[Highlight] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)

    def location(self, chapter: int, offset: int) -> int:
        """A book-wide character position (Readwise sorts by it)."""
        return self.chapter_starts.get(chapter, 0) + offset


def collect(user_id: str, book_id: str | None = None) -> list[BookAnnotations]:
    """The reader's annotations of one book (404 unless it is theirs) or of all their books
    that have any, books by title."""
    highlights = store.list_highlights(user_id, book_id)
    bookmarks = store.list_bookmarks(user_id, book_id)
    ids = (
        [book_id]
        if book_id
        else sorted({h.book_id for h in highlights} | {b.book_id for b in bookmarks})
    )
    found: list[BookAnnotations] = []
    for each in ids:
        book = books.get_book(user_id, each)
        entries = books.chapter_list(each)
        lengths = books.chapter_lengths(each)
        starts, running = {}, 0
        for entry in entries:
            starts[entry.index] = running
            running += lengths.get(entry.index, 0)
        found.append(
            BookAnnotations(
                book_id=each,
                title=book.title or book.filename,
                authors=list(book.authors),
                chapter_titles={entry.index: entry.title for entry in entries},
                chapter_starts=starts,
                highlights=[h for h in highlights if h.book_id == each],
                bookmarks=[b for b in bookmarks if b.book_id == each],
            )
        )
    return sorted(found, key=lambda item: (item.title.casefold(), item.book_id))


def render(annotations: list[BookAnnotations], fmt: ExportFormat) -> str:
    if fmt == "md":
        return to_markdown(annotations)
    if fmt == "csv":
        return to_csv(annotations)
    return to_json(annotations)


def filename(annotations: list[BookAnnotations], fmt: ExportFormat, whole_library: bool) -> str:
    stem = "annotations" if whole_library or not annotations else annotations[0].title
    safe = re.sub(r"[^\w .-]+", "", stem, flags=re.UNICODE).strip() or "annotations"
    return f"{safe[:80]}.{fmt}"


def content_disposition(name: str) -> str:
    """An attachment header any browser reads: an ASCII name and the UTF-8 one (RFC 6266)."""
    stem, _, extension = name.rpartition(".")
    ascii_stem = stem.encode("ascii", "ignore").decode().strip(" .") or "annotations"
    ascii_name = f"{ascii_stem}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


# --- Markdown --------------------------------------------------------------------------------


def to_markdown(annotations: list[BookAnnotations]) -> str:
    parts: list[str] = []
    for book in annotations:
        parts.append(f"# {_one_line(book.title)}\n")
        if book.authors:
            parts.append(f"*{_one_line(', '.join(book.authors))}*\n")
        attached = _by_chapter(book, detached=False)
        for chapter in sorted(attached):
            parts.append(f"## {_one_line(book.chapter_titles.get(chapter, str(chapter + 1)))}\n")
            parts.extend(_markdown_items(attached[chapter]))
        detached = _by_chapter(book, detached=True)
        if detached:
            parts.append("## Not found in the current text\n")
            for chapter in sorted(detached):
                parts.extend(_markdown_items(detached[chapter]))
    return "\n".join(parts).rstrip() + "\n"


def _by_chapter(book: BookAnnotations, *, detached: bool) -> dict[int, list[Highlight | Bookmark]]:
    grouped: dict[int, list[Highlight | Bookmark]] = {}
    items: Iterable[Highlight | Bookmark] = [*book.highlights, *book.bookmarks]
    for item in items:
        if item.detached == detached:
            grouped.setdefault(item.chapter, []).append(item)
    for entries in grouped.values():
        entries.sort(key=_offset)
    return grouped


def _offset(item: Highlight | Bookmark) -> int:
    return item.start if isinstance(item, Highlight) else item.offset


def _markdown_items(items: list[Highlight | Bookmark]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, Highlight):
            quote = "\n".join(f"> {line}" if line else ">" for line in item.quote.splitlines())
            out.append(quote + "\n")
            if item.note.strip():
                out.append(_note_markdown(item.note) + "\n")
        else:
            label = _one_line(item.label) or "Bookmark"
            out.append(f"- Bookmark: {label} — “{_one_line(item.anchor.exact)}…”\n")
    return out


def _note_markdown(note: str) -> str:
    # The reader's Markdown as written, but never a heading: headings are the file's structure.
    return "\n".join(_HEADING.sub(r"\1\\\2\3", line) for line in note.strip().splitlines())


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- JSON ------------------------------------------------------------------------------------


def to_json(annotations: list[BookAnnotations]) -> str:
    document = {
        "exported_at": datetime.now(UTC).isoformat(),
        "books": [
            {
                "book_id": book.book_id,
                "title": book.title,
                "authors": book.authors,
                "highlights": [
                    {
                        **item.model_dump(mode="json"),
                        "chapter_title": book.chapter_titles.get(item.chapter, ""),
                    }
                    for item in book.highlights
                ],
                "bookmarks": [
                    {
                        **item.model_dump(mode="json"),
                        "chapter_title": book.chapter_titles.get(item.chapter, ""),
                    }
                    for item in book.bookmarks
                ],
            }
            for book in annotations
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


# --- CSV (Readwise) --------------------------------------------------------------------------


# A spreadsheet takes a cell starting with one of these for a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading apostrophe before a formula's first
    character, so a book's title or a note cannot run `=HYPERLINK(…)` in the reader's Excel."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def to_csv(annotations: list[BookAnnotations]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(READWISE_COLUMNS)
    for book in annotations:
        for item in book.highlights:
            writer.writerow(
                (
                    spreadsheet_safe(item.quote),
                    spreadsheet_safe(book.title),
                    spreadsheet_safe(", ".join(book.authors)),
                    "",  # URL: the API does not know the address readers open the app at
                    spreadsheet_safe(item.note),
                    book.location(item.chapter, item.start),
                    item.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                )
            )
    return out.getvalue()
