"""Write a book as an EPUB 3 (with an NCX for EPUB 2 readers), streamed into a file.

Chapters, pictures and illustrations are read one at a time through the `EpubSource`'s
loaders and written to the ZIP as they come, so memory holds one chapter and one picture,
never the book: a 1,000-page novel with hundreds of pictures is written in a few tens of MB.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Protocol
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from bookreader.books.model import BookMetadata, Direction, TocEntry
from bookreader.exports import xhtml
from bookreader.exports.pictures import MEDIA_TYPE as JPEG
from bookreader.exports.pictures import reader_jpeg

ROOT = "EPUB"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_HEADING = re.compile(r"<h[1-6][\s>]")
_CONTENTS = {"ru": "Содержание", "uk": "Зміст", "be": "Змест", "en": "Contents"}
_NOTES = {"ru": "Примечания", "uk": "Примітки", "be": "Заўвагі", "en": "Notes"}
STYLESHEET = """\
body { margin: 0 0.5em; }
figure.illustration { margin: 1em 0; text-align: center; page-break-inside: avoid; }
figure.illustration img { max-width: 100%; height: auto; }
figure.illustration figcaption { font-size: 0.85em; font-style: italic; margin-top: 0.4em; }
aside[epub|type~="footnote"] { font-size: 0.9em; }
img { max-width: 100%; }
"""


class ChapterContent(Protocol):
    """A stored chapter (library.records.ChapterRecord) or a parsed one (books.model.Chapter)."""

    @property
    def index(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def linear(self) -> bool: ...
    @property
    def direction(self) -> Direction: ...
    @property
    def html(self) -> str: ...
    @property
    def paragraphs(self) -> Sequence[tuple[int, int]]: ...


class NoteContent(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def html(self) -> str: ...


@dataclass(frozen=True)
class Illustration:
    """A ready illustration of a passage; `load` gives the picture's bytes (any format)."""

    id: str
    chapter: int
    start: int
    end: int
    passage: str
    load: Callable[[], bytes | None]


@dataclass
class EpubSource:
    """Everything the EPUB is built from; chapters and pictures are loaded when written."""

    identifier: str  # stable for the book: the package's unique identifier
    metadata: BookMetadata
    direction: Direction
    toc: list[TocEntry]
    chapter_count: int
    load_chapter: Callable[[int], ChapterContent]
    footnotes: Sequence[NoteContent]
    load_image: Callable[[str], bytes | None]  # a book picture's bytes by its id
    cover_image_id: str | None = None
    illustrations: Sequence[Illustration] = ()
    modified: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Only chapters' paragraph starts are kept for links across chapters (a few ints each).
    paragraph_starts: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class _Item:
    id: str
    href: str
    media_type: str
    properties: str = ""


@dataclass
class WrittenEpub:
    chapters: int
    pictures: int
    illustrations: int
    left_out_pictures: int


Progress = Callable[[float], None]


def chapter_file(index: int) -> str:
    return f"c{index:04d}.xhtml"


def language_of(metadata: BookMetadata, fallback: str | None = None) -> str:
    for candidate in (metadata.language, fallback):
        if candidate and _LANGUAGE.match(candidate):
            return candidate
    return "und"


def write_epub(
    source: EpubSource,
    out: IO[bytes],
    *,
    language: str | None = None,
    progress: Progress | None = None,
) -> WrittenEpub:
    """Write the book as an EPUB 3 into `out` (a seekable file opened for writing)."""
    return _Writer(source, out, language_of(source.metadata, language), progress).write()


