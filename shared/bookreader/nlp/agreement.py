"""A Russian name's sex by the words that agree with it: «Кити покраснела», «— Нет, — сказала
Кити». pymorphy3 does not know every name (Кити) and reads some as either sex (Васенька), while
a past-tense verb or a short adjective right after a subject says it plainly. A verb before a
name says it only as a speech tag after a dash («сказал Кити» is said to her).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from bookreader.nlp.morph_analyzer import parse_word

Sex = Literal["masc", "femn"]
_WORD = re.compile(r"[^\W\d_]+")
_DASH_BEFORE = re.compile(r"—\s*$")
_LAST_WORD = re.compile(r"([^\W\d_]+)[,\s]*$")  # a word, then spaces and maybe a comma
_WORD_RIGHT_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
# Titles only a woman bears; «жена», «дочь», «вдова» are left out: «жена Суворова» is his wife.
_WOMENS_TITLES = frozenset(
    [
        "княгиня",
        "графиня",
        "княжна",
        "баронесса",
        "госпожа",
        "барыня",
        "фрейлина",
        "мадам",
        "madame",
        "mme",
        "mademoiselle",
        "mlle",
        "lady",
    ]
)
# A book's vote decides when it has this many agreeing words and this share of them.
BOOK_VOTES = 2
BOOK_SHARE = 0.75


def agreeing_gender(text: str, start: int, end: int) -> str:
    """ "masc" or "femn" as the word after text[start:end] (a name in the nominative) or its
    speech verb before it says, "" when neither does."""
    after = _WORD.match(text, _skip_spaces(text, end))
    candidates = [after.group()] if after else []
    before = _word_before(text, start)
    if before is not None and _DASH_BEFORE.search(text, 0, before[0]):
        candidates.append(before[1])
    for word in candidates:
        tag = parse_word(word.lower())[0].tag
        agrees = ("VERB" in tag and "past" in tag) or "ADJS" in tag
        if agrees and tag.gender in ("masc", "femn"):
            return str(tag.gender)
    return ""


def said_of_a_woman(text: str, start: int, end: int) -> bool:
    """The name text[start:end] is a woman's here: a feminine word agrees with it («Картасова
    сделала»), or a woman's title or a feminine word in the nominative stands right before it
    («княгиня Курагина», «эта Картасова») — where «Суворова» could be his genitive or her name."""
    if agreeing_gender(text, start, end) == "femn":
        return True
    before = _WORD_RIGHT_BEFORE.search(text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group(1).lower()
    if word in _WOMENS_TITLES:
        return True
    tag = parse_word(word)[0].tag
    return bool({"ADJF", "femn", "sing", "nomn"} <= tag.grammemes)


def book_gender(votes: Iterable[str]) -> Sex | None:
    """The sex most of a name's agreeing words say across a book, None without a clear
    majority."""
    counts = Counter(vote for vote in votes if vote)
    if not counts:
        return None
    gender, count = counts.most_common(1)[0]
    if count < BOOK_VOTES or count < BOOK_SHARE * sum(counts.values()):
        return None
    return "masc" if gender == "masc" else "femn"


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \u00a0":
        position += 1
    return position


def _word_before(text: str, start: int) -> tuple[int, str] | None:
    """(offset, word) of the word right before `start`, across spaces and one comma."""
    head = text[max(0, start - 40) : start]
    match = _LAST_WORD.search(head)
    if match is None:
        return None
    return start - len(head) + match.start(1), match.group(1)
