"""KOReader's place in an EPUB or FB2 book (a crengine XPointer) ↔ our place (chapter,
character offset), and its share of the book ↔ ours.

KOReader builds one DOM of the whole EPUB: every spine entry N (1-based) becomes
`/body/DocFragment[N]`, holding that file's `<body>`. A place is a path into it,
`/body/DocFragment[12]/body/div/p[5]/text().42`: each step names an element and, when its
parent has several of that name, its 1-based position among them (crengine's
`ldomXPointer::toStringV2`; newer crengine writes `[1]` too, so both are read); `text()[k].c`
is character c of the k-th text node. An FB2 book is one DOM as it is:
`/FictionBook/body/section[2]/p[5]/text().10`. Parse keeps, for every paragraph, the
path of its element in the original file (`Chapter.sources`), so a place maps to the paragraph
whose element it is in. Inside a paragraph the offset is exact when the place is in the
paragraph's own first text node, else the paragraph's start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROOT = re.compile(
    r"^(?:/body(?:\[1\])?/DocFragment\[(\d{1,6})\](?:/body(?:\[1\])?)?|/FictionBook(?:\[1\])?)"
    r"(?=/|\.|$)"
)
_STEP = re.compile(r"^([A-Za-z_][\w.-]*)(?:\[(\d{1,6})\])?$")
_TEXT = re.compile(r"^text\(\)(?:\[(\d{1,6})\])?$")
_POINT = re.compile(r"\.(\d{1,9})$")


@dataclass(frozen=True)
class ChapterLayout:
    """What mapping needs of a stored chapter."""

    index: int
    length: int  # characters of its text
    linear: bool
    paragraphs: list[tuple[int, int]]
    sources: list[str]  # one XPointer per paragraph (EPUB), else []


@dataclass(frozen=True)
class XPointer:
    fragment: int  # the EPUB spine entry (1-based); 0 in an FB2 book
    steps: tuple[tuple[str, int], ...]  # (element name, position among same-named siblings)
    text_node: int | None  # k of `text()[k]`, None when the place is an element
    offset: int


def parse(value: str) -> XPointer | None:
    """An EPUB or FB2 XPointer as KOReader writes it; None for anything else (a PDF page)."""
    root = _ROOT.match(value)
    if root is None:
        return None
    rest = value[root.end() :]
    offset = 0
    point = _POINT.search(rest)
    if point is not None:
        offset, rest = int(point.group(1)), rest[: point.start()]
    steps: list[tuple[str, int]] = []
    text_node = None
    parts = [part for part in rest.split("/") if part] if rest else []
    for n, part in enumerate(parts):
        text = _TEXT.match(part)
        if text is not None and n == len(parts) - 1:
            text_node = int(text.group(1) or 1)
            break
        step = _STEP.match(part)
        if step is None:
            return None
        steps.append((step.group(1), int(step.group(2) or 1)))
    return XPointer(int(root.group(1) or 0), tuple(steps), text_node, offset)


def _source(value: str) -> tuple[int, tuple[tuple[str, int], ...]] | None:
    parsed = parse(value)
    return (parsed.fragment, parsed.steps) if parsed is not None else None


def to_place(value: str, chapters: list[ChapterLayout]) -> tuple[int, int] | None:
    """(chapter, offset) of a KOReader place in the EPUB we store; None when the chapters keep
    no sources or the place is in no file that became text (fall back to the percentage)."""
    place = parse(value)
    if place is None:
        return None
    candidates: list[tuple[int, int, tuple[tuple[str, int], ...]]] = []  # (chapter, paragraph)
    later: tuple[int, int] | None = None
    for chapter in chapters:
        for n, source in enumerate(chapter.sources):
            parsed = _source(source)
            if parsed is None:
                continue
            if parsed[0] == place.fragment:
                candidates.append((chapter.index, n, parsed[1]))
            elif parsed[0] > place.fragment and later is None:
                later = (chapter.index, chapter.paragraphs[n][0])
    by_index = {chapter.index: chapter for chapter in chapters}
    best: tuple[int, int, int] | None = None  # (matched steps, chapter, paragraph)
    for chapter_index, n, steps in candidates:
        if place.steps[: len(steps)] == steps and (best is None or len(steps) > best[0]):
            best = (len(steps), chapter_index, n)
    if best is not None:
        _, chapter_index, n = best
        start, end = by_index[chapter_index].paragraphs[n]
        _, _, steps = next(c for c in candidates if c[:2] == (chapter_index, n))
        inside = place.offset if steps == place.steps and place.text_node == 1 else 0
        return chapter_index, min(start + inside, end)
    inner = next((c for c in candidates if c[2][: len(place.steps)] == place.steps), None)
    first = inner or (candidates[0] if candidates else None)
    if first is not None:
        return first[0], by_index[first[0]].paragraphs[first[1]][0]
    return later


def to_xpointer(chapter: int, offset: int, chapters: list[ChapterLayout]) -> str | None:
    """The KOReader place of the paragraph holding (chapter, offset); None without sources."""
    layout = next((c for c in chapters if c.index == chapter), None)
    if layout is None or not layout.sources or len(layout.sources) != len(layout.paragraphs):
        return None
    n = 0
    for i, (start, _) in enumerate(layout.paragraphs):
        if start <= offset:
            n = i
    return f"{layout.sources[n]}.0"


def to_fraction(chapter: int, offset: int, chapters: list[ChapterLayout]) -> float:
    """The share of the book's text before (chapter, offset), 0–1."""
    total = sum(c.length for c in chapters) or 1
    before = sum(c.length for c in chapters if c.index < chapter)
    here = next((c.length for c in chapters if c.index == chapter), 0)
    return min(1.0, (before + min(max(offset, 0), here)) / total)


def from_fraction(fraction: float, chapters: list[ChapterLayout]) -> tuple[int, int] | None:
    """(chapter, offset) at that share of the book's text (at a paragraph's start)."""
    if not chapters:
        return None
    total = sum(c.length for c in chapters)
    target = max(0.0, min(1.0, fraction)) * total
    for chapter in chapters:
        if target <= chapter.length or chapter is chapters[-1]:
            starts = [s for s, _ in chapter.paragraphs if s <= target] or [0]
            return chapter.index, min(starts[-1], chapter.length)
        target -= chapter.length
    return None  # unreachable: the last chapter answers
