"""Word cues the learned step reads beside the lexical stage's vocabularies: signs of essay,
hypothetical or generic text, where a painter has nothing to draw ("you would think…", «мы
всегда…»). Matched on lower-cased word forms, so each list carries the forms it needs."""

from __future__ import annotations

from collections.abc import Iterable


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The reader or mankind addressed or included: the voice of an essay, not of a scene.
GENERIC_PERSON = {
    "en": _words("you your yours yourself yourselves we us our ours ourselves one one's"),
    "ru": _words("вы вас вам вами ваш ваша ваше ваши мы нас нам нами наш наша наше наши"),
}
# Modal, conditional and hypothetical words: what could be, not what is seen.
MODAL = {
    "en": _words("""
would could should might may must if unless whether perhaps probably possibly suppose
supposing imagine though although whatever whoever however ought can cannot
"""),
    "ru": _words("""
бы б если ежели может можно нельзя нужно надо должен должно должна должны вероятно
пожалуй будто словно кабы хоть хотя пусть разве неужели едва ли
"""),
}
# Habitual and general time words: what always happens, not what happened once.
HABITUAL = {
    "en": _words("always usually generally commonly often sometimes seldom ever every whenever"),
    "ru": _words("""
всегда обычно обыкновенно часто иногда редко никогда всякий каждый вообще когда-нибудь
"""),
}
# English present-tense auxiliaries and copulas: a past-tense narrative switching to them is
# talking about the world in general (Moby-Dick's cetology chapters).
PRESENT = {
    "en": _words("is are am has have does do isn't aren't hasn't doesn't"),
    "ru": _words("есть является бывает бывают"),
}


def count(words: Iterable[str], vocabulary: frozenset[str]) -> int:
    return sum(1 for word in words if word in vocabulary)
