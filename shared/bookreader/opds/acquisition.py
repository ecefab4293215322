"""How a book leaves the catalogue: its acquisition links and the download of its file.

A download is a redirect (302) from the catalogue, which checks the app password, to a
short-lived presigned URL of the store, as every file of the API is served: a 50 MB book does
not fit a Lambda response (6 MB), and the store serves ranges and large files well. E-reader
apps follow it: KOReader's OPDS client follows 301/302/303/307/308 and sends the credentials
only to the catalogue's own origin; Android and desktop HTTP clients do the same.
"""

from __future__ import annotations

from urllib.parse import quote

from bookreader.config import get_settings
from bookreader.library.records import BookRecord
from bookreader.opds.atom import REL_ACQUISITION, Link
from bookreader.storage import get_store

EPUB = "application/epub+zip"
FB2 = "application/x-fictionbook+xml"
# A zipped FB2 as the Russian catalogues (and the apps reading them) name it.
FB2_ZIP = "application/fb2+zip"


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
    """SEAM for the illustrated EPUB export (`POST /api/books/{id}/exports`, built on another
    branch): when `bookreader.exports` is on main, return an acquisition link (type EPUB,
    title "EPUB with illustrations") to a catalogue route that starts or reuses the cached
    export and redirects to it, like `download_url`. Until then the catalogue offers the
    original file only."""
    return None


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
