"""Where each element of a book's original XML is, as KOReader (crengine) names a place in it:
each step is the element's name, with its 1-based position among same-named siblings when its
parent has several (`section[2]/p[5]`, `div/h2`). Taken before any clean-up changes the tree,
so a paragraph can say where it came from (`Chapter.sources`)."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

Name = Callable[[etree._Element], str | None]  # an element's name, None: not counted


def plain_name(element: etree._Element) -> str | None:
    return element.tag if isinstance(element.tag, str) else None


def source_paths(root: etree._Element, name: Name = plain_name) -> dict[etree._Element, str]:
    """Every named element's path below `root` ("" for the root itself)."""
    paths: dict[etree._Element, str] = {root: ""}
    for parent in root.iter():
        base = paths.get(parent)
        if base is None:
            continue  # a comment, or inside an element that is not counted
        named = [(child, name(child)) for child in parent]
        counts: dict[str, int] = {}
        for _, tag in named:
            if tag is not None:
                counts[tag] = counts.get(tag, 0) + 1
        seen: dict[str, int] = {}
        for child, tag in named:
            if tag is None:
                continue
            seen[tag] = seen.get(tag, 0) + 1
            step = tag if counts[tag] == 1 else f"{tag}[{seen[tag]}]"
            paths[child] = f"{base}/{step}" if base else step
    return paths
