"""FB2 (FictionBook 2) → the one book model.

Nested `section`s become chapters with a level; a section that holds only a title and
subsections gets no chapter of its own: its title is written at the top of the first chapter
below it and its TOC entry points there. `<body name="notes">` (and "comments") sections
become footnotes. The element → HTML mapping lives in `fb2_html`, metadata and images in
`fb2_meta`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

from lxml import etree

from bookreader.books.escaped_refs import decode_escaped_references
from bookreader.books.fb2_html import Context, HtmlWriter
from bookreader.books.fb2_meta import read_images, read_metadata
from bookreader.books.limits import Deadline, ParseLimits, book_error
from bookreader.books.model import (
    Chapter,
    Footnote,
    ParsedBook,
    TocEntry,
    count_words,
    direction_of_language,
)
from bookreader.books.safety import parse_xml
from bookreader.books.sanitize import sanitize_html
from bookreader.books.source_paths import source_paths
from bookreader.errors import BookReaderError

NOTE_BODIES = frozenset({"notes", "comments", "footnotes"})
_PLACEHOLDER = re.compile(r'href="#@([^"]*)"')


def parse_fb2(
    data: bytes, *, image_url: Callable[[str], str], limits: ParseLimits, deadline: Deadline
) -> ParsedBook:
    """Parse FB2 bytes (any declared encoding) into a ParsedBook."""
    root = _parse(data, limits)
    decode_escaped_references(root)
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "FictionBook":
        raise book_error("unsupported_format", "the XML root is not FictionBook")
    context = Context(
        ns=f"{{{namespace}}}" if namespace else "",
        notes=set(),
        images={},
        image_url=image_url,
        limits=limits,
        deadline=deadline,
    )
    context.sources = {
        element: f"/FictionBook/{path}" if path else "/FictionBook"
        for element, path in source_paths(root, context.name).items()
    }
    images = read_images(root, context)
    bodies = [child for child in root if context.name(child) == "body"]
    note_bodies = [body for body in bodies if (body.get("name") or "").lower() in NOTE_BODIES]
    notes = _note_sections(note_bodies, context)
    context.notes = set(notes)
    metadata, cover = read_metadata(root, context)  # after the notes: skips their markers

    book = _ChapterBuilder(context, metadata.title)
    for body in bodies:
        if body not in note_bodies:
            book.body(body)
    footnotes = [_footnote(note_id, section, context) for note_id, section in notes.items()]

    direction = direction_of_language(metadata.language)
    for chapter in book.chapters:
        html = _resolve_links(chapter.html, context, book.chapters)
        chapter.html = sanitize_html(f'<div dir="{direction}">{html}</div>')
        chapter.direction = direction
    for note in footnotes:
        note.html = sanitize_html(_resolve_links(note.html, context, book.chapters))
    return ParsedBook(
        format="fb2",
        metadata=metadata,
        direction=direction,
        chapters=book.chapters,
        toc=book.toc,
        footnotes=footnotes,
        images=images,
        cover_image_id=context.images.get(cover or ""),
    )


def _parse(data: bytes, limits: ParseLimits) -> etree._Element:
    try:
        return parse_xml(data, limits)
    except BookReaderError as error:
        # libxml2 refuses text nodes over 10 MB without huge_tree: that is a paragraph limit
        if error.code == "xml_malformed" and "Text node too long" in error.message:
            raise book_error("paragraph_too_long", "a text node over 10 MB") from None
        raise


@dataclass(eq=False)
class _Start:
    """A section whose beginning is not yet written into a chapter."""

    title: etree._Element | None
    level: int
    entry: TocEntry | None
    fb2_id: str | None


class _ChapterBuilder:
    """Walks the main bodies and cuts them into chapters and TOC entries."""

    def __init__(self, context: Context, book_title: str) -> None:
        self.context = context
        self.book_title = book_title
        self.chapters: list[Chapter] = []
        self.toc: list[TocEntry] = []
        self.pending: list[_Start] = []  # outer sections' titles wait for the first content

    def body(self, body: etree._Element) -> None:
        # The body's own title is usually the book's title and author: it is written only
        # when the body has content of its own besides the sections.
        title = next((c for c in body if self.context.name(c) == "title"), None)
        name = self.context.title_text(title) or self.book_title
        self._walk(body, 0, 0, self.toc, name, skip=None)

    def _section(self, section: etree._Element, level: int, toc: list[TocEntry], name: str) -> None:
        self.context.deadline.check()
        title = next((c for c in section if self.context.name(c) == "title"), None)
        title_text = self.context.title_text(title)
        entry = TocEntry(title=title_text, chapter=0) if title_text else None
        if entry is not None:
            toc.append(entry)
        start = _Start(title, level, entry, section.get("id"))
        self.pending.append(start)
        children_toc = entry.children if entry is not None else toc
        self._walk(section, level, level + 1, children_toc, title_text or name, skip=title)
        if start in self.pending:  # neither it nor any subsection had anything to show
            self.pending.remove(start)
            if entry is not None:
                toc.remove(entry)

    def _walk(
        self,
        container: etree._Element,
        level: int,
        child_level: int,
        toc: list[TocEntry],
        name: str,
        skip: etree._Element | None,
    ) -> None:
        run: list[etree._Element] = []
        has_sections = False
        for child in container:
            if self.context.name(child) == "section":
                has_sections = True
                self._flush(run, level, name, force=False)
                run = []
                self._section(child, child_level, toc, name)
            elif child is not skip:
                run.append(child)
        # a section without subsections is a chapter even when it holds only its title
        self._flush(run, level, name, force=not has_sections)

    def _flush(self, run: list[etree._Element], level: int, name: str, force: bool) -> None:
        context = self.context
        has_content = any(
            context.name(e) not in (None, "title", "empty-line") or (e.tail or "").strip()
            for e in run
        )
        if not has_content and not (force and (self.pending or run)):
            return
        index = len(self.chapters)
        # A chapter that begins several nested sections is named by the outermost title.
        outer = next((s for s in self.pending if s.entry is not None), None)
        title_level = level
        if outer is not None:
            name, title_level = outer.entry.title if outer.entry else name, outer.level
        writer = HtmlWriter(context, index)
        for start in self.pending:
            writer.mark(start.fb2_id)
            if start.entry is not None:
                start.entry.chapter, start.entry.offset = index, writer.next_offset
            if start.title is not None:
                writer.title(start.title, start.level)
        self.pending.clear()
        writer.heading = f"h{min(level + 1, 6)}"
        for element in run:
            writer.element(element, "block")
            writer.text(element.tail, "block")
        text = "\n\n".join(writer.paragraphs)
        offsets, position = [], 0
        for paragraph in writer.paragraphs:
            offsets.append((position, position + len(paragraph)))
            position += len(paragraph) + 2
        self.chapters.append(
            Chapter(
                index=index,
                title=name or str(index + 1),
                level=title_level,
                html="".join(writer.html),
                text=text,
                paragraphs=offsets,
                word_count=count_words(text),
                sources=writer.sources,
            )
        )


def _note_sections(bodies: list[etree._Element], context: Context) -> dict[str, etree._Element]:
    """Every section with an id in the note bodies (wrappers without an id are looked into)."""
    notes: dict[str, etree._Element] = {}
    for body in bodies:
        for section in body.iter(f"{context.ns}section"):
            note_id = section.get("id")
            if note_id and note_id not in notes:
                notes[note_id] = section
    return notes


def _footnote(note_id: str, section: etree._Element, context: Context) -> Footnote:
    context.deadline.check()
    writer = HtmlWriter(context, None)
    title = None
    for child in section:
        name = context.name(child)
        if name == "title" and title is None:
            title = child
        elif not (name == "section" and child.get("id") in context.notes):  # its own note
            writer.element(child, "block")
        writer.text(child.tail, "block")
    return Footnote(
        id=note_id,
        title=context.title_text(title),
        html="".join(writer.html),
        text="\n\n".join(writer.paragraphs),
    )


def _resolve_links(html: str, context: Context, chapters: list[Chapter]) -> str:
    """`href="#@<fb2 id>"` → `href="#pos-<chapter>-<offset>"`; unknown targets lose the href."""

    def position(match: re.Match[str]) -> str:
        found = context.positions.get(unescape(match[1]))
        if found is None or found[0] >= len(chapters):
            return ""
        chapter, offset = found
        return f'href="#pos-{chapter}-{min(offset, len(chapters[chapter].text))}"'

    return _PLACEHOLDER.sub(position, html)
