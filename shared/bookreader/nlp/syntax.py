"""Type evidence from a sentence's grammatical structure: its predicates and their subjects.

The lexical pass (features.py) counts words; here the dependency parse says *who does what*:
a motion verb with an animate subject is an action even when the sentence names a door and a
hand; a place as the subject of "stood"/«возвышался» or of a copula is a location; a face,
hair or clothes as the subject (or "was dressed in", «был в платье») is a character; the sky,
light or weather as the subject is atmosphere; a single artefact described by its attributes is
an object. Parsers: natasha's syntax model for Russian, the trained `en_core_web_sm` for
English. Both are loaded once per process and run only on candidate sentences (a word budget).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bookreader.nlp.features import lexicon_for
from bookreader.nlp.morph_analyzer import morph
from bookreader.nlp.morphology import ru_parse
from bookreader.nlp.pipelines import russian_syntax

TYPES = ("location", "character", "atmosphere", "object", "action")
_SUBJECT_RELS = {"nsubj", "nsubjpass", "nsubj:pass", "expl"}
_COPULAS = {"be", "быть", "являться", "стать", "становиться", "казаться", "seem", "become"}
_EXISTENTIAL_RU = {"быть", "стоять", "лежать", "висеть", "находиться", "виднеться", "тянуться"}
_PERSON_PRONOUNS_EN = {"he", "she", "they", "i", "we", "you", "who", "him", "her", "them"}
_PERSON_PRONOUNS_RU = {"он", "она", "они", "я", "мы", "ты", "вы", "кто"}
_PERCEPTION = {
    "see", "saw", "look", "gaze", "stare", "behold", "watch", "notice", "observe",
    "perceive", "glimpse", "view",
    "видеть", "увидеть", "смотреть", "посмотреть", "глядеть", "взглянуть", "заметить",
    "разглядеть", "рассмотреть", "наблюдать", "любоваться",
}  # fmt: skip
# Groups of people act as one animate subject ("the army retreated", «войско отступило»).
_COLLECTIVE = {
    "army", "troop", "regiment", "crowd", "squadron", "host", "band", "company", "mob",
    "войско", "отряд", "полк", "толпа", "армия", "рать", "конница", "дружина", "табор",
    "эскадрон", "сотня", "народ",
}  # fmt: skip
# Relative pronouns stand for the noun their clause modifies ("the mountains which overhung the
# valley", «деревья, которые тянулись»): the clause's subject is that antecedent. "who" already
# says a person, so it is left as it is.
_RELATIVE = {"which", "that", "который", "что"}
_RELATIVE_RELS = {"relcl", "acl:relcl", "acl"}
_DRESS = {"dress", "wear", "clothe", "attire", "одеть", "одетый", "наряжать", "нарядить", "носить"}


_SEEN_KIND = {
    "body": "character",
    "clothing": "character",
    "sky": "atmosphere",
    "place": "location",
    "artefact": "object",
}


@dataclass(frozen=True)
class Word:
    index: int
    head: int  # index of the head word, -1 for the root
    rel: str  # dependency relation, lower case, UD or ClearNLP names
    lemma: str
    pos: str  # UPOS
    animate: bool  # Russian morphology's Animacy=Anim, or an English person pronoun/name
    subject_case: bool = True  # False for a Russian noun in an oblique case (not a subject)
    participle: bool = False  # a participle form ("running", «тронутые»), whose agent is its noun
    start: int = -1  # its offset in the parsed text (Russian; -1 when not kept)


def _noun_class(word: Word, language: str) -> str:
    lexicon = lexicon_for(language)
    lemma = word.lemma
    if lemma in lexicon.BODY:
        return "body"
    if lemma in lexicon.CLOTHING:
        return "clothing"
    if lemma in lexicon.SKY_WEATHER or lemma in lexicon.TIME_SEASON:
        return "sky"
    if lemma in lexicon.PLACE:
        return "place"
    if lemma in lexicon.ARTEFACT:
        return "artefact"
    pronouns = _PERSON_PRONOUNS_RU if language == "ru" else _PERSON_PRONOUNS_EN
    if word.animate or lemma in pronouns or word.pos == "PROPN" or lemma in _COLLECTIVE:
        return "person"
    if word.pos == "PRON":
        return "pronoun"
    return "thing"


def _descendants(word: Word, children: dict[int, list[Word]], exclude: list[Word]) -> list[Word]:
    found, stack = [], [k for k in children.get(word.index, []) if k not in exclude]
    seen = {word.index}  # a parser may return a cycle: visit each word once
    while stack:
        current = stack.pop()
        if current.index in seen:
            continue
        seen.add(current.index)
        if current.rel == "conj" and current.pos in ("VERB", "AUX"):
            continue  # the next predicate speaks for itself
        found.append(current)
        stack.extend(children.get(current.index, []))
    return found


_MODIFIER_RELS = {"amod", "nmod", "prep", "acl", "compound"}


def _modifiers(noun: Word, children: dict[int, list[Word]]) -> int:
    """Attributes and attached phrases of a noun ("a tidy little room with a table" → 3)."""
    return sum(1 for k in children.get(noun.index, []) if k.rel in _MODIFIER_RELS)


@lru_cache(maxsize=100_000)
def _may_be_nominative(form: str) -> bool:
    return any("nomn" in parse.tag for parse in morph().parse(form))


def sentence_votes(words: Sequence[Word], language: str) -> dict[str, float]:
    """Structural evidence per type for one parsed sentence (0 or more per type). The root
    predicate counts fully, other predicates (conjuncts, clauses) 0.6."""
    lexicon = lexicon_for(language)
    children: dict[int, list[Word]] = {}
    for word in words:
        children.setdefault(word.head, []).append(word)
    votes = dict.fromkeys(TYPES, 0.0)
    actions = 0
    described_places = {
        w.index
        for w in words
        if w.pos == "NOUN" and _noun_class(w, language) == "place" and _modifiers(w, children) >= 2
    }
    by_index = {w.index: w for w in words}
    for word in words:
        kids = children.get(word.index, [])
        subjects = [k for k in kids if k.rel in _SUBJECT_RELS and k.subject_case]
        antecedent = by_index.get(word.head) if word.rel in _RELATIVE_RELS else None
        if antecedent is not None and antecedent.pos not in ("NOUN", "PROPN"):
            antecedent = None
        if antecedent is not None:
            if not subjects and word.rel == "acl" and word.participle:
                # a participle ("rivers running", «ивы, опустившие ветви») tells of its noun
                subjects = [antecedent]
            else:
                subjects = [antecedent if k.lemma in _RELATIVE else k for k in subjects]
        is_root = word.head < 0 or word.rel == "root"
        if not subjects and word.rel == "conj" and word.pos in ("VERB", "AUX"):
            # "he looked up and saw …": a conjoined predicate shares its head's subject
            subjects = [
                k for k in children.get(word.head, []) if k.rel in _SUBJECT_RELS and k.subject_case
            ]
        if not subjects and not is_root and word.rel != "conj":
            continue
        if word.pos not in ("VERB", "AUX", "ADJ", "NOUN", "PROPN", "PRON"):
            continue
        weight = 1.0 if is_root else 0.6
        subject = next((s for s in subjects if s.rel != "expl"), None)
        expletive = any(s.rel == "expl" for s in subjects)
        cls = _noun_class(subject, language) if subject else None
        copula = word.lemma in _COPULAS or any(k.rel == "cop" for k in kids)
        lemma = word.lemma
        # the nouns the predicate governs (objects, obliques, attributes, prepositional objects)
        governed = [k for k in kids if k.rel in ("obj", "dobj", "obl", "attr", "nmod", "iobj")]
        for k in kids:
            if k.rel == "prep":
                governed.extend(g for g in children.get(k.index, []) if g.rel == "pobj")
        governed_classes = [_noun_class(g, language) for g in governed]
        if copula and word.pos in ("NOUN", "ADJ", "PROPN"):
            governed_classes.append(_noun_class(word, language))  # Russian: the predicate noun
        appearance_adj = any(
            k.lemma in lexicon.BUILD or k.lemma in lexicon.COLOUR
            for k in kids
            if k.rel in ("acomp", "amod", "attr") or word.pos == "ADJ"
        ) or (copula and word.pos == "ADJ" and word.lemma in lexicon.BUILD)
        passive = any(k.rel in ("nsubjpass", "nsubj:pass", "auxpass", "aux:pass") for k in kids)
        static = passive or lemma in lexicon.POSTURE_VERBS or word.pos in ("ADJ", "NOUN")
        if (lemma in lexicon.ACTION_VERBS or lemma in lexicon.MOTION) and any(
            g.lemma in lexicon.GAZE and g.pos == "NOUN" for g in governed
        ):
            pass  # "cast a glance", «бросить взгляд»: a light verb, a look and not a deed
        elif lemma in _PERCEPTION:
            # "he saw the rocks crimson with the sunset": what is seen decides the picture
            seen_words = _descendants(word, children, exclude=subjects)
            for seen in {_noun_class(w, language) for w in seen_words if w.pos == "NOUN"}:
                kind = _SEEN_KIND.get(seen)
                if kind:
                    votes[kind] += 0.7 * weight
        elif lemma in lexicon.ACTION_VERBS and cls not in ("place", "sky") and not static:
            votes["action"] += weight
            actions += 1
        elif lemma in lexicon.MOTION and cls in ("person", "pronoun", None) and not static:
            votes["action"] += 0.5 * weight
            actions += 1
        elif (
            word.pos == "VERB"
            and cls in ("person", "pronoun")
            and not static
            and not copula
            and lemma not in _DRESS
            and lemma not in lexicon.THOUGHT
            and lemma not in lexicon.SPEECH
        ):
            # any other deed of a person or creature: bodies it moves are props of the action
            votes["action"] += 0.5 * weight
        if (
            described_places
            and word.pos == "VERB"
            and lemma not in lexicon.ACTION_VERBS
            and lemma not in _PERCEPTION
        ):
            # "went into a tidy little room with a table": a generic deed that leads to a place
            # described in detail shows the place; the deed is only the way in
            below = {w.index for w in _descendants(word, children, exclude=subjects)}
            if any(place in below for place in described_places):
                votes["location"] += 0.8 * weight
        moves = (lemma in lexicon.ACTION_VERBS or lemma in lexicon.MOTION) and not static
        if moves and cls not in ("place", "sky") and "body" in governed_classes:
            # "licked his hand", «пригнув шею»: a body part moved by a verb is a prop of the deed
            votes["action"] += 0.4 * weight
        if lemma in _DRESS:
            votes["character"] += 0.7 * weight
        if copula and "place" in governed_classes and cls in (None, "thing", "pronoun", "place"):
            votes["location"] += 0.5 * weight
        if lemma in lexicon.LIGHT_VERBS or lemma in lexicon.IMPERSONAL_WEATHER:
            votes["atmosphere"] += weight
        if cls == "sky":
            votes["atmosphere"] += weight
        elif cls in ("body", "clothing"):
            if lemma not in lexicon.ACTION_VERBS or static:
                votes["character"] += weight
        elif cls == "place":
            if copula or lemma in lexicon.POSTURE_VERBS or lemma not in lexicon.ACTION_VERBS:
                votes["location"] += weight
        elif cls == "artefact" and (copula or lemma in lexicon.POSTURE_VERBS):
            votes["object"] += weight
        if (
            cls in ("person", "pronoun")
            and (copula or lemma in ("have", "иметь"))
            and ("clothing" in governed_classes or "body" in governed_classes or appearance_adj)
        ):
            votes["character"] += weight
        if (copula or expletive or lemma in lexicon.POSTURE_VERBS) and cls in (
            None,
            "thing",
            "pronoun",
        ):
            if "place" in governed_classes and lemma not in lexicon.ACTION_VERBS:
                votes["location"] += 0.5 * weight
            if "sky" in governed_classes:
                votes["atmosphere"] += 0.5 * weight
    if actions >= 2:
        votes["action"] += 0.5
    return votes


# --- parsers -------------------------------------------------------------------------------


def parse_russian(texts: Sequence[str]) -> list[list[Word]]:
    """One list of words per text (the words of all its sentences, heads within each)."""
    from natasha import Doc

    segmenter, tagger, parser = russian_syntax()
    joined = "\n".join(texts)
    bounds, position = [], 0
    for text in texts:
        bounds.append((position, position + len(text)))
        position += len(text) + 1
    doc = Doc(joined)
    doc.segment(segmenter)
    doc.tag_morph(tagger)
    doc.parse_syntax(parser)
    result: list[list[Word]] = [[] for _ in texts]
    which = 0
    for sentence in doc.sents:
        start = sentence.start
        while which < len(bounds) - 1 and start >= bounds[which][1]:
            which += 1
        ids = {token.id: number for number, token in enumerate(sentence.tokens)}
        base = len(result[which])
        for token in sentence.tokens:
            lemma, _ = ru_parse(token.text.lower().replace("ё", "е"))
            head = ids.get(token.head_id, -1)
            result[which].append(
                Word(
                    index=base + ids[token.id],
                    head=base + head if head >= 0 else -1,
                    rel=token.rel or "",
                    lemma=lemma,
                    pos=token.pos or "",
                    animate=(token.feats or {}).get("Animacy") == "Anim",
                    subject_case=_subject_case(token),
                    participle=_is_participle(token.text.lower()),
                    start=_offset(token.start, bounds[which]),
                )
            )
    return result


def _offset(start: int, bounds: tuple[int, int]) -> int:
    """A token's offset in its own text, or -1 when the segmenter's sentence ran past that
    text's end (the texts are joined by newlines, which do not always end a sentence)."""
    return start - bounds[0] if bounds[0] <= start < bounds[1] else -1


@lru_cache(maxsize=100_000)
def _is_participle(form: str) -> bool:
    """pymorphy3 on the form: natasha's own VerbForm often confuses participles and gerunds."""
    return "PRTF" in morph().parse(form)[0].tag


def _subject_case(token: Any) -> bool:
    """A Russian subject is nominative; natasha's Acc on an inanimate noun is often Nom."""
    case = (token.feats or {}).get("Case", "Nom")
    if case == "Nom":
        return True
    return case == "Acc" and _may_be_nominative(token.text.lower())


def parse_english(pipeline: Any, texts: Sequence[str]) -> list[tuple[list[Word], object]]:
    """(words, spaCy Doc) per text; heads are indices into the text's words."""
    result = []
    for doc in pipeline.pipe(texts, batch_size=64):
        words = [
            Word(
                index=token.i,
                head=-1 if token.head.i == token.i else token.head.i,
                rel=token.dep_.lower(),
                lemma=token.lemma_.lower(),
                pos=token.pos_,
                animate=token.pos_ == "PROPN" or token.lower_ in _PERSON_PRONOUNS_EN,
                participle=token.tag_ in ("VBG", "VBN"),
            )
            for token in doc
        ]
        result.append((words, doc))
    return result
