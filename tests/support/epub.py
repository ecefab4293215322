"""EPUB books built in the tests, and the parsed model's invariants every EPUB must keep."""

from __future__ import annotations

import io
import zipfile

import lxml.html

from bookreader.books import parse_book
from bookreader.books.limits import ParseLimits
from bookreader.books.model import ParsedBook
from bookreader.books.paragraph_text import paragraph_texts_in_html


def image_url(image_id: str) -> str:
    return f"/books/b/images/{image_id}"


def parse(data: bytes, limits: ParseLimits | None = None) -> ParsedBook:
    return parse_book(data, image_url=image_url, limits=limits)


def assert_consistent(book: ParsedBook) -> None:
    """The model's conventions: offsets, data-p blocks, safe HTML, TOC and note targets."""
    note_ids = {note.id for note in book.footnotes}
    for note in book.footnotes:  # notes follow the same rule: paragraphs joined by a blank line
        shown = [text for _, text in paragraph_texts_in_html(note.html)]
        assert "\n\n".join(shown) == note.text
    image_urls = {image_url(image.id) for image in book.images}
    for index, chapter in enumerate(book.chapters):
        assert chapter.index == index
        texts = [chapter.text[start:end] for start, end in chapter.paragraphs]
        assert "\n\n".join(texts) == chapter.text
        previous_end = -2
        for (start, end), text in zip(chapter.paragraphs, texts, strict=True):
            assert start >= previous_end + 2 and end > start  # in order, never overlapping
            assert text == text.strip() and "\n\n" not in text
            previous_end = end
        fragment = lxml.html.fragment_fromstring(chapter.html or "<div></div>", create_parent=True)
        # each data-p element's DOM text is exactly its paragraph (the reader maps offsets)
        assert paragraph_texts_in_html(chapter.html) == list(enumerate(texts))
        lowered = chapter.html.lower()
        assert "<script" not in lowered and "onerror" not in lowered
        assert "javascript:" not in lowered
        for link in fragment.xpath("//a[@data-note]"):
            assert link.get("data-note") in note_ids
        for img in fragment.xpath("//img"):
            assert img.get("src") in image_urls
    for entry in flat_toc(book.toc):
        assert 0 <= entry.chapter < len(book.chapters)
        assert 0 <= entry.offset <= len(book.chapters[entry.chapter].text)
    if book.cover_image_id is not None:
        assert book.cover_image_id in {image.id for image in book.images}


def flat_toc(entries: list) -> list:
    return [e for entry in entries for e in (entry, *flat_toc(entry.children))]


OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}</metadata>
<manifest>{manifest}</manifest><spine>{spine}</spine></package>"""
METADATA = """<dc:identifier id="uid">urn:uuid:0b7d7c58-0000-4000-8000-000000000001</dc:identifier>
<dc:title>Generated</dc:title><dc:creator>Tester</dc:creator><dc:language>en</dc:language>"""
CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""


def xhtml(body: str, head: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>t</title>{head}</head><body>{body}</body></html>"
    )


def make_epub(
    chapters: dict[str, str],
    *,
    metadata: str = METADATA,
    extra: dict[str, bytes] | None = None,
    opf: str | None = None,
    manifest_extra: str = "",
) -> bytes:
    manifest = "".join(
        f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(chapters)
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    package = opf or OPF.format(metadata=metadata, manifest=manifest + manifest_extra, spine=spine)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", package)
        for name, content in chapters.items():
            archive.writestr(f"OEBPS/{name}", content)
        for name, data in (extra or {}).items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()
