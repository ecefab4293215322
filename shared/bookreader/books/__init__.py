"""Books: EPUB 2/3 and FB2 (plain or zipped) → one `ParsedBook`.

`parse_book` sniffs the real type from the bytes (never the file name), enforces the limits,
and hands over to `epub.parse_epub` or `fb2.parse_fb2`. Every failure is a BookReaderError
with a code from `limits.FAILURES`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO
from typing import Literal

from bookreader.books.limits import Deadline, ParseLimits, book_error
from bookreader.books.model import ParsedBook
from bookreader.books.safety import ZIP_ERRORS, SafeZip, xml_text

BookKind = Literal["epub", "fb2", "fb2.zip"]
ImageUrl = Callable[[str], str]  # image id → the URL the reader loads it from


def sniff(data: bytes) -> BookKind:
    """The book's real type from its bytes; `unsupported_format` / `empty_file` otherwise."""
    if not data.strip():
        raise book_error("empty_file")
    if data[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(BytesIO(data))
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:64].strip() if "mimetype" in names else b""
        except ZIP_ERRORS as error:
            raise book_error("archive_corrupt", str(error)) from None
        if mimetype == b"application/epub+zip":
            return "epub"
        if "META-INF/container.xml" in names:
            return "epub"  # a missing or wrong mimetype entry is a common, harmless defect
        if len([name for name in names if name.lower().endswith(".fb2")]) == 1:
            return "fb2.zip"
        raise book_error("unsupported_format", "a ZIP archive that is neither EPUB nor zipped FB2")
    head = xml_text(data[:8192]).lstrip("\ufeff \t\r\n")  # decoded: UTF-16/32 books too
    if head.startswith("<") and "<FictionBook" in head:
        return "fb2"
    raise book_error("unsupported_format")


def parse_book(
    data: bytes, *, image_url: ImageUrl, limits: ParseLimits | None = None
) -> ParsedBook:
    """Parse an uploaded book of any supported kind into the one book model."""
    limits = limits or ParseLimits()
    deadline = Deadline(limits.time_budget_s)
    kind = sniff(data)
    if kind == "epub":
        from bookreader.books.epub import parse_epub

        book = parse_epub(data, image_url=image_url, limits=limits, deadline=deadline)
    else:
        if kind == "fb2.zip":
            archive = SafeZip(data, limits)
            inner = [name for name in archive.names() if name.lower().endswith(".fb2")]
            if len(inner) != 1:
                raise book_error("unsupported_format", "the ZIP must hold exactly one .fb2 file")
            data = archive.read(inner[0])
        from bookreader.books.fb2 import parse_fb2

        book = parse_fb2(data, image_url=image_url, limits=limits, deadline=deadline)
    if not any(chapter.text.strip() for chapter in book.chapters):
        raise book_error("no_content")
    return book
