"""OPDS 2.0 (JSON, https://drafts.opds.io/opds-2.0): the catalogue's feeds (`Feed`, the same
data `atom.py` writes as Atom) as `application/opds+json`.

An entry holding an acquisition link is a publication (`publications`, with Readium Web
Publication metadata, its links and its `images`); any other entry is one link of the feed's
`navigation`, titled. Paged feeds carry `numberOfItems`, `itemsPerPage` and `currentPage`.

A book without a cover has no `images`: the draft asks every publication for at least one (JPEG,
PNG or GIF), but a made-up picture would show a cover the book does not have. A cover stored in
another format (WebP) is listed with its own type. Both are known departures from the draft,
recorded in docs/e-readers.md.
"""

from __future__ import annotations

import re
from typing import Any

from bookreader.opds.atom import (
    REL_ACQUISITION,
    REL_IMAGE,
    REL_THUMBNAIL,
    Entry,
    Feed,
    Link,
    timestamp,
)

BOOK_TYPE = "http://schema.org/Book"
# A BCP 47 tag's shape (language, then subtags): the metadata schema refuses anything else, and
# a book's language comes from its own file.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

Json = dict[str, Any]


def render_feed(feed: Feed) -> Json:
    metadata: Json = {"title": feed.title, "modified": timestamp(feed.updated)}
    if feed.subtitle:
        metadata["subtitle"] = feed.subtitle
    if feed.paging is not None:
        metadata["numberOfItems"] = feed.paging.total
        metadata["itemsPerPage"] = feed.paging.per_page
        metadata["currentPage"] = (feed.paging.start_index - 1) // feed.paging.per_page + 1
    document: Json = {"metadata": metadata, "links": [_link(link) for link in feed.links]}
    publications = [entry for entry in feed.entries if _is_publication(entry)]
    sections = [entry for entry in feed.entries if not _is_publication(entry)]
    if publications or not sections:
        document["publications"] = [render_publication(entry) for entry in publications]
    if sections:
        document["navigation"] = [
            {**_link(entry.links[0]), "title": entry.title} for entry in sections
        ]
    return document


def render_publication(entry: Entry) -> Json:
    metadata: Json = {
        "@type": BOOK_TYPE,
        "identifier": entry.id,
        "title": entry.title,
        "modified": timestamp(entry.updated),
        "description": entry.content,
    }
    if entry.authors:
        metadata["author"] = [{"name": name} for name in entry.authors]
    if entry.language and _LANGUAGE_TAG.match(entry.language):
        metadata["language"] = entry.language
    if entry.publisher:
        metadata["publisher"] = entry.publisher
    if entry.categories:
        metadata["subject"] = [{"name": term} for term in entry.categories]
    pictures = [link for link in entry.links if link.rel in (REL_IMAGE, REL_THUMBNAIL)]
    document: Json = {
        "metadata": metadata,
        "links": [_link(link) for link in entry.links if link not in pictures],
    }
    if pictures:
        # The cover first, then its thumbnail; a list of the same picture's sizes needs no rel.
        document["images"] = [{"href": link.href, "type": link.type} for link in pictures]
    return document


def _is_publication(entry: Entry) -> bool:
    return any(link.rel == REL_ACQUISITION for link in entry.links)


def _link(link: Link) -> Json:
    out: Json = {"href": link.href, "rel": link.rel, "type": link.type}
    if link.title:
        out["title"] = link.title
    if link.templated:
        out["templated"] = True
    return out
