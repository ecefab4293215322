"""How a book leaves the catalogue: its acquisition links and the download of its file.

A download is a redirect (302) from the catalogue, which checks the app password, to a
short-lived presigned URL of the store, as every file of the API is served: a 50 MB book does
not fit a Lambda response (6 MB), and the store serves ranges and large files well. E-reader
apps follow it: KOReader's OPDS client follows 301/302/303/307/308 and sends the credentials
only to the catalogue's own origin; Android and desktop HTTP clients do the same.

The illustrated edition is the exports domain's EPUB (`exports.pipeline.request_export`, which
finds the cached file of this content or starts building it): ready → the same redirect; still
building → 503 `export_in_progress` with `Retry-After`, the "try again shortly" every HTTP
client knows (KOReader shows the status line and keeps no file; see docs/e-readers.md).
"""

from __future__ import annotations

from urllib.parse import quote

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.exports import pipeline
from bookreader.exports.views import export_view
from bookreader.library import books
from bookreader.library.lifecycle import BookState
from bookreader.library.records import BookRecord
from bookreader.opds.atom import REL_ACQUISITION, Link
from bookreader.storage import get_store

EPUB = "application/epub+zip"
FB2 = "application/x-fictionbook+xml"
# A zipped FB2 as the Russian catalogues (and the apps reading them) name it.
FB2_ZIP = "application/fb2+zip"
ILLUSTRATED_TITLE = "EPUB with illustrations"
# What the catalogue's illustrated edition is: the EPUB with every ready picture.
ILLUSTRATED = pipeline.ExportRequest(format="epub", illustrations="ready")
# When to ask again for an edition still being built (a typical novel takes seconds).
RETRY_AFTER_S = 15


def original_media_type(book: BookRecord) -> str:
    """The media type of the file the reader uploaded (parse sniffed the format from its
    bytes; only a zipped FB2 is told apart by its name)."""
    if book.format == "epub":
        return EPUB
    if book.filename.lower().endswith(".zip"):
        return FB2_ZIP
    return FB2


def acquisition_links(book: BookRecord, base: str) -> list[Link]:
    """Every way to take this book away: the original file, and the illustrated edition once
    it can be exported."""
    original = Link(
        href=f"{base}/opds/books/{book.id}/file",
        rel=REL_ACQUISITION,
        type=original_media_type(book),
        title=f"{(book.format or 'book').upper()} (original)",
        length=book.size,
    )
    links = [original]
    illustrated = illustrated_epub_link(book, base)
    if illustrated is not None:
        links.append(illustrated)
    return links


def illustrated_epub_link(book: BookRecord, base: str) -> Link | None:
    """The illustrated EPUB, for a book whose pictures can be chosen (read in and its passages
    found: `ready`), whether the original is an EPUB or an FB2. The route's name ends in
    `.epub`: KOReader takes a download's file type from its link's suffix first."""
    if book.state != BookState.READY:
        return None
    return Link(
        href=f"{base}/opds/books/{book.id}/illustrated.epub",
        rel=REL_ACQUISITION,
        type=EPUB,
        title=ILLUSTRATED_TITLE,
    )


def illustrated_download_url(user_id: str, book_id: str) -> str:
    """A short-lived URL of the book's illustrated EPUB, once built; asking starts the build
    (or finds the cached file). 503 `export_in_progress` with `Retry-After` meanwhile."""
    book = books.get_book(user_id, book_id)  # 404 for anyone else's
    if book.state != BookState.READY:
        raise BookReaderError(
            "book_not_ready",
            "The illustrated edition can be made once the book has been read in.",
            409,
            {"state": str(book.state)},
        )
    record, _ = pipeline.request_export(user_id, book_id, ILLUSTRATED)
    url = export_view(record, book.title or book.filename).url
    if url is None:
        raise BookReaderError(
            "export_in_progress",
            f"The illustrated EPUB is being made; try again in {RETRY_AFTER_S} seconds.",
            503,
            {"export_id": record.id, "state": record.state, "progress": record.progress},
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    return url


def download_url(book: BookRecord) -> str:
    """A short-lived URL of the book's original file, served with its media type and name."""
    settings = get_settings()
    name = book.filename or "book"
    disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    return get_store().presign_get(
        settings.books_bucket,
        book.object_key,
        expires_in=settings.presign_expiry_seconds,
        content_type=original_media_type(book),
        disposition=disposition,
    )
