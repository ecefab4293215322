"""Atom feeds (RFC 4287) as OPDS 1.2 uses them: a feed is data (`Feed`, `Entry`, `Link`), and
`render_feed` writes it with lxml, so every feed is well-formed and every text escaped.

Every entry has `content` (Atom requires content or an alternate link), every feed and entry
an `id` (a stable URN), a `title` and an `updated`; the feed names its author once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/terms/"
OPDS_NS = "http://opds-spec.org/2010/catalog"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
_NAMESPACES = {None: ATOM_NS, "dc": DC_NS, "opds": OPDS_NS, "opensearch": OPENSEARCH_NS}

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_DESCRIPTION = "application/opensearchdescription+xml"

REL_ACQUISITION = "http://opds-spec.org/acquisition"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
REL_SORT_NEW = "http://opds-spec.org/sort/new"
# The OPDS 2.0 twin of a feed, which Atom feeds advertise as an alternate.
OPDS_JSON = "application/opds+json"


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str
    title: str | None = None
    length: int | None = None
    # OPDS 2.0 only: `href` is a URI template (RFC 6570), e.g. the search link's `{?query}`.
    templated: bool = False


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime
    content: str
    links: list[Link]
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    language: str | None = None
    publisher: str | None = None
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Paging:
    """Where a page sits in its list: `opensearch:` counts in Atom, `numberOfItems`,
    `itemsPerPage` and `currentPage` in OPDS 2.0."""

    total: int
    start_index: int
    per_page: int


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    updated: datetime
    author: str
    links: list[Link]
    entries: list[Entry]
    subtitle: str | None = None
    paging: Paging | None = None


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second: `2026-12-05T19:00:00Z`."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_feed(feed: Feed) -> bytes:
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap=_NAMESPACES)
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    _text(root, "updated", timestamp(feed.updated))
    author = etree.SubElement(root, f"{{{ATOM_NS}}}author")
    _text(author, "name", feed.author)
    for link in feed.links:
        _link(root, link)
    if feed.paging is not None:
        for name, value in (
            ("totalResults", feed.paging.total),
            ("startIndex", feed.paging.start_index),
            ("itemsPerPage", feed.paging.per_page),
        ):
            etree.SubElement(root, f"{{{OPENSEARCH_NS}}}{name}").text = str(value)
    for entry in feed.entries:
        _entry(root, entry)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _entry(parent: etree._Element, entry: Entry) -> None:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}entry")
    _text(element, "title", entry.title)
    _text(element, "id", entry.id)
    _text(element, "updated", timestamp(entry.updated))
    if entry.published is not None:
        _text(element, "published", timestamp(entry.published))
    for name in entry.authors:
        author = etree.SubElement(element, f"{{{ATOM_NS}}}author")
        _text(author, "name", name)
    for term in entry.categories:
        category = etree.SubElement(element, f"{{{ATOM_NS}}}category")
        category.set("term", term)
        category.set("label", term)
    if entry.language:
        etree.SubElement(element, f"{{{DC_NS}}}language").text = _xml_safe(entry.language)
    if entry.publisher:
        etree.SubElement(element, f"{{{DC_NS}}}publisher").text = _xml_safe(entry.publisher)
    _text(element, "content", entry.content).set("type", "text")
    for link in entry.links:
        _link(element, link)


def _text(parent: etree._Element, name: str, value: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}")
    child.text = _xml_safe(value)
    return child


def _link(parent: etree._Element, link: Link) -> None:
    element = etree.SubElement(parent, f"{{{ATOM_NS}}}link")
    element.set("rel", link.rel)
    element.set("href", link.href)
    element.set("type", link.type)
    if link.title:
        element.set("title", _xml_safe(link.title))
    if link.length is not None:
        element.set("length", str(link.length))


def _xml_safe(text: str) -> str:
    # A book's metadata may hold characters XML 1.0 cannot carry (control characters).
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r"
        or ("\x20" <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd")
        or ch > "\uffff"
    )
