"""EPUB content documents: safe loading, clean-up, and paragraph extraction.

A content document becomes a list of `Block`s — the block-level elements that hold text, in
reading order — and the same elements get `data-p` in the chapter's HTML, so the plain text
and the HTML are built from one walk and always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from bookreader.books.escaped_refs import decode_escaped_references
from bookreader.books.limits import Deadline, ParseLimits
from bookreader.books.paragraph_text import (
    SOFT_HYPHEN,
    element_text,
    remove,
    settle_element,
    text_before,
)
from bookreader.books.safety import SafeZip, check_depth, parse_xml
from bookreader.books.source_paths import source_paths
from bookreader.errors import BookReaderError

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
SVG_NS = "http://www.w3.org/2000/svg"

BLOCK_TAGS = {
    *("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details"),
    *("dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "main"),
    *("nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th"),
    *("thead", "tr", "ul"),
}
TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Removed with their content: code, fallbacks a browser would not show. Ruby annotations stay
# in the HTML (the reader shows them) but not in the text (see paragraph_text).
DROPPED_TAGS = {
    *("script", "style", "noscript", "template", "canvas", "audio", "video", "object"),
    *("embed", "iframe", "button", "input", "select", "textarea", "math"),
    *("epub-case", "head", "title", "link", "meta", "base"),
}
UNWRAPPED_TAGS = {"epub-switch", "epub-default"}  # epub:switch shows its XHTML fallback
NOTE_TYPES = {"footnote", "endnote", "rearnote", "note", "annotation"}


@dataclass
class Document:
    path: str
    body: etree._Element
    ids: dict[str, etree._Element] = field(default_factory=dict)
    direction: str | None = None  # `dir` of <body> or <html>, if it says ltr or rtl
    language: str | None = None  # `lang` of <body> or <html>
    # Each source element's path below <body> as KOReader writes it ("div/p[3]"), taken before
    # any clean-up changes the tree (`books.source_paths`).
    sources: dict[etree._Element, str] = field(default_factory=dict)


@dataclass
class Block:
    element: etree._Element
    text: str
    heading: int  # 1-6 for h1-h6, 0 otherwise


@dataclass
class Extraction:
    blocks: list[Block]
    anchors: dict[str, int]  # element id → index of the block it starts (len(blocks) = end)


def epub_types(element: etree._Element) -> set[str]:
    return set((element.get("epub-type") or "").split())


def load_document(archive: SafeZip, path: str, limits: ParseLimits) -> Document | None:
    """Parse one XHTML document safely; None if it is missing or hopelessly broken.

    Entity declarations and absurd nesting still fail the book: those are attacks, not defects.
    """
    try:
        data = archive.read(path)
    except KeyError:
        return None
    try:
        root = parse_xml(data, limits, allow_doctype=True)
    except BookReaderError as error:
        if error.code not in ("xml_malformed", "encoding_invalid"):
            raise
        root = _parse_as_html(data, limits)  # tag soup and HTML named entities (&nbsp;)
        if root is None:
            return None
    _normalise_names(root)
    body = next((e for e in root.iter("body")), None)
    if body is None:
        return None
    decode_escaped_references(body)
    direction = (body.get("dir") or root.get("dir") or "").strip().lower()
    language = body.get("lang") or root.get("lang")
    sources = source_paths(body)
    _clean(body)
    ids: dict[str, str] = {}
    for element in body.iter():
        for key in ("id", "name"):
            value = element.get(key)
            if value and (key == "id" or element.tag == "a"):
                ids.setdefault(value, element)
    return Document(
        path, body, ids, direction if direction in ("ltr", "rtl") else None, language, sources
    )


def _parse_as_html(data: bytes, limits: ParseLimits) -> etree._Element | None:
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    check_depth(root, limits.max_xml_depth)
    _make_xml_safe(root)
    return root


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
# Characters XML cannot hold: the HTML parser keeps them, and lxml then refuses to set any text
# or attribute that contains them (or even to read an attribute by such a name).
_NOT_XML = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]")


def _make_xml_safe(root: etree._Element) -> None:
    """Tag soup as lxml can edit it: no control characters in text, attributes whose names
    are names (tag names are checked by `_normalise_names`)."""
    for element in root.iter():
        if element.text and _NOT_XML.search(element.text):
            element.text = _NOT_XML.sub("", element.text)
        if element.tail and _NOT_XML.search(element.tail):
            element.tail = _NOT_XML.sub("", element.tail)
        attributes = element.attrib.items()
        if any(not _NAME.fullmatch(k) or _NOT_XML.search(v) for k, v in attributes):
            element.attrib.clear()
            for name, value in attributes:
                if _NAME.fullmatch(name):
                    element.set(name, _NOT_XML.sub("", value))


def _normalise_names(root: etree._Element) -> None:
    """Drop namespaces so the rest works on plain HTML names (epub:type → epub-type)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace, _, name = element.tag.rpartition("}")
        namespace = namespace.lstrip("{")
        if namespace in ("", XHTML_NS):
            name = name.lower() if ":" not in name else "x-" + name.replace(":", "-")
            # Tag soup read by the HTML parser can have names no element may carry (`o<l`).
            element.tag = name if _NAME.fullmatch(name) and ":" not in name else "x-invalid"
        elif namespace == OPS_NS:
            element.tag = "epub-" + name
        elif namespace == SVG_NS:
            element.tag = "svg" if name == "svg" else "svg-" + name
        else:
            element.tag = "x-" + name
        for key in list(element.attrib):
            value = element.attrib.pop(key)
            space, _, attribute = key.rpartition("}")
            if key in ("epub:type", f"{{{OPS_NS}}}type"):
                element.set("epub-type", value)
            elif attribute == "href" and space:  # xlink:href on SVG images
                element.set("xlink-href", value)
            elif attribute == "lang" and space:
                element.set("lang", element.get("lang") or value)
            elif not space and ":" not in key:
                element.set(key, value)
    etree.cleanup_namespaces(root)