class _Writer:
    def __init__(
        self, source: EpubSource, out: IO[bytes], language: str, progress: Progress | None
    ) -> None:
        self.source = source
        self.language = language
        self.primary = language.split("-")[0].lower()
        self.progress = progress or (lambda fraction: None)
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        self.items: list[_Item] = []
        self.spine: list[tuple[str, bool]] = []  # (item id, linear)
        self.images: dict[str, str | None] = {}  # book image id → href (None: left out)
        self.image_count = 0
        self.left_out = 0
        self.notes = {note.id: note for note in source.footnotes}
        self.note_anchors = {note.id: f"fn-{n}" for n, note in enumerate(source.footnotes, 1)}
        self.notes_placed: set[str] = set()
        self.illustrations_written = 0
        self.starts = source.paragraph_starts
        self.titles: dict[int, str] = {}
        self.links = xhtml.Links(
            chapter_file=lambda index: (
                chapter_file(index) if 0 <= index < source.chapter_count else None
            ),
            paragraph_starts=lambda index: self.starts.get(index, []),
            note_anchor=self.note_anchors.get,
            image_href=self._image_href,
        )

    def write(self) -> WrittenEpub:
        self.zip.writestr(
            zipfile.ZipInfo("mimetype", date_time=_zip_time(self.source.modified)),
            "application/epub+zip",
            compress_type=zipfile.ZIP_STORED,
        )
        self._put("META-INF/container.xml", _CONTAINER)
        self._put(f"{ROOT}/style.css", STYLESHEET)
        self.items.append(_Item("css", "style.css", "text/css"))
        if not self.starts:
            self._read_paragraph_starts()
        cover = self._cover()
        by_chapter: dict[int, list[Illustration]] = {}
        for illustration in self.source.illustrations:
            by_chapter.setdefault(illustration.chapter, []).append(illustration)
        heading_less: set[int] = set()
        total = max(self.source.chapter_count, 1)
        for index in range(self.source.chapter_count):
            chapter = self.source.load_chapter(index)
            self.titles[index] = chapter.title
            if not _HEADING.search(chapter.html):
                heading_less.add(index)
            self._chapter(chapter, by_chapter.get(index, []), last=index == total - 1)
            self.progress((index + 1) / total * 0.95)
        toc = _complete_toc(self.source.toc, self.source.chapter_count, heading_less, self._title)
        self._nav(toc)
        self._ncx(toc)
        self._package(cover)
        self.zip.close()
        self.progress(1.0)
        return WrittenEpub(
            chapters=self.source.chapter_count,
            pictures=self.image_count,
            illustrations=self.illustrations_written,
            left_out_pictures=self.left_out,
        )

    # --- pieces -------------------------------------------------------------------------

    def _put(self, name: str, text: str | bytes, compress: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=_zip_time(self.source.modified))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, text)

    def _read_paragraph_starts(self) -> None:
        """Links and TOC entries point into any chapter: a first pass keeps only where each
        chapter's paragraphs start."""
        for index in range(self.source.chapter_count):
            chapter = self.source.load_chapter(index)
            self.starts[index] = [start for start, _ in chapter.paragraphs]
            self.titles[index] = chapter.title

    def _title(self, index: int) -> str:
        return self.titles.get(index) or f"{index + 1}"

    def _image_href(self, image_id: str) -> str | None:
        if image_id not in self.images:
            self.images[image_id] = self._write_picture(
                f"images/{_file_safe(image_id)}", lambda: self.source.load_image(image_id)
            )
        return self.images[image_id]

    def _write_picture(
        self, stem: str, load: Callable[[], bytes | None], properties: str = ""
    ) -> str | None:
        data = load()
        if data is not None and data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg\n"):
            href, media_type, payload = f"{stem}.svg", "image/svg+xml", data
        else:
            converted = reader_jpeg(data) if data is not None else None
            if converted is None:
                self.left_out += 1
                return None
            href, media_type, payload = f"{stem}.jpg", JPEG, converted
        self._put(f"{ROOT}/{href}", payload, compress=False)  # JPEG does not deflate
        self.items.append(_Item(f"img-{len(self.items)}", href, media_type, properties))
        self.image_count += 1
        return href

    def _cover(self) -> str | None:
        cover_id = self.source.cover_image_id
        if not cover_id:
            return None
        href = self._write_picture(
            f"images/{_file_safe(cover_id)}",
            lambda: self.source.load_image(cover_id),
            "cover-image",
        )
        self.images[cover_id] = href
        if href is None:
            return None
        title = escape(self.source.metadata.title)
        body = (
            f'<section {_EPUB_TYPE}="cover" class="cover">'
            f"<img src={quoteattr(href)} alt={quoteattr(self.source.metadata.title)}/></section>"
        )
        self._put(f"{ROOT}/cover.xhtml", self._document(title, body, "ltr"))
        self.items.append(_Item("cover-page", "cover.xhtml", "application/xhtml+xml"))
        self.spine.append(("cover-page", True))
        return href

    def _chapter(
        self, chapter: ChapterContent, illustrations: list[Illustration], *, last: bool
    ) -> None:
        placements = []
        for illustration in illustrations:
            href = self._write_picture(f"images/illustration-{illustration.id}", illustration.load)
            if href is None:
                continue
            self.illustrations_written += 1
            placements.append(
                xhtml.Placement(
                    illustration.id,
                    href,
                    illustration.passage,
                    illustration.start,
                    illustration.end,
                )
            )
        elements, referenced = xhtml.chapter_body(
            chapter.html, chapter.index, chapter.paragraphs, self.links, placements
        )
        body = "".join(_serialise(element) for element in elements)
        notes = [note_id for note_id in referenced if note_id in self.notes]
        if last:  # notes nothing refers to are kept too, after the last chapter's text
            notes += [note_id for note_id in self.notes if note_id not in self.notes_placed]
            notes = list(dict.fromkeys(notes))
        body += self._asides(notes)
        name = chapter_file(chapter.index)
        self._put(f"{ROOT}/{name}", self._document(escape(chapter.title), body, chapter.direction))
        item_id = f"c{chapter.index:04d}"
        self.items.append(_Item(item_id, name, "application/xhtml+xml"))
        self.spine.append((item_id, chapter.linear))

    def _asides(self, note_ids: list[str]) -> str:
        """The notes as popup footnotes at the end of the document, with the notes they refer
        to in turn (a note on a note)."""
        pending, done, parts = list(note_ids), set(), []
        while pending:
            note_id = pending.pop(0)
            if note_id in done or note_id not in self.notes:
                continue
            done.add(note_id)
            elements, referenced = xhtml.note_body(self.notes[note_id].html, self.links)
            inner = "".join(_serialise(element) for element in elements)
            anchor = self.note_anchors[note_id]
            parts.append(
                f'<aside {_EPUB_TYPE}="footnote" id="{anchor}" class="footnote">{inner}</aside>'
            )
            pending += referenced
        self.notes_placed |= done
        return "".join(parts)

    def _document(self, title: str, body: str, direction: str) -> str:
        language = quoteattr(self.language)
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{xhtml.XHTML_NS}" xmlns:epub="{xhtml.OPS_NS}"'
            f" lang={language} xml:lang={language} dir={quoteattr(direction)}>\n"
            f'<head><meta charset="utf-8"/><title>{title}</title>'
            '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
            f"<body>{body}</body>\n</html>\n"
        )

    def _nav(self, toc: list[TocEntry]) -> None:
        label = _CONTENTS.get(self.primary, _CONTENTS["en"])

        def entries(items: list[TocEntry]) -> str:
            parts = []
            for entry in items:
                href = xhtml.position_href(self.links, entry.chapter, entry.offset)
                if href is None:
                    continue
                children = entries(entry.children) if entry.children else ""
                text = escape(entry.title.strip() or self._title(entry.chapter))
                parts.append(f"<li><a href={quoteattr(href)}>{text}</a>{children}</li>")
            return f"<ol>{''.join(parts)}</ol>" if parts else ""

        body = (
            f'<nav {_EPUB_TYPE}="toc" id="toc"><h1>{escape(label)}</h1>{entries(toc)}</nav>'
            + self._landmarks()
        )
        self._put(f"{ROOT}/nav.xhtml", self._document(escape(label), body, self.source.direction))
        self.items.append(_Item("nav", "nav.xhtml", "application/xhtml+xml", "nav"))

    def _landmarks(self) -> str:
        """Where reading starts (readers open a book there): the first chapter in the flow."""
        chapters = [item for item, linear in self.spine if linear and item[1:].isdigit()]
        if not chapters:
            return ""
        first = int(chapters[0][1:])
        return (
            f'<nav {_EPUB_TYPE}="landmarks" hidden="hidden"><ol>'
            f'<li><a {_EPUB_TYPE}="bodymatter" href="{chapter_file(first)}">'
            f"{escape(self._title(first))}</a></li></ol></nav>"
        )

    def _ncx(self, toc: list[TocEntry]) -> None:
        orders: dict[str, int] = {}  # one playOrder per target, in reading order
        count = 0

        def points(items: list[TocEntry]) -> str:
            nonlocal count
            parts = []
            for entry in items:
                href = xhtml.position_href(self.links, entry.chapter, entry.offset)
                if href is None:
                    continue
                count += 1
                point_id = count
                number = orders.setdefault(href, len(orders) + 1)
                children = points(entry.children)
                text = escape(entry.title.strip() or self._title(entry.chapter))
                parts.append(
                    f'<navPoint id="np-{point_id}" playOrder="{number}">'
                    f"<navLabel><text>{text}</text></navLabel>"
                    f"<content src={quoteattr(href)}/>{children}</navPoint>"
                )
            return "".join(parts)

        nav_map = points(toc)
        depth = max(_depth(toc), 1)
        ncx = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"'
            f" xml:lang={quoteattr(self.language)}>"
            f'<head><meta name="dtb:uid" content={quoteattr(self.source.identifier)}/>'
            f'<meta name="dtb:depth" content="{depth}"/>'
            '<meta name="dtb:totalPageCount" content="0"/>'
            '<meta name="dtb:maxPageNumber" content="0"/></head>'
            f"<docTitle><text>{escape(self.source.metadata.title)}</text></docTitle>"
            f"<navMap>{nav_map}</navMap></ncx>\n"
        )
        self._put(f"{ROOT}/toc.ncx", ncx)
        self.items.append(_Item("ncx", "toc.ncx", "application/x-dtbncx+xml"))

    def _package(self, cover: str | None) -> None:
        meta = self.source.metadata
        lines = [
            f'<dc:identifier id="book-id">{escape(self.source.identifier)}</dc:identifier>',
            f"<dc:title>{escape(meta.title)}</dc:title>",
            f"<dc:language>{escape(self.language)}</dc:language>",
        ]
        for n, author in enumerate(meta.authors, 1):
            lines.append(f'<dc:creator id="creator-{n}">{escape(author)}</dc:creator>')
            lines.append(
                f'<meta refines="#creator-{n}" property="role" scheme="marc:relators">aut</meta>'
            )
        for n, translator in enumerate(meta.translators, 1):
            lines.append(
                f'<dc:contributor id="translator-{n}">{escape(translator)}</dc:contributor>'
            )
            lines.append(
                f'<meta refines="#translator-{n}" property="role" scheme="marc:relators">trl</meta>'
            )
        if meta.publisher:
            lines.append(f"<dc:publisher>{escape(meta.publisher)}</dc:publisher>")
        if meta.description:
            lines.append(f"<dc:description>{escape(meta.description)}</dc:description>")
        lines += [f"<dc:subject>{escape(subject)}</dc:subject>" for subject in meta.subjects]
        if meta.series:
            lines.append(
                f'<meta property="belongs-to-collection" id="series">{escape(meta.series)}</meta>'
            )
            lines.append('<meta refines="#series" property="collection-type">series</meta>')
            if meta.series_index is not None:
                position = f"{meta.series_index:g}"
                lines.append(f'<meta refines="#series" property="group-position">{position}</meta>')
        modified = self.source.modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f'<meta property="dcterms:modified">{modified}</meta>')
        if cover is not None:
            cover_item = next(item.id for item in self.items if item.href == cover)
            lines.append(f'<meta name="cover" content="{cover_item}"/>')
        manifest = "".join(
            f'<item id="{item.id}" href={quoteattr(item.href)} media-type="{item.media_type}"'
            + (f' properties="{item.properties}"' if item.properties else "")
            + "/>"
            for item in self.items
        )
        spine = "".join(
            f'<itemref idref="{item_id}"' + ("" if linear else ' linear="no"') + "/>"
            for item_id, linear in self.spine
        )
        progression = ' page-progression-direction="rtl"' if self.source.direction == "rtl" else ""
        opf = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"'
            f' unique-identifier="book-id" xml:lang={quoteattr(self.language)}>\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            + "".join(lines)
            + f"</metadata>\n<manifest>{manifest}</manifest>\n"
            f'<spine toc="ncx"{progression}>{spine}</spine>\n</package>\n'
        )
        self._put(f"{ROOT}/content.opf", opf)


