"""A chapter's stored HTML → the XHTML body of an EPUB content document.

The stored HTML is the reader's (sanitised, our own link forms): here its links become links
between the EPUB's files, its pictures the EPUB's JPEGs, its note references EPUB 3 popup
notes, each paragraph gets an id a link can land on, and the reader's ready illustrations are
placed as `<figure>`s right after the paragraph where their passage ends.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS_NS}}}type"
# The marker our parser knows: a picture an export added after a passage (its caption repeats
# the passage), not a part of the book's text.
ILLUSTRATION_MARK = "data-illustration"

_BOOK_IMAGE = re.compile(r"^/books/[^/]+/images/([A-Za-z0-9_.-]+)$")
_POSITION = re.compile(r"^#pos-(\d+)-(\d+)$")
_NOTE = re.compile(r"^#note-(.+)$")
_DIGITS = re.compile(r"^\d{1,5}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
# HTML5 has no <big>; <time> would need a machine-readable date: both read as plain spans.
_AS_SPAN = {"big", "time"}
# Elements whose children may be flow content: a figure can stand inside them.
_FLOW_PARENTS = {
    *("div", "section", "article", "aside", "blockquote", "li", "dd", "td", "th"),
    *("figure", "main", "header", "footer"),
}
_OWN_ATTRIBUTES = ("data-p", "data-note", "data-chapter", "data-offset")
ALT_MAX_CHARS = 500


@dataclass(frozen=True)
class Placement:
    """A ready illustration to show after the paragraph where its passage ends."""

    illustration_id: str
    href: str  # the picture's path in the EPUB, relative to the content document
    passage: str
    start: int  # the passage's offsets in the chapter's text
    end: int


@dataclass
class Links:
    """How links, pictures and notes are resolved across the exported book."""

    chapter_file: Callable[[int], str | None]  # chapter index → its file name (None: no such)
    paragraph_starts: Callable[[int], Sequence[int]]  # chapter → its paragraphs' start offsets
    note_anchor: Callable[[str], str | None]  # stored note id → the id of its aside
    image_href: Callable[[str], str | None]  # book image id → its path (None: left out)


def paragraph_id(index: int) -> str:
    return f"p-{index}"


def position_href(
    links: Links, chapter: int, offset: int, current: int | None = None
) -> str | None:
    """The href of (chapter, offset): the file, and the paragraph the offset falls in."""
    name = links.chapter_file(chapter)
    if name is None:
        return None
    starts = links.paragraph_starts(chapter)
    index = bisect_right(starts, offset) - 1
    fragment = f"#{paragraph_id(index)}" if offset > 0 and index >= 0 else ""
    if chapter == current and fragment:
        return fragment
    return name + fragment


def chapter_body(
    html: str,
    chapter: int,
    paragraphs: Sequence[tuple[int, int]],
    links: Links,
    placements: Sequence[Placement] = (),
) -> tuple[list[etree._Element], list[str]]:
    """The chapter's content as XHTML elements, and the stored ids of the notes it refers to
    (in order of first reference)."""
    root = _parse(html)
    _place_figures(root, paragraphs, placements)
    notes = _rewrite(root, links, chapter)
    return _to_xhtml(root), notes


def note_body(html: str, links: Links) -> tuple[list[etree._Element], list[str]]:
    """A note's content as XHTML elements (its links resolved like a chapter's), and the
    notes it refers to in turn."""
    root = _parse(html)
    notes = _rewrite(root, links, None)
    return _to_xhtml(root), notes


def _parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def _end_paragraph(paragraphs: Sequence[tuple[int, int]], end: int) -> int:
    """The paragraph holding the passage's last character."""
    starts = [start for start, _ in paragraphs]
    return max(0, bisect_right(starts, max(end - 1, 0)) - 1)


def _place_figures(
    root: etree._Element, paragraphs: Sequence[tuple[int, int]], placements: Sequence[Placement]
) -> None:
    if not placements or not paragraphs:
        return
    by_index = {element.get("data-p"): element for element in root.iter() if element.get("data-p")}
    last_inserted: dict[int, etree._Element] = {}
    for placement in sorted(placements, key=lambda p: (p.end, p.start)):
        index = _end_paragraph(paragraphs, placement.end)
        paragraph = by_index.get(str(index))
        if paragraph is None:
            continue
        anchor = last_inserted.get(index) or _flow_level(paragraph, root)
        figure = _figure(placement)
        figure.tail = anchor.tail
        anchor.tail = None
        anchor.addnext(figure)
        last_inserted[index] = figure


def _flow_level(element: etree._Element, root: etree._Element) -> etree._Element:
    """The element itself or its ancestor whose parent takes flow content (a figure after a
    verse line inside a stanza stays in the stanza; after a span, after its paragraph)."""
    while True:
        parent = element.getparent()
        if parent is None or parent is root or parent.tag in _FLOW_PARENTS:
            return element
        element = parent


