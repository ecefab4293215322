"""What a passage only compares something to: «лицо, как медный грош», "a mane like a lion's",
"white as snow". The grosh, the lion and the snow are not in the scene, and an image model
told "lion" draws one; the summaries leave such words out of the things to draw."""

from __future__ import annotations

import re
from typing import Any

from bookreader.nlp.features import Token
from bookreader.nlp.morph_analyzer import parse_word

# Words that open a comparison («как кот», «словно ребёнок», «точно прозрачный лоб»).
_RU_MARKERS = frozenset({"как", "словно", "будто", "точно", "подобно"})
# Verbs and adjectives of likeness: what follows them is what something resembles («гривой,
# напоминавшей льва», «похожий на рыбку»).
_RU_LIKENESS = frozenset({"напоминать", "походить", "похожий", "подобный"})
# «как» after these joins clauses (так как, в то время как, с тех пор как, тогда как, как только).
_RU_CONJUNCTION_BEFORE = frozenset({"так", "время", "тех", "того", "тем", "тогда", "же"})
# … and before these it says "as always", "as before" (past an «и»: «как и всегда»).
_RU_CONJUNCTION_AFTER = frozenset(
    {"только", "бы", "будто", "вдруг", "раз", "всегда", "обычно", "прежде", "теперь", "тогда"}
)
_RU_FINITE = frozenset({"VERB", "PRTS"})
# A comparison ends at a clause's punctuation.
_CLAUSE_END = re.compile(r"[,;:.!?…()«»\"“”—–]")
_EN_LIKENESS = frozenset({"like", "unlike"})


def russian_compared(tokens: list[Token], text: str) -> set[int]:
    """Positions of the tokens that name only what something is compared to. A comparison runs
    from its marker to the clause's punctuation; one with a finite verb or a name in it is a
    clause («как трава растёт», «точно заряд был разряжен»), not a likeness, and is kept."""
    compared: set[int] = set()
    for position, token in enumerate(tokens):
        likeness = token.lemma in _RU_LIKENESS
        if not likeness and not _opens_comparison(tokens, text, position):
            continue
        run = _clause_run(tokens, text, position)
        if not likeness and any(
            _finite(tokens[other]) or _named(tokens[other], text) for other in run
        ):
            continue
        compared.update(run)
    return compared


def _opens_comparison(tokens: list[Token], text: str, position: int) -> bool:
    token = tokens[position]
    if token.lower not in _RU_MARKERS or position + 1 >= len(tokens):
        return False
    if text[token.start : token.start + 1].isupper():
        return False  # «Как худо его лицо»: an exclamation or a question, not a likeness
    before = tokens[position - 1].lower if position else ""
    following = [t.lower for t in tokens[position + 1 : position + 3]]
    after = following[1] if following[0] == "и" and len(following) > 1 else following[0]
    return before not in _RU_CONJUNCTION_BEFORE and after not in _RU_CONJUNCTION_AFTER


def _clause_run(tokens: list[Token], text: str, position: int) -> list[int]:
    run = []
    for other in range(position + 1, len(tokens)):
        if _CLAUSE_END.search(text, tokens[other - 1].end, tokens[other].start):
            break
        run.append(other)
    return run


def _named(token: Token, text: str) -> bool:
    """A capitalised word inside the clause: «как князь Василий, …, вошёл» is a clause whose
    verb comes later (not two minutes passed before Prince Vasily came in); a likeness is
    seldom to someone by name."""
    return text[token.start : token.start + 1].isupper()


def _finite(token: Token) -> bool:
    parses = parse_word(token.lower.replace("ё", "е"))
    return bool(parses) and parses[0].tag.POS in _RU_FINITE


def english_compared(token: Any) -> bool:
    """Whether a spaCy noun names only what something is compared to: the object of "like"
    ("a mane like a lion's"), or of an "as" that follows an adjective or adverb ("white as
    snow", "as quick as a cat"), a noun joined to such an object ("like a cat or a fox"), or
    its "of" complement ("like the waves of the angry sea")."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ != "pobj":
        return False
    preposition = token.head
    word = preposition.lower_
    if word in _EN_LIKENESS:
        return True
    if word == "of" and preposition.head.pos_ in ("NOUN", "PROPN"):
        return english_compared(preposition.head)
    return word == "as" and preposition.head.pos_ in ("ADJ", "ADV")
