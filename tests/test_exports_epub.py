"""The EPUB an export writes, from books parsed by our own parser: EPUBCheck finds no error, the
file parses back to the same chapters, notes are EPUB 3 popup notes, and every illustration
stands right after the paragraph where its passage ends, captioned with the passage, as a JPEG
no larger than 1600 px."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from bookreader.books import parse_book
from bookreader.books.model import ParsedBook
from bookreader.exports.epub import EpubSource, Illustration, chapter_file, write_epub
from bookreader.exports.pictures import reader_jpeg
from tests.support.epub import make_epub, xhtml
from tests.support.epubcheck import epubcheck, errors
from tests.support.exported import alt_text_of

BOOKS = Path(__file__).parent / "fixtures" / "books"
CASES = [
    BOOKS / "epub" / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub",
    BOOKS / "epub" / "en-idpf-wasteland.epub3-rearnotes.epub",
    BOOKS / "epub" / "ar-idpf-regime-anticancer.epub3-rtl.epub",
    BOOKS / "epub" / "en-w3c-spine-nonlinear.epub3.epub",
    BOOKS / "fb2" / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2",
]
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"


def parse(data: bytes) -> ParsedBook:
    return parse_book(data, image_url=lambda image_id: f"/books/b/images/{image_id}")


def picture(kind: str, width: int, height: int) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if kind == "PNG" else "RGB"
    Image.new(mode, (width, height), (200, 120, 40, 128)[: len(mode)]).save(out, kind)
    return out.getvalue()


def passages(book: ParsedBook) -> list[Illustration]:
    """A passage in the middle of the middle paragraph of every chapter with text: drawn as a
    big WebP or a tall transparent PNG, as generated pictures and book plates come."""
    found = []
    for chapter in book.chapters:
        if not chapter.paragraphs:
            continue
        start, end = chapter.paragraphs[len(chapter.paragraphs) // 2]
        begin, finish = start + (end - start) // 4, end - (end - start) // 4
        if finish <= begin:
            begin, finish = start, end
        data = picture("WEBP", 2400, 1800) if chapter.index % 2 else picture("PNG", 900, 3000)
        found.append(
            Illustration(
                id=f"00000000-0000-4000-8000-{chapter.index:012d}",
                chapter=chapter.index,
                start=begin,
                end=finish,
                passage=chapter.text[begin:finish],
                load=lambda data=data: data,
            )
        )
    return found


def source(book: ParsedBook, illustrations: list[Illustration]) -> EpubSource:
    images = {image.id: image.data for image in book.images}
    return EpubSource(
        identifier="urn:uuid:6f1d2c1e-4c55-4a43-9a5e-0d5c3e0b6f11",
        metadata=book.metadata,
        direction=book.direction,
        toc=book.toc,
        chapter_count=len(book.chapters),
        load_chapter=lambda index: book.chapters[index],
        footnotes=book.footnotes,
        load_image=images.get,
        cover_image_id=book.cover_image_id,
        illustrations=illustrations,
    )


@pytest.fixture(scope="module", params=CASES, ids=lambda path: path.name)
def exported(request, tmp_path_factory) -> tuple[ParsedBook, list[Illustration], Path]:
    book = parse(request.param.read_bytes())
    illustrations = passages(book)
    path = tmp_path_factory.mktemp("export") / "book.epub"
    with path.open("wb") as file:
        written = write_epub(source(book, illustrations), file)
    assert written.illustrations == len(illustrations) > 0
    return book, illustrations, path


def test_epubcheck_finds_no_error(exported) -> None:
    _, _, path = exported
    assert errors(epubcheck(path)) == []


def test_the_export_parses_back_to_the_same_chapters(exported) -> None:
    book, _, path = exported
    again = parse(path.read_bytes())
    assert [c.text for c in again.chapters] == [c.text for c in book.chapters]
    assert [c.paragraphs for c in again.chapters] == [c.paragraphs for c in book.chapters]
    assert [c.linear for c in again.chapters] == [c.linear for c in book.chapters]
    assert again.metadata.title == book.metadata.title
    assert again.metadata.authors == book.metadata.authors
    assert again.metadata.language == book.metadata.language
    assert sorted(n.text for n in again.footnotes) == sorted(n.text for n in book.footnotes)


def test_each_illustration_follows_its_passages_paragraph_with_the_passage_as_caption(
    exported,
) -> None:
    book, illustrations, path = exported
    with zipfile.ZipFile(path) as archive:
        for illustration in illustrations:
            chapter = book.chapters[illustration.chapter]
            root = etree.fromstring(archive.read(f"EPUB/{chapter_file(chapter.index)}"))
            figures = root.xpath(
                f"//x:figure[@data-illustration='{illustration.id}']", namespaces=NS
            )
            assert len(figures) == 1
            figure = figures[0]
            before = figure.xpath("preceding::*[starts-with(@id, 'p-')][1]", namespaces=NS)
            start, end = chapter.paragraphs[int(before[0].get("id")[2:])]
            assert start <= illustration.end - 1 < end, "after the paragraph the passage ends in"
            assert "".join(before[0].itertext()).strip().endswith(chapter.text[start:end][-20:])
            caption = figure.find("x:figcaption", NS)
            img = figure.find("x:img", NS)
            assert caption.text == illustration.passage
            assert alt_text_of(illustration.passage) == img.get("alt")
            data = archive.read("EPUB/" + img.get("src"))
            with Image.open(io.BytesIO(data)) as shown:
                assert shown.format == "JPEG" and max(shown.size) <= 1600


def test_notes_are_epub3_popup_footnotes_in_the_chapter_that_refers_to_them(exported) -> None:
    book, _, path = exported
    if not book.footnotes:
        pytest.skip("the book has no notes")
    with zipfile.ZipFile(path) as archive:
        for name in (n for n in archive.namelist() if n.startswith("EPUB/c")):
            root = etree.fromstring(archive.read(name))
            asides = {a.get("id") for a in root.iter("{*}aside") if a.get(OPS_TYPE) == "footnote"}
            for ref in root.iter("{*}a"):
                if ref.get(OPS_TYPE) == "noteref":
                    assert ref.get("href")[1:] in asides, (name, ref.get("href"))


def test_pictures_become_jpegs_no_larger_than_1600_px() -> None:
    for kind, size in [("WEBP", (2400, 1800)), ("PNG", (900, 3000)), ("GIF", (300, 200))]:
        converted = reader_jpeg(picture(kind, *size))
        assert converted is not None
        with Image.open(io.BytesIO(converted)) as image:
            assert image.format == "JPEG" and max(image.size) == min(max(size), 1600)
            assert image.size[0] / image.size[1] == pytest.approx(size[0] / size[1], rel=0.01)
    small = picture("JPEG", 640, 480)
    assert reader_jpeg(small) == small, "a JPEG readers can already show is not recompressed"
    assert reader_jpeg(b"\x89PNG\r\n\x1a\n broken") is None


def test_only_the_figures_an_export_added_are_left_out_of_the_text() -> None:
    body = (
        "<p>The harbour lay under fog.</p>"
        '<figure data-illustration="00000000-0000-4000-8000-000000000001">'
        '<img src="p.jpg" alt="The harbour lay under fog."/>'
        "<figcaption>The harbour lay under fog.</figcaption></figure>"
        "<figure><figcaption>Map of the harbour</figcaption></figure>"
        "<p>Ships waited.</p>"
    )
    book = parse(make_epub({"one.xhtml": xhtml(body)}))
    assert book.chapters[0].text == (
        "The harbour lay under fog.\n\nMap of the harbour\n\nShips waited."
    )