_EPUB_TYPE = "epub:type"
_CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="EPUB/content.opf"'
    ' media-type="application/oebps-package+xml"/></rootfiles></container>\n'
)


def _serialise(element: etree._Element) -> str:
    text = etree.tostring(element, encoding="unicode", method="xml", with_tail=True)
    # Each element carries its namespace declarations; the document's root declares them once.
    return text.replace(f' xmlns="{xhtml.XHTML_NS}"', "", 1).replace(
        f' xmlns:epub="{xhtml.OPS_NS}"', "", 1
    )


def _file_safe(image_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", image_id)


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    value = moment.astimezone(UTC)
    return (max(value.year, 1980), value.month, value.day, value.hour, value.minute, value.second)


def _depth(entries: list[TocEntry]) -> int:
    return max((1 + _depth(entry.children) for entry in entries), default=0)


def _complete_toc(
    toc: list[TocEntry], chapter_count: int, heading_less: set[int], title: Callable[[int], str]
) -> list[TocEntry]:
    """The book's TOC, plus an entry for every chapter it does not reach that has no heading
    (a reader, and our own parser, would otherwise take such a file for the previous
    chapter's continuation); with no TOC at all, one entry per chapter."""
    reached: set[int] = set()
    stack = list(toc)
    while stack:
        entry = stack.pop()
        reached.add(entry.chapter)
        stack.extend(entry.children)
    missing = [
        index
        for index in range(chapter_count)
        if index not in reached and (not toc or (index > 0 and index in heading_less))
    ]
    if not missing:
        return toc
    result = list(toc)
    for index in missing:
        entry = TocEntry(title=title(index), chapter=index)
        at = next((n for n, item in enumerate(result) if item.chapter > index), len(result))
        result.insert(at, entry)
    return result
