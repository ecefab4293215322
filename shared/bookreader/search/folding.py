"""Text folding shared by the index and the query: lower case, ё → е, accents off, invisible
characters (soft hyphens, zero-width spaces) gone.

Done in Python rather than with PostgreSQL's `unaccent`, which the embedded PostgreSQL lacks: the
same function folds both the indexed passage and the query, so they always agree. Folding can
change a text's length (a stress mark dropped, `İ` lower-cased to two characters), so it also
returns where each folded character came from, to turn offsets in the folded text back into
offsets in the book's text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that fold one-to-one by `str.lower()` and ё → е: ASCII, basic Cyrillic (without its
# combining marks U+0483–U+0489), Latin-1 punctuation and the general punctuation block. A text of
# only these folds without moving any offset.
_SAME_LENGTH = re.compile(
    r"[\x00-\x7f\u00a0-\u00ac\u00ae-\u00bf\u0400-\u0482\u048a-\u04ff\u2010-\u205f]*"
)
# A run of those characters, not ending in one a combining mark follows (that one is folded
# with its mark).
_SAME_LENGTH_RUN = re.compile(
    r"[\x00-\x7f\u00a0-\u00ac\u00ae-\u00bf\u0400-\u0482\u048a-\u04ff\u2010-\u205f]+"
    r"(?![\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
)
_YO = str.maketrans("ёЁ", "еЕ")
# Invisible inside words; PostgreSQL's parser would split a word at them.
_IGNORABLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
# The snippet markers (private use): never let a book's text contain them.
START_MARK, END_MARK = "\ue000", "\ue001"


@dataclass(frozen=True)
class Folded:
    """A folded text; `origin[i]` is where its character `i` starts in the original text and
    `origin_end[i]` where that original character (with its combining marks) ends. Both are None
    when folding kept every offset."""

    text: str
    origin: list[int] | None = None
    origin_end: list[int] | None = None

    def original_span(self, start: int, end: int, original_length: int) -> tuple[int, int]:
        """The span of the original text that folded into `text[start:end]`."""
        if self.origin is None or self.origin_end is None:
            return start, end
        if start >= len(self.origin):
            return original_length, original_length
        last = max(start, end - 1)
        return self.origin[start], self.origin_end[min(last, len(self.origin_end) - 1)]


def _fold_cluster(cluster: str) -> str:
    """One base character with its combining marks, folded."""
    if cluster[0] in _IGNORABLE:
        return ""
    if cluster[0] in (START_MARK, END_MARK):
        return " "
    composed = unicodedata.normalize("NFC", cluster)
    if len(composed) == 1 and unicodedata.name(composed, "").startswith("CYRILLIC"):
        return composed.lower().translate(_YO)  # й stays й: only other scripts lose accents
    compatible = unicodedata.normalize("NFKD", composed)
    bare = "".join(char for char in compatible if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare).lower().translate(_YO)


def fold(text: str) -> Folded:
    if _SAME_LENGTH.fullmatch(text):
        return Folded(text.lower().translate(_YO))
    out: list[str] = []
    origin: list[int] = []
    origin_end: list[int] = []
    position = 0
    for run in _SAME_LENGTH_RUN.finditer(text):
        _fold_clusters(text, position, run.start(), out, origin, origin_end)
        out.append(run.group().lower().translate(_YO))
        origin.extend(range(run.start(), run.end()))
        origin_end.extend(range(run.start() + 1, run.end() + 1))
        position = run.end()
    _fold_clusters(text, position, len(text), out, origin, origin_end)
    return Folded("".join(out), origin, origin_end)


def _fold_clusters(
    text: str, start: int, stop: int, out: list[str], origin: list[int], origin_end: list[int]
) -> None:
    """Fold `text[start:stop]` cluster by cluster (a base character and its combining marks)."""
    index = start
    while index < stop:
        end = index + 1
        while end < stop and unicodedata.combining(text[end]):
            end += 1
        folded = _fold_cluster(text[index:end])
        out.append(folded)
        origin.extend([index] * len(folded))
        origin_end.extend([end] * len(folded))
        index = end


def fold_query(text: str) -> str:
    return fold(text).text
