"""Anchors in a chapter's plain text that survive a re-parse: the quoted text with a little
context on either side (the idea of the W3C Web Annotation text quote selector), placed
again in a changed text by the quote, the context and the old offset.

Highlights, bookmarks and descriptions (and the pictures drawn of them) all point into the
text by offsets; when a parser fix moves the offsets, each is found again here. Pure: text
in, offsets out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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

    An exact match is tried first, then one that ignores differences of whitespace and of
    invisible characters (what parser fixes usually change)."""
    if not quote.exact:
        return None
    found = _best(text, quote, near)
    if found is not None:
        return found
    return _locate_normalised(text, quote, near)


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


def _best(text: str, quote: TextQuote, near: int) -> tuple[int, int] | None:
    best: tuple[tuple[int, int], int] | None = None
    start = text.find(quote.exact)
    seen = 0
    while start != -1 and seen < _MAX_CANDIDATES:
        end = start + len(quote.exact)
        score = (_context_score(text, start, end, quote), -abs(start - near))
        if best is None or score > best[0]:
            best = (score, start)
        seen += 1
        start = text.find(quote.exact, start + 1)
    if best is None:
        return None
    return best[1], best[1] + len(quote.exact)


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


def _locate_normalised(text: str, quote: TextQuote, near: int) -> tuple[int, int] | None:
    exact = _squash(quote.exact).strip()
    if not exact:
        return None
    flat, offsets = _normalise(text)
    flat_near = next((i for i, offset in enumerate(offsets) if offset >= near), len(flat))
    squashed = TextQuote(exact, _squash(quote.prefix), _squash(quote.suffix))
    found = _best(flat, squashed, flat_near)
    if found is None:
        return None
    start, end = found
    return offsets[start], offsets[end - 1] + 1
