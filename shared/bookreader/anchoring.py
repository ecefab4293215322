"""Anchors in a chapter's plain text that survive a re-parse: the quoted text with a little
context on either side (the idea of the W3C Web Annotation text quote selector), placed
again in a changed text by the quote, the context and the old offset.

Highlights, bookmarks and descriptions (and the pictures drawn of them) all point into the
text by offsets; when a parser fix moves the offsets, each is found again here. Pure: text
in, offsets out.
"""

from __future__ import annotations

import difflib
import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

CONTEXT_CHARS = 32  # prefix and suffix kept beside the quote
_MAX_CANDIDATES = 2_000  # occurrences of a very common quote weighed at most
_WHITESPACE = re.compile(r"\s+")
_IGNORED = "\u00ad\u200b"  # soft hyphen, zero-width space: a parser fix may add or drop them


@dataclass(frozen=True)
class TextQuote:
    """What the anchor says: `exact` is the text at the span, `prefix`/`suffix` what
    came just before and after it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placement:
    chapter: int
    start: int
    end: int


def quote_at(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> TextQuote:
    """The quote of `text[start:end]` with its context."""
    return TextQuote(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def point_quote(text: str, offset: int, context: int = CONTEXT_CHARS) -> TextQuote:
    """A point (a bookmark) as a quote: the text that follows it as `exact`; at the very end
    of the text `exact` is empty and the `prefix` alone says where it is."""
    return quote_at(text, offset, min(len(text), offset + context), context)


def locate(text: str, quote: TextQuote, near: int = 0) -> tuple[int, int] | None:
    """Where `quote` is in `text`: the occurrence whose context agrees best, the nearest to
    `near` among equals; None when the quote is not in the text at all.

    Occurrences are found as they are and also ignoring differences of whitespace and of
    invisible characters (what parser fixes usually change), and weighed together: a passage
    whose spaces changed is not passed over for an untouched copy of it elsewhere."""
    if not quote.exact:
        return None
    candidates = dict(_occurrences(text, quote))
    flat, offsets = _normalise(text)
    squashed = TextQuote(_squash(quote.exact).strip(), _squash(quote.prefix), _squash(quote.suffix))
    if squashed.exact:
        for (start, end), score in _occurrences(flat, squashed):
            span = (offsets[start], offsets[end - 1] + 1)
            candidates[span] = max(score, candidates.get(span, -1))
    if not candidates:
        return None
    return max(candidates, key=lambda span: (candidates[span], -abs(span[0] - near), -span[0]))


def relocate(
    chapters: Sequence[str], chapter: int, quote: TextQuote, near: int = 0
) -> Placement | None:
    """`locate` in a whole book: in its own chapter first, then the other chapters nearest
    first (a parser fix may also split or merge chapters)."""
    order = sorted(range(len(chapters)), key=lambda index: (abs(index - chapter), index))
    for index in order:
        found = locate(chapters[index], quote, near if index == chapter else 0)
        if found is not None:
            return Placement(index, *found)
    return None


def offset_mapper(old: str, new: str) -> Callable[[int], int]:
    """Where an offset of `old` most likely lies in `new`, through the paragraphs the two texts
    share (a diff of their paragraphs; a chapter's paragraphs are joined by a blank line): in a
    paragraph kept as it was, the same character; in one that changed, the same distance into
    its replacement. The hint `locate` prefers among equally good matches, so a passage that
    also appears elsewhere (a refrain, a repeated paragraph) is placed where the text moved."""
    old_paragraphs, new_paragraphs = old.split("\n\n"), new.split("\n\n")
    old_starts, new_starts = _starts(old_paragraphs), _starts(new_paragraphs)
    changes = difflib.SequenceMatcher(
        None, old_paragraphs, new_paragraphs, autojunk=False
    ).get_opcodes()

    def mapped(offset: int) -> int:
        index = max(0, bisect_right(old_starts, offset) - 1)
        within = offset - old_starts[index]
        for tag, i1, i2, j1, j2 in changes:
            if not i1 <= index < i2:
                continue
            if tag == "equal":
                return new_starts[j1 + index - i1] + within
            if j2 > j1:
                target = j1 + min(j2 - j1 - 1, (index - i1) * (j2 - j1) // (i2 - i1))
                return new_starts[target] + min(within, len(new_paragraphs[target]))
            return new_starts[j1] if j1 < len(new_starts) else len(new)
        return min(offset, len(new))

    return mapped


def hint_for(before: Mapping[int, str], after: Sequence[str]) -> Callable[[int, int], int]:
    """(chapter, old offset) → the `offset_mapper` hint in that chapter's new text (the old
    offset itself when the old text is unknown or the chapter is gone)."""
    mappers: dict[int, Callable[[int], int]] = {}

    def hint(chapter: int, offset: int) -> int:
        old = before.get(chapter)
        if old is None or chapter >= len(after):
            return offset
        if chapter not in mappers:
            mappers[chapter] = offset_mapper(old, after[chapter])
        return mappers[chapter](offset)

    return hint


def _starts(paragraphs: list[str]) -> list[int]:
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph) + 2
    return starts


def relocate_point(
    chapters: Sequence[str], chapter: int, quote: TextQuote, near: int = 0
) -> tuple[int, int] | None:
    """`relocate` for a point made by `point_quote`: (chapter, offset)."""
    if not quote.exact and not quote.prefix:  # an empty chapter: its start, if it is still there
        return (chapter, 0) if chapter < len(chapters) and not chapters[chapter] else None
    if quote.exact:
        found = relocate(chapters, chapter, quote, near)
        return (found.chapter, found.start) if found else None
    found = relocate(chapters, chapter, TextQuote(quote.prefix), max(0, near - len(quote.prefix)))
    return (found.chapter, found.end) if found else None


def _occurrences(text: str, quote: TextQuote) -> list[tuple[tuple[int, int], int]]:
    """Each (start, end) where `quote.exact` is in `text`, with how well its context agrees."""
    found: list[tuple[tuple[int, int], int]] = []
    start = text.find(quote.exact)
    while start != -1 and len(found) < _MAX_CANDIDATES:
        end = start + len(quote.exact)
        found.append(((start, end), _context_score(text, start, end, quote)))
        start = text.find(quote.exact, start + 1)
    return found


def _context_score(text: str, start: int, end: int, quote: TextQuote) -> int:
    """How many characters of the prefix and suffix agree, read outwards from the span."""
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    return _common_suffix(before, quote.prefix) + _common_prefix(after, quote.suffix)


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


@functools.lru_cache(maxsize=32)  # one chapter is searched for every anchor in it
def _normalise(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as one space and invisible characters gone, and for each
    character of the result its offset in `text` (plus one entry for the end)."""
    out: list[str] = []
    offsets: list[int] = []
    in_space = False
    for index, char in enumerate(text):
        if char in _IGNORED:
            continue
        if char.isspace():
            if in_space:
                continue
            in_space = True
            char = " "
        else:
            in_space = False
        out.append(char)
        offsets.append(index)
    offsets.append(len(text))
    return "".join(out), offsets


def _squash(value: str) -> str:
    return _WHITESPACE.sub(" ", "".join(char for char in value if char not in _IGNORED))
