"""EPUB tables of contents: the EPUB 3 nav document or the EPUB 2 NCX, as a tree of
(label, archive path, fragment) that the parser later maps to (chapter, offset)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from bookreader.books.epub_content import Document, element_text, epub_types
from bookreader.books.epub_package import clean, local, resolve
from bookreader.books.model import TocEntry

Locate = Callable[[str, str], tuple[int, int] | None]  # (path, fragment) → (chapter, offset)


@dataclass
class RawEntry:
    title: str
    path: str | None
    fragment: str
    children: list[RawEntry] = field(default_factory=list)


def nav_entries(nav: Document) -> list[RawEntry]:
    """Entries of the nav document's `toc` nav (or its first nav), nested by `ol`/`li`."""
    navs = list(nav.body.iter("nav"))
    toc = next((n for n in navs if "toc" in epub_types(n)), navs[0] if navs else None)
    if toc is None:
        return []
    top = next(toc.iter("ol", "ul"), None)
    return _list_entries(top, nav.path) if top is not None else []


def _list_entries(list_element: etree._Element, base: str) -> list[RawEntry]:
    entries = []
    for item in list_element:
        if item.tag != "li":
            continue
        label = next((c for c in item if c.tag not in ("ol", "ul")), None)
        sublist = next((c for c in item if c.tag in ("ol", "ul")), None)
        path, fragment = None, ""
        if label is not None and label.tag == "a" and label.get("href"):
            path, fragment = resolve(base, label.get("href", ""))
        children = _list_entries(sublist, base) if sublist is not None else []
        title = element_text(label) if label is not None else ""
        entries.append(RawEntry(title.replace("\n", " "), path, fragment, children))
    return entries


def ncx_entries(root: etree._Element, ncx_path: str) -> list[RawEntry]:
    nav_map = next((e for e in root.iter() if local(e) == "navMap"), None)
    return _nav_points(nav_map, ncx_path) if nav_map is not None else []


def _nav_points(parent: etree._Element, base: str) -> list[RawEntry]:
    entries = []
    for point in parent:
        if local(point) != "navPoint":
            continue
        label = next((e for e in point.iter() if local(e) == "text"), None)
        content = next((e for e in point if local(e) == "content"), None)
        path, fragment = resolve(base, content.get("src", "")) if content is not None else ("", "")
        title = clean(label.text) if label is not None else ""
        entries.append(RawEntry(title, path, fragment, _nav_points(point, base)))
    return entries


def build_toc(raw: list[RawEntry], locate: Locate) -> list[TocEntry]:
    """Map raw entries to positions; unreachable or unlabelled entries hand their children up."""
    entries: list[TocEntry] = []
    for item in raw:
        children = build_toc(item.children, locate)
        position = locate(item.path, item.fragment) if item.path else None
        if position is None and children:
            position = (children[0].chapter, children[0].offset)  # a label-only heading
        if position is None or not item.title:
            entries += children
            continue
        entries.append(
            TocEntry(title=item.title, chapter=position[0], offset=position[1], children=children)
        )
    return entries


def raw_paths(entries: list[RawEntry]) -> set[str]:
    """Every document the TOC points into."""
    paths = {entry.path for entry in entries if entry.path}
    for entry in entries:
        paths |= raw_paths(entry.children)
    return paths


def toc_depth(entries: list[TocEntry]) -> int:
    return max((1 + toc_depth(entry.children) for entry in entries), default=0)


def walk_toc(entries: list[TocEntry], depth: int = 0) -> list[tuple[TocEntry, int]]:
    """Every entry with its depth, in reading order."""
    flat = []
    for entry in entries:
        flat.append((entry, depth))
        flat += walk_toc(entry.children, depth + 1)
    return flat
