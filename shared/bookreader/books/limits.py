"""The limits a book must stay within, and the failure codes when it does not.

Every violation raises BookReaderError(code, human-readable message, 422), which parse turns
into the book's `failed` state. The codes are part of the API.
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from bookreader.errors import BookReaderError

# code → what the reader is told
FAILURES = {
    "empty_file": "The file is empty.",
    "unsupported_format": "This is not an EPUB or FB2 book (or a zipped FB2).",
    "archive_corrupt": "The book's archive is damaged or incomplete.",
    "archive_too_large": "The book unpacks to more data than allowed.",
    "archive_ratio": "The book's archive is compressed suspiciously well (a zip bomb?).",
    "archive_too_many_entries": "The book's archive holds too many files.",
    "xml_entities_forbidden": "The book declares XML entities or a DTD, which are not allowed.",
    "xml_malformed": "The book's XML is malformed.",
    "encoding_invalid": "The book's text encoding is wrong or unknown.",
    "nesting_too_deep": "The book's structure is nested too deeply.",
    "paragraph_too_long": "A paragraph of the book is longer than allowed.",
    "chapter_too_long": "A chapter of the book is longer than allowed.",
    "time_budget_exceeded": "The book took too long to process.",
    "no_content": "The book has no readable text.",
}


def book_error(code: str, detail: str = "") -> BookReaderError:
    message = FAILURES[code] + (f" ({detail})" if detail else "")
    return BookReaderError(code, message, 422)


class ParseLimits(BaseModel):
    max_uncompressed_bytes: int = 300 * 1024 * 1024
    max_compression_ratio: float = 100.0  # per entry and overall
    max_entries: int = 10_000
    max_xml_depth: int = 256
    max_paragraph_chars: int = 1_000_000
    max_chapter_chars: int = 10_000_000
    max_image_bytes: int = 20 * 1024 * 1024
    time_budget_s: float = 60.0


class Deadline:
    """The time budget of one parse; `check()` raises once it is spent."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise book_error("time_budget_exceeded")