def _figure(placement: Placement) -> etree._Element:
    figure = etree.Element("figure")
    figure.set("class", "illustration")
    figure.set(ILLUSTRATION_MARK, placement.illustration_id)
    alt = placement.passage
    if len(alt) > ALT_MAX_CHARS:
        alt = alt[: ALT_MAX_CHARS - 1].rstrip() + "…"
    etree.SubElement(figure, "img", src=placement.href, alt=alt)
    caption = etree.SubElement(figure, "figcaption")
    caption.text = placement.passage
    return figure


def _rewrite(root: etree._Element, links: Links, chapter: int | None) -> list[str]:
    notes: list[str] = []
    renamed: dict[str, str] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        paragraph = element.get("data-p")
        if chapter is not None and paragraph is not None and paragraph.isdigit():
            old = element.get("id")
            element.set("id", paragraph_id(int(paragraph)))
            if old:
                renamed[old] = element.get("id", "")
    for img in list(root.iter("img")):
        if img.getparent() is not None and img.getparent().get(ILLUSTRATION_MARK):
            continue
        match = _BOOK_IMAGE.match(img.get("src") or "")
        href = links.image_href(match.group(1)) if match else None
        if href is None:
            _remove(img)
            continue
        img.set("src", href)
        img.set("alt", img.get("alt") or "")
        for size in ("width", "height"):
            if not _DIGITS.match(img.get(size) or ""):
                img.attrib.pop(size, None)
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for link in root.iter("a"):
        href = link.attrib.pop("href", None) or ""
        note_id = link.get("data-note")
        position = _POSITION.match(href)
        note = _NOTE.match(href)
        if note and note_id:
            anchor = links.note_anchor(note_id)
            if anchor is not None:
                link.set("href", f"#{anchor}")
                link.set(EPUB_TYPE, "noteref")
                if note_id not in notes:
                    notes.append(note_id)
        elif position:
            target = position_href(links, int(position[1]), int(position[2]), chapter)
            if target is not None:
                link.set("href", target)
        elif href.startswith("#") and len(href) > 1:
            fragment = renamed.get(href[1:], href[1:])
            if fragment in ids:
                link.set("href", f"#{fragment}")
    _tidy(root)
    return notes


def _tidy(root: etree._Element) -> None:
    """What XHTML asks beyond HTML: unique ids, no obsolete elements, well-formed values."""
    seen: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in _OWN_ATTRIBUTES:
            element.attrib.pop(name, None)
        if element.tag in _AS_SPAN:
            element.set("class", " ".join(filter(None, [element.get("class"), element.tag])))
            element.attrib.pop("datetime", None)
            element.tag = "span"
        identifier = element.get("id")
        if identifier is not None:
            if identifier in seen or not identifier[:1].isalpha():
                element.attrib.pop("id")
            else:
                seen.add(identifier)
        language = element.get("lang")
        if language is not None and not _LANGUAGE.match(language):
            element.attrib.pop("lang")
        if element.get("dir") not in (None, "ltr", "rtl", "auto"):
            element.attrib.pop("dir")
        if element.tag == "ol" and not _DIGITS.match(element.get("start") or "1"):
            element.attrib.pop("start")
        if element.tag in ("td", "th"):
            for span in ("colspan", "rowspan"):
                if not _DIGITS.match(element.get(span) or "1") or element.get(span) == "0":
                    element.attrib.pop(span, None)


def _remove(element: etree._Element) -> None:
    """Detach an element, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _to_xhtml(root: etree._Element) -> list[etree._Element]:
    """The root's children as elements in the XHTML namespace (copied, iteratively: books nest
    deeper than Python's recursion limit allows a recursive copy)."""
    holder = etree.Element(f"{{{XHTML_NS}}}div", nsmap={None: XHTML_NS, "epub": OPS_NS})
    holder.text = root.text
    stack = [(source, holder) for source in reversed(list(root))]
    while stack:
        source, parent = stack.pop()
        if not isinstance(source.tag, str):  # comments, processing instructions
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + (source.tail or "")
            else:
                parent.text = (parent.text or "") + (source.tail or "")
            continue
        copy = etree.SubElement(parent, f"{{{XHTML_NS}}}{source.tag}")
        for name, value in source.attrib.items():
            copy.set(name, value)
        copy.text, copy.tail = source.text, source.tail
        stack.extend((child, copy) for child in reversed(list(source)))
    children = list(holder)
    if holder.text and holder.text.strip():
        span = etree.Element(f"{{{XHTML_NS}}}span")
        span.text = holder.text
        children.insert(0, span)
    return children