def _clean(body: etree._Element) -> None:
    for svg in list(body.iter("svg")):
        image = next((e for e in svg.iter() if e.tag in ("svg-image", "image")), None)
        href = image.get("xlink-href") or image.get("href") if image is not None else None
        if href:  # the usual EPUB 3 cover page: an SVG wrapper around one bitmap
            replacement = etree.Element("img", src=href, alt="")
            replacement.tail = svg.tail
            svg.addprevious(replacement)
            svg.getparent().remove(svg)
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or (
            element.tag in DROPPED_TAGS
            or element.tag.startswith(("svg", "x-", "epub-c"))
            or "pagebreak" in epub_types(element)
            or is_added_illustration(element)
        ):
            remove(element)
    for element in list(body.iter(*UNWRAPPED_TAGS)):
        unwrap(element)


def is_added_illustration(element: etree._Element) -> bool:
    """A picture our export placed after a passage: its caption repeats the passage, so it is
    not the book's text (an exported book parses back to the same chapters)."""
    return element.tag == "figure" and element.get("data-illustration") is not None


def unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    children = list(element)
    if element.text:
        text_before(element, element.text)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if element.tail:
        last = children[-1] if children else element.getprevious()
        if last is not None:
            last.tail = (last.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def has_text(raw: str | None) -> bool:
    return any(not char.isspace() and char != SOFT_HYPHEN for char in raw or "")


def extract_blocks(root: etree._Element, deadline: Deadline) -> Extraction:
    """The text blocks under `root` in reading order; inline runs that sit beside blocks
    (`<div>text<p>…</p></div>`) are wrapped in their own element so each is one paragraph."""
    return _Walker(root, deadline).run()


class _Walker:
    def __init__(self, root: etree._Element, deadline: Deadline) -> None:
        self.root = root
        self.deadline = deadline
        self.blocks: list[Block] = []
        self.anchors: dict[str, int] = {}
        self.pending: list[str] = []
        self.has_block: dict[etree._Element, bool] = {}
        self.steps = 0

    def run(self) -> Extraction:
        elements = list(self.root.iter())
        for element in reversed(elements):  # children before parents
            self.has_block[element] = any(
                child.tag in BLOCK_TAGS or self.has_block.get(child, False) for child in element
            )
        self.has_block[self.root] = True  # the root is always a container, never a paragraph
        self._walk(self.root)
        for anchor in self.pending:
            self.anchors.setdefault(anchor, len(self.blocks))
        return Extraction(self.blocks, self.anchors)

    def _walk(self, element: etree._Element) -> None:
        self.steps += 1
        if self.steps % 500 == 0:
            self.deadline.check()
        self.pending += _own_ids(element)
        if not self.has_block.get(element, False):
            self._leaf(element)
            return
        run_text, run_after = element.text, None
        run_nodes: list[Any] = []
        for child in list(element):
            if child.tag in BLOCK_TAGS or self.has_block.get(child, False):
                self._flush(element, run_text, run_nodes, run_after)
                self._walk(child)
                run_text, run_nodes, run_after = child.tail, [], child
            else:
                run_nodes.append(child)
        self._flush(element, run_text, run_nodes, run_after)

    def _flush(
        self,
        parent: etree._Element,
        text: str | None,
        nodes: list[etree._Element],
        after: etree._Element | None,
    ) -> None:
        if not (has_text(text) or any(element_text(n) or has_text(n.tail) for n in nodes)):
            for node in nodes:
                for inner in node.iter():
                    self.pending += _own_ids(inner)
            return
        inline_parent = parent.tag in ("p", "li", "dt", "dd", "td", "th", "a", *HEADINGS)
        wrapper = etree.Element("span" if inline_parent else "div")
        outer = wrapper
        if parent.tag in TABLE_PARTS:  # anything else there would be moved before the table
            wrapper = etree.Element("td")
            outer = wrapper if parent.tag == "tr" else etree.Element("tr")
            if outer is not wrapper:
                outer.append(wrapper)
        wrapper.text = text
        if after is None:
            parent.text = None
            index = 0
        else:
            after.tail = None
            index = parent.index(after) + 1
        parent.insert(index, outer)
        for node in nodes:
            wrapper.append(node)
        self._leaf(wrapper)

    def _leaf(self, element: etree._Element) -> None:
        text = settle_element(element)  # from here on its HTML text is exactly `text`
        ids = [i for inner in element.iter() for i in _own_ids(inner)]
        if not text:
            self.pending += ids
            return
        index = len(self.blocks)
        for anchor in [*self.pending, *ids]:
            self.anchors.setdefault(anchor, index)
        self.pending = []
        self.blocks.append(Block(element, text, HEADINGS.get(element.tag, 0)))


def _own_ids(element: etree._Element) -> list[str]:
    ids = [element.get("id", "")]
    if element.tag == "a":
        ids.append(element.get("name", ""))
    return [i for i in ids if i]


NOTE_FRAGMENT = re.compile(
    r"(?i)^(?:fn|ftn|footnote|foot|note|endnote|en|rn)[-_:.]?\d+(?:[-_.]\d+)*$"
)
NOTE_CLASS = re.compile(r"(?i)noteref|fnanchor|footnote|fnref")
NOTE_CONTAINERS = {"p", "div", "aside", "article", "li", "dd", "section", "blockquote", "td"}


def is_note_element(element: etree._Element) -> bool:
    return bool(epub_types(element) & NOTE_TYPES)


def looks_like_note_ref(link: etree._Element, fragment: str) -> bool:
    """`<a href="#fn1">1</a>`-style references in books without epub:type."""
    if "noteref" in epub_types(link):
        return True
    label = element_text(link)
    if not label or len(label) > 8:
        return False
    return bool(NOTE_FRAGMENT.match(fragment) or NOTE_CLASS.search(link.get("class") or ""))


def note_container(target: etree._Element, body: etree._Element) -> etree._Element | None:
    """The block holding a note whose anchor is `target` (the target itself if it is one)."""
    element: etree._Element | None = target
    while element is not None and element is not body:
        if is_note_element(element) or element.tag in NOTE_CONTAINERS:
            return element
        element = element.getparent()
    return None
