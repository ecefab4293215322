"""The cast of a book: its characters and places, aliases merged, with where they first appear,
how often they are named, and how they look.

Two stages, so a whole novel takes about a second:
1. a cheap pass over every chapter (`cast_names`): runs of capitalised words, filtered by what
   the book itself says (a word it also writes in lower case, or only ever capitalises at the
   start of a sentence, is rarely a name — «Отведи», «Столяр») and, for Russian, by pymorphy3's
   Name/Surn/Patr/Geox tags; each run normalised to a name variant;
2. the NER models (natasha for Russian, spaCy's en_core_web_sm for English) read only a few
   sentences around each uncertain name, within a word budget, to confirm it and tell a person
   from a place. Without the English model a heuristic decides (titles, place words,
   prepositions).
Variants are then merged on keys (`russian_names`): the full first name behind a diminutive
(ru_names.tsv: Костя → Константин), a patronymic's root (Аркадьич = Аркадьевич), a surname's
masculine form. Fuller names absorb their parts («Петрович» → «Иван Петрович» when that is the
only Петрович); a part shared by several people goes to the one the book names far more, or
else to the one whose fuller name it points back to («Левин» after «Константин Левин»). A
diminutive joins a person only if it meets their names in a scene or their company (Anna's son
«Сережа» is not «Сергей Иванович») and the narrator never sets it beside them in another case
(«Анна … попросила Аннушку»: her maid); a first name far commoner than the fuller names it fits
goes to the one introduced first; a first name with patronymic takes in the same first name
with a surname when they meet and the patronymic is the usual name («Иван Кузмич» = «Иван
Миронов»). English words mostly after place prepositions or modifying a noun are places; a
Russian adjectival name mostly right before a noun it agrees with is that noun's attribute
(«Уманский курень»).
Appearance words of character descriptions go to the person they are written about
(`appearance`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, cast

from bookreader.nlp import lexicon_en
from bookreader.nlp.agreement import agreeing_gender, book_gender, said_of_a_woman
from bookreader.nlp.animals import animal_kinds, animal_word, named_animal
from bookreader.nlp.appearance import Person, gather_appearance
from bookreader.nlp.cast_names import (
    EN_PLACE_WORDS,
    EN_TITLES,
    BookWords,
    NameSpan,
    NameVariant,
    english_variant,
    find_name_spans,
)
from bookreader.nlp.language import primary_subtag
from bookreader.nlp.model import SUPPORTED_LANGUAGES, CastMember, Description
from bookreader.nlp.morph_analyzer import PERSON_NAME_TAGS, parse_word
from bookreader.nlp.russian_names import (
    RU_FEMININE_SURNAME,
    BookForms,
    as_surname,
    clean_russian,
    first_name_entry,
    masculine_surname,
    russian_variant,
    russian_word,
)

NER_WORDS_PER_BOOK = {"ru": 15_000, "en": 8_000}  # ≈1 s of NER; the extractor shares the budget
NER_SAMPLES_PER_NAME = 3
CONTEXT_CHARS = 160  # each side of a sampled mention, cut at sentence ends
PLACE_SHARE = 0.75  # English: this share of mentions after a place preposition makes a place
SIDE_BY_SIDE = 0.15  # a diminutive this often in one sentence with a full name is someone else
DOMINANCE = 3.0  # a shared part goes to the person mentioned this many times more than the next
SCENE_CHARS = 1500  # each side of a diminutive: the stretch of text its person's other names are in
PRESENT_SHARE = 0.34  # a diminutive whose person's other names are this rarely around is another
SAME_COMPANY = 0.5  # … unless this share of the names around it are around the person too
# … and this share of the names around the commoner one: the empress «Екатерина» (52 names around
# her) is not «Катерина Семеновна» (4, two of them Pierre and Prince Vasily)
OWN_COMPANY = 0.1
ALIAS_LIMIT = 20  # surface forms stored per member, most frequent first

# English months and days, no names alone ("in March"), but part of a name the book writes
# them in this often ("the March Hare", 31 times in Alice)
_CALENDAR = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_NOT_NAMES = frozenset(
    # pronouns, interjections, forms of address and words capitalised out of reverence
    [
        "я",
        "ты",
        "он",
        "она",
        "оно",
        "мы",
        "вы",
        "они",
        "себя",
        "мой",
        "твой",
        "свой",
        "наш",
        "ваш",
        "его",
        "её",
        "ее",
        "их",
        "кто",
        "что",
        "это",
        "тот",
        "этот",
        "ах",
        "ох",
        "эх",
        "ух",
        "ну",
        "ба",
        "ай",
        "эй",
        "увы",
        "ого",
        "ага",
        "алло",
        "да",
        "нет",
        "бог",
        "господь",
        "господи",
        "боже",
        "бога",
        "богу",
        "i",
        "me",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "him",
        "her",
        "his",
        "its",
        "our",
        "your",
        "their",
        "this",
        "that",
        "these",
        "those",
        "who",
        "what",
        "oh",
        "ah",
        "ha",
        "eh",
        "hm",
        "hum",
        "ay",
        "alas",
        "yes",
        "no",
        "nay",
        "god",
        "madam",
        "majesty",
        "highness",
        "excellency",
        "lordship",
        "ladyship",
        "grace",
        "heaven",
        "heavens",
        "christ",
        *_CALENDAR,
        "christmas",
        "easter",
        "english",
        "french",
        "german",
        "american",
        "british",
        "italian",
        "russian",
        "spanish",
        "irish",
        "scotch",
    ]
)
_LOCATIVE = re.compile(r"\b(?:in|at|from|to|near|into|of|towards)\s*$", re.IGNORECASE)
_AT_PLACE = re.compile(r"\b(?:in|at|near|into|towards|via)\s*$", re.IGNORECASE)  # not "to Holmes"
_ARTICLE = re.compile(r"\b(?:the|a|an)\s*$", re.IGNORECASE)
# "the Surrey side", "the lovely Surrey lanes": a proper name as a noun's modifier is a place
_MODIFIER_BEFORE = re.compile(r"\b(?:the|a|an)(?:\s+[a-z][a-z-]*){0,2}\s+$")
_MODIFIER_AFTER = re.compile(r"^\s[a-z]")
_SPEECH_VERB = r"(?:said|asked|cried|remarked|answered|replied|whispered|shouted|exclaimed)"
_SPEECH_BEFORE = re.compile(rf"\b{_SPEECH_VERB}\s+$")  # "said Holmes"
_SPEECH_AFTER = re.compile(rf"^\s+{_SPEECH_VERB}\b")  # "Holmes remarked"
# "said the Hatter", "said the March Hare"
_SPEECH_BEFORE_THE = re.compile(rf"\b{_SPEECH_VERB}\s+the\s+(?:[A-Z][a-z]+\s+)?$")
_SPEAKING_MENTIONS = 2  # a role that speaks this often is someone
_EN_DEMONYM = re.compile(r"(?:man|men|woman|women)$")  # "Englishman", "Frenchmen"
_EN_EPITHET = re.compile(r"-[a-z]")  # "Red-headed": a compound with a lower-case part
_WORD = re.compile(r"\w+")
_SENTENCE_ENDS = (".", "!", "?", "…", "\n")
_DIALOGUE_DASH = re.compile(r"\s[–—]\s")
_NER_LABELS = {"PER": "person", "PERSON": "person", "LOC": "place", "GPE": "place", "FAC": "place"}


@dataclass(slots=True)
class _Mention:
    chapter: int
    start: int
    end: int
    surface: str
    initial: bool


@dataclass(slots=True)
class _Name:
    variant: NameVariant
    mentions: list[_Mention] = field(default_factory=list)
    kind: str | None = None  # decided: "person" | "place" | None (dropped)
    confirmed: bool = False  # by a model (NER) or by pymorphy3's name tags
    rejected: bool = False  # the model saw something else; undecided names may still join


@dataclass(slots=True)
class _Cluster:
    kind: str
    parts: dict[str, str]
    gender: str | None
    names: list[_Name] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return sum(len(name.mentions) for name in self.names)


def build_cast(
    chapters: Sequence[tuple[int, str]],
    language: str,
    descriptions: Sequence[Description] = (),
    *,
    ner_words: int | None = None,
    alias_limit: int | None = ALIAS_LIMIT,
) -> list[CastMember]:
    """The book's characters and places, most mentioned first; [] for unsupported languages.

    `chapters` are (index, plain text); `descriptions` of type "character" give the appearance.
    `ner_words` caps the words the NER model reads (default: `NER_WORDS_PER_BOOK`);
    `alias_limit` the surface forms kept per member (None: all of them).
    """
    lang = primary_subtag(language)
    if lang not in SUPPORTED_LANGUAGES:
        return []
    words = find_name_spans(chapters, lang)
    names = _collect_names(words, lang, dict(chapters))
    budget = NER_WORDS_PER_BOOK[lang] if ner_words is None else ner_words
    votes = _ner_votes(names, dict(chapters), lang, budget)
    _decide_kinds(names, votes, dict(chapters), lang)
    if lang == "ru":
        _surnames_of_people(names)
        _titled_places_ru(names, dict(chapters))
    clusters = _cluster([name for name in names.values() if not name.rejected], dict(chapters))
    pairs = [(c, _member(c, alias_limit)) for c in clusters if _worth_keeping(c)]
    _mark_animals(pairs, dict(chapters), lang)
    _mark_children(pairs, dict(chapters), lang)
    _mark_genders(pairs, dict(chapters), lang)
    for _, member in pairs:
        if member.gender == "femn":
            member.names = [name for name in member.names if not _her_familys(name, member)]
    people = [
        _person(cluster, member, lang) for cluster, member in pairs if member.kind == "character"
    ]
    gather_appearance(people, descriptions, dict(chapters), lang)
    members = [member for _, member in pairs]
    members.sort(key=lambda m: (-m.mentions, m.first_chapter, m.first_offset))
    return members


# --- the cheap pass: which capitalised words can be names --------------------------------


def _keeps_russian(token: str, words: BookWords, forms: BookForms) -> bool:
    lower = token.lower()
    if lower in _NOT_NAMES or len(token) <= 2:  # «Ив.», «Ив. Михельсоном»: an initial
        return False
    info = russian_word(token)
    inside, seen_lower = words.capital_inside[token], words.lower[lower]
    tagged = info.person + info.place
    if tagged >= 0.5:
        return inside >= 1 or seen_lower == 0
    if info.known and info.adjective >= 0.5 and info.person > 0:
        # «Потоцкий»: an adjective to the dictionary, a surname to the book, which capitalises
        # it mid-sentence and never writes it in lower case
        return inside >= 1 and seen_lower == 0 and _capitalised_inside(token, words, forms) >= 2
    if info.known and (info.adjective >= 0.5 or not info.nominal):
        return False  # «Придворный», «Божья», «Однако», «Гей», «Поцелуемся»
    if not info.known and first_name_entry(token):  # «Егорушка»: a name pymorphy3 lacks
        return inside >= 1 or seen_lower == 0
    if tagged > 0:  # a name reading, but a common word is likelier («Вера», «Роза»)
        inside = sum(words.capital_inside[form] for form in forms.forms(token))  # «Юлаю»
        return inside >= 2 and seen_lower <= inside
    # No name reading («Кити», «Яшвин»): only if the book capitalises it mid-sentence, counting
    # every form of the word («Хлопуши», «Хлопушей» with «Хлопуша»).
    inside = sum(words.capital_inside[form] for form in forms.forms(token))
    return inside >= 2 and seen_lower * 4 <= inside


def _capitalised_inside(token: str, words: BookWords, forms: BookForms) -> int:
    """Mid-sentence capitalisations of the word's forms (its stem's, or its lemma's)."""
    lemmas = {parse.normal_form for parse in parse_word(token)[:3]}
    own = set(forms.forms(token))
    stem = token[:4]  # a form of one lemma shares its first letters; spares parsing every word
    return sum(
        count
        for form, count in words.capital_inside.items()
        if form in own or (form[:4] == stem and parse_word(form)[0].normal_form in lemmas)
    )


def _keeps_english(token: str, words: BookWords, forms: BookForms) -> bool:
    lower = token.rstrip(".").lower()
    if lower in _NOT_NAMES or len(token) < 2:
        return False
    if lower in EN_TITLES or words.after_title[token] >= 2:  # "Mr. Holder", "Mr. John Clay"
        return True
    inside, seen_lower = words.capital_inside[token], words.lower[lower]
    return inside >= 1 and seen_lower * 4 <= inside + words.capital_initial[token]


def _collect_names(words: BookWords, lang: str, texts: dict[int, str]) -> dict[tuple, _Name]:
    keeps = _keeps_english if lang == "en" else _keeps_russian
    counts = words.capital_inside + words.capital_initial
    forms = BookForms(counts, stems=lang == "ru", women=_women(words, texts, lang))
    variant_of = english_variant if lang == "en" else partial(russian_variant, forms=forms)
    kept: dict[str, bool] = dict.fromkeys(
        _speaking_roles(words, texts) if lang == "en" else (), True
    )
    variants: dict[tuple[str, ...], NameVariant | None] = {}
    names: dict[tuple, _Name] = {}
    leading = _calendar_leads(words.spans, lang)
    for span in words.spans:
        flags = []
        for token in span.tokens:
            if token not in kept:
                kept[token] = keeps(token, words, forms)
            flags.append(kept[token])
        for position, pair in enumerate(itertools.pairwise(span.tokens)):
            if pair in leading and flags[position + 1]:
                flags[position] = True  # "the March Hare"
        for first, last in _split(span, _runs(span, flags, lang), variants, variant_of):
            tokens = span.tokens[first:last]
            variant = variants[tokens]
            if variant is None:
                continue
            own = variant.display if len(variant.parts) == 1 else None  # «Аннушка» ≠ «Анна»
            key = (variant.parts, variant.gender, variant.kind == "place", own)
            name = names.get(key)
            if name is None:
                name = names[key] = _Name(variant)
            initial = span.initial and first == 0
            surface = " ".join(tokens)
            name.mentions.append(
                _Mention(span.chapter, span.starts[first], span.ends[last - 1], surface, initial)
            )
    return names


def _women(words: BookWords, texts: dict[int, str], lang: str) -> frozenset[str]:
    """The Russian surname forms in -ова/-ина the book says of a woman at least once: elsewhere
    the same word may be her husband's genitive, so it is hers only where the book says so."""
    if lang != "ru":
        return frozenset()
    return frozenset(
        token
        for span in words.spans
        for token, start, end in zip(span.tokens, span.starts, span.ends, strict=True)
        if RU_FEMININE_SURNAME.match(token) and said_of_a_woman(texts[span.chapter], start, end)
    )


_CALENDAR_NAME_SEEN = 3  # times a month or day is written before the same word, capitalised


def _calendar_leads(spans: Sequence[NameSpan], lang: str) -> set[tuple[str, str]]:
    """(month or day, word) pairs written together, capitalised, often enough to be a name."""
    if lang != "en":
        return set()
    pairs = Counter(
        pair
        for span in spans
        for pair in itertools.pairwise(span.tokens)
        if pair[0].lower() in _CALENDAR and pair[1][:1].isupper()
    )
    return {pair for pair, count in pairs.items() if count >= _CALENDAR_NAME_SEEN}


def _split(
    span: NameSpan,
    runs: list[tuple[int, int]],
    variants: dict[tuple[str, ...], NameVariant | None],
    variant_of: Callable[[tuple[str, ...]], NameVariant | None],
) -> list[tuple[int, int]]:
    """Each run as the longest names it can be read as, left to right."""
    pieces: list[tuple[int, int]] = []
    for first, last in runs:
        start = first
        while start < last:
            for end in range(last, start, -1):
                tokens = span.tokens[start:end]
                if tokens not in variants:
                    variants[tokens] = variant_of(tokens)
                if variants[tokens] is not None or end == start + 1:
                    pieces.append((start, end))
                    break
            start = end
    return pieces


def _runs(span: NameSpan, flags: list[bool], lang: str) -> list[tuple[int, int]]:
    """Runs of kept tokens; in English a place word may close a run ("Baker Street")."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for position, (token, flag) in enumerate(zip(span.tokens, flags, strict=True)):
        extends = lang == "en" and start is not None and token.lower() in EN_PLACE_WORDS
        if flag or extends:
            start = position if start is None else start
            if extends and not flag:
                runs.append((start, position + 1))
                start = None
        elif start is not None:
            runs.append((start, position))
            start = None
    if start is not None:
        runs.append((start, len(span.tokens)))
    return runs


# --- the models: a few sentences around each uncertain name ---------------------------------


def _needs_ner(name: _Name, lang: str) -> bool:
    if lang == "en":
        return name.variant.kind != "place"
    return name.variant.kind == "unknown" or len(name.variant.parts) == 1


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(0, start - CONTEXT_CHARS)
    right = min(len(text), end + CONTEXT_CHARS)
    cut = max(text.rfind(mark, left, start) for mark in (". ", "! ", "? ", "\n"))
    left = cut + 1 if cut >= 0 else left
    cuts = [text.find(mark, end, right) for mark in (". ", "! ", "? ", "\n")]
    right = min((c + 1 for c in cuts if c >= 0), default=right)
    return left, right


def _samples(name: _Name) -> list[_Mention]:
    inside = [m for m in name.mentions if not m.initial] or name.mentions
    if len(inside) <= NER_SAMPLES_PER_NAME:
        return inside
    step = len(inside) / NER_SAMPLES_PER_NAME
    return [inside[int(i * step)] for i in range(NER_SAMPLES_PER_NAME)]


def _ner_votes(
    names: dict[tuple, _Name], texts: dict[int, str], lang: str, budget: int
) -> dict[tuple, Counter[str]]:
    """NER labels ("person", "place", "other") of sampled mentions, most mentioned names first."""
    model = None
    if budget > 0:
        from bookreader.nlp import pipelines

        model = pipelines.english_ner() if lang == "en" else pipelines.russian_ner()
    if model is None:
        return {}
    pieces: list[str] = []
    probes: list[tuple[tuple, int, int]] = []  # (name key, start, end) in the joined text
    offset = 0
    spent = 0
    ranked = sorted(names.items(), key=lambda item: -len(item[1].mentions))
    for key, name in ranked:
        if not _needs_ner(name, lang) or (len(name.mentions) < 2 and lang == "en"):
            continue
        for mention in _samples(name):
            text = texts[mention.chapter]
            left, right = _context(text, mention.start, mention.end)
            piece = text[left:right].replace("\n", " ")
            spent += piece.count(" ") + 1
            probes.append((key, offset + mention.start - left, offset + mention.end - left))
            pieces.append(piece)
            offset += len(piece) + 2
        if spent >= budget:
            break
    if not pieces:
        return {}
    joined = "\n\n".join(pieces)
    entities = _entities(joined, lang, model)
    votes: dict[tuple, Counter[str]] = defaultdict(Counter)
    starts = [entity[0] for entity in entities]
    for key, start, end in probes:
        position = bisect.bisect_right(starts, start) - 1
        label = "none"
        for candidate in entities[max(0, position - 1) : position + 2]:
            if candidate[0] < end and start < candidate[1]:
                label = _NER_LABELS.get(candidate[2], "other")
                break
        votes[key][label] += 1
    return votes


def _entities(text: str, lang: str, model: object) -> list[tuple[int, int, str]]:
    if lang == "en":
        doc = model(text)  # type: ignore[operator]
        return [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    from natasha import Doc

    segmenter, tagger = cast(tuple[Any, Any], model)
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [(span.start, span.stop, span.type) for span in doc.spans]


def _decide_kinds(
    names: dict[tuple, _Name], votes: dict[tuple, Counter[str]], texts: dict[int, str], lang: str
) -> None:
    titled_surnames = _titled_surnames(names) if lang == "en" else set()
    after_a_title = _titled_surnames(names, after_a_title=True) if lang == "en" else set()
    for key, name in names.items():
        vote = votes.get(key)
        guess = name.variant.kind
        if lang == "ru" and _attribute_of_a_noun(name, texts):
            name.rejected = True  # «Уманский курень», «Уманского куреня»: a regiment's name
            continue
        if lang == "en" and _speaks_as_the(name, texts):
            name.kind, name.confirmed = "person", True  # "said the Hatter", "the Dodo said"
            continue
        if name.variant.rank:
            name.rejected = True  # "the Captain" who never speaks as one: no one in particular
            continue
        # a word the book also writes after a title is that person ("Mr. Flask", "Captain
        # Bildad"), whatever the words around it or the NER model say
        if lang == "en" and (name.variant.titled or _single_value(name) in after_a_title):
            name.kind = "person"
            continue
        if lang == "en" and _attribute_of_a_thing_en(name, texts):
            name.rejected = True  # "a gold Albert chain": a kind of thing
            continue
        if lang == "en" and _addressed_en(name, texts):
            name.kind = "person"  # "Now, Dinah, tell me": someone spoken to, not a place
            continue
        if lang == "en" and _place_by_context(name, texts):
            if _a_people_en(name):
                name.rejected = True  # "the Greek fire", "a Persian cat": a people, no place
            else:
                name.kind = "place"  # "of Surrey", "the Surrey side", "to Hampshire"
            continue
        if lang == "en" and _mostly_a_destination(name, texts):
            name.kind = "place"  # "to Waterloo", "from Pondicherry", "at Stoke Moran"
            continue
        if lang == "en" and _not_a_person_en(name, texts):
            name.kind = "place" if _share_after(name, texts, _LOCATIVE) > 0.5 else None
            name.rejected = name.kind is None
            continue
        if vote:
            total = sum(vote.values())
            label, count = max(
                ((k, vote[k]) for k in ("person", "place")), key=lambda item: item[1]
            )
            if count * 2 >= total and count:
                name.kind, name.confirmed = label, True
            elif guess != "unknown" and vote["other"] * 2 < total:
                name.kind = guess  # the model saw nothing, the dictionary knows the name
            elif name.variant.titled or _single_value(name) in titled_surnames:
                name.kind = "person"  # "Toller" where the book also says "Mrs. Toller"
            else:
                name.rejected = vote["other"] + vote["none"] > vote["person"] + vote["place"]
                surname = dict(name.variant.parts).get("last")
                if name.rejected and surname in titled_surnames:
                    name.rejected = False  # "Neville St. Clair" of "Mr. St. Clair": may join
                elif name.rejected and _acts(name, texts, lang):
                    name.rejected, name.kind = False, "person"  # "Steelkilt knew it"
            continue
        if guess == "person" or name.variant.titled:
            name.kind = "person"
        elif guess == "place" or (lang == "en" and _share_after(name, texts, _LOCATIVE) > 0.5):
            name.kind = "place" if len(name.mentions) >= 2 or guess == "place" else None
        elif len(name.mentions) >= 3 or _single_value(name) in titled_surnames:
            name.kind = "person"  # unconfirmed; kept only if it recurs
        name.confirmed = guess in ("person", "place") and lang == "ru"


def _surnames_of_people(names: dict[tuple, _Name]) -> None:
    """A surname the model takes for a place in some of its cases is still the person's where
    the dictionary has no place of that name and the book's other forms of it are a person's:
    «в Тушкевиче есть что-то» reads as a town, «Тушкевич» said alone is a man."""
    people = {
        part
        for name in names.values()
        if name.kind == "person"
        for slot, part in name.variant.parts
        if slot == "last"
    }
    for name in names.values():
        parts = name.variant.parts
        if (
            name.kind == "place"
            and name.variant.kind == "person"
            and len(parts) == 1
            and parts[0][0] == "last"
            and parts[0][1] in people
        ):
            name.kind = "person"


# A title only a person bears, in any case, right before a word: «княгиня Тверская», «у графа»
_RU_TITLE_BEFORE = re.compile(
    r"(?<![а-яё])(?:княз|княгин|княжн|граф|барон|генерал|полковник|капитан|майор|поручик"
    r"|ротмистр|госпож|господин|мадам)[а-яё]*\s+$",
    re.IGNORECASE,
)


def _titled_places_ru(names: dict[tuple, _Name], texts: dict[int, str]) -> None:
    """A word the dictionary knows as a place that the book writes after a person's title most
    of the time is that person's surname: «княгиня Тверская» is Бетси Тверская, not the street."""
    for name in names.values():
        parts = name.variant.parts
        if name.kind not in ("place", "person") or len(parts) != 1 or parts[0][0] != "place":
            continue  # the model may call it either; the dictionary's reading stays a place
        titled = sum(
            bool(_RU_TITLE_BEFORE.search(texts[m.chapter], max(0, m.start - 20), m.start))
            for m in name.mentions
        )
        if titled * 2 >= len(name.mentions) and titled >= 2:
            name.variant, name.kind = as_surname(name.variant), "person"


_NEXT_WORD = re.compile(r"\s([а-яё]+)")


def _attribute_of_a_noun(name: _Name, texts: dict[int, str]) -> bool:
    """A one-word adjectival name that half its mentions put right before a lower-case noun
    agreeing with it in case, number and gender is that noun's attribute, not a person."""
    surface_words = {m.surface for m in name.mentions}
    if len(name.variant.parts) != 1 or not all(
        _ADJECTIVAL.search(clean_russian(word)) for word in surface_words
    ):
        return False
    attached = 0
    for mention in name.mentions:
        following = _NEXT_WORD.match(texts[mention.chapter], mention.end)
        attached += following is not None and _agree(mention.surface, following.group(1))
    return attached * 2 >= len(name.mentions)


_ADJECTIVAL = re.compile(r"(?:ий|ый|ой|ая|ое|ого|ому|ым|ом|ую|ые|ых|ыми|ие|их|ими)$")


def _agree(adjective: str, noun: str) -> bool:
    readings = {
        (p.tag.case, p.tag.number, p.tag.gender if p.tag.number == "sing" else None)
        for p in parse_word(clean_russian(adjective).lower())
        if "ADJF" in p.tag
    }
    return any(
        "NOUN" in p.tag
        and (p.tag.case, p.tag.number, p.tag.gender if p.tag.number == "sing" else None) in readings
        for p in parse_word(noun)
    )


def _single_value(name: _Name) -> str | None:
    parts = name.variant.parts
    return parts[0][1] if len(parts) == 1 and parts[0][0] == "name" else None


def _titled_surnames(names: dict[tuple, _Name], *, after_a_title: bool = False) -> set[str]:
    """Surnames the book writes after a title ("Mr. Turner") or after a first name ("Hugh
    Boone") more than once: the bare word is that person. `after_a_title`: after a title only."""
    return {
        value
        for name in names.values()
        if (name.variant.titled and name.variant.kind == "person")
        or (not after_a_title and _naming_parts(name) > 1 and len(name.mentions) >= 2)
        for slot, value in name.variant.parts
        if slot == "last"
    }


def _mostly_a_destination(name: _Name, texts: dict[int, str]) -> bool:
    """Three in four mentions after "in/at/from/to/near/of": a place, whatever NER says."""
    return len(name.mentions) >= 2 and _share_after(name, texts, _LOCATIVE) >= PLACE_SHARE


def _place_by_context(name: _Name, texts: dict[int, str]) -> bool:
    """Half its mentions after a place preposition or modifying a noun ("the Surrey lanes"),
    and none beside a verb of speech ("said Holmes", "Holmes remarked"): a county, a town.
    The small NER model calls such words people more often than not."""
    if len(name.mentions) < 2 or _single_value(name) is None:
        return False
    placed = 0
    for mention in name.mentions:
        text = texts[mention.chapter]
        before = text[max(0, mention.start - 30) : mention.start]
        after = text[mention.end : mention.end + 25]
        if _SPEECH_BEFORE.search(before) or _SPEECH_AFTER.search(after):
            return False
        modifier = _MODIFIER_BEFORE.search(before) and _MODIFIER_AFTER.search(after)
        placed += bool(_LOCATIVE.search(before[-12:]) or modifier)
    return placed >= 0.5 * len(name.mentions)


# How English names a people or its language: "Persian", "Chinese", "Danish", "Greeks"; and the
# names that do not say it by their ending
_EN_PEOPLE_ENDING = re.compile(r"(?:ians?|eans?|ese|ish)$")
_EN_PEOPLES = frozenset({
    "greek", "greeks", "dutch", "latin", "french", "english", "swiss", "turk", "turks", "arab",
    "arabs", "dane", "danes", "swede", "swedes", "scot", "scots", "jew", "jews", "moor", "moors",
    "saxon", "saxons", "romans", "yankee", "yankees", "esquimaux",
})  # fmt: skip


def _a_people_en(name: _Name) -> bool:
    """A word that names a people or its language, said of things ("the Greek fire", "a Persian
    cat", "the Dutch ship"): the modifier that makes "the Surrey lanes" a county makes these
    look like places too."""
    value = _single_value(name) or ""
    return bool(_EN_PEOPLE_ENDING.search(value)) or value.lower() in _EN_PEOPLES


def _not_a_person_en(name: _Name, texts: dict[int, str]) -> bool:
    """A place or a thing: mostly after an article or a place preposition ("the Cedars", "at
    Horsham"), a people ("Englishman"), a hyphenated epithet ("Red-headed")."""
    words = [value for slot, value in name.variant.parts if slot != "title"]
    if any(_EN_DEMONYM.search(word) or _EN_EPITHET.search(word) for word in words):
        return True
    return _share_after(name, texts, _ARTICLE) > 0.5 or _share_after(name, texts, _AT_PLACE) > 0.5


_EN_NEXT_WORD = re.compile(r"[ -]([a-z]+)")
_EN_THINGS = lexicon_en.ARTEFACT | lexicon_en.CLOTHING  # not a place: "the Barbary coast"


def _attribute_of_a_thing_en(name: _Name, texts: dict[int, str]) -> bool:
    """A one-word name that most of its mentions put right before a thing's noun ("Albert chain",
    "Wellington boots") is a kind of that thing, not a person."""
    if _single_value(name) is None:
        return False
    attached = 0
    for mention in name.mentions:
        following = _EN_NEXT_WORD.match(texts[mention.chapter], mention.end)
        attached += following is not None and following.group(1) in _EN_THINGS
    return attached * 2 > len(name.mentions)


def _speaks_as_the(name: _Name, texts: dict[int, str]) -> bool:
    """A capitalised common noun that talks ("said the Mock Turtle", "the Hatter replied") is a
    character called by what it is, as in fables and Alice — though mostly after "the"."""
    speaking = sum(_speaks_at(texts[m.chapter], m.start, m.end) for m in name.mentions)
    return speaking >= _SPEAKING_MENTIONS


# Someone spoken to: "Now, Dinah, tell me", "“Watson, come here”", "at tea-time. Dinah my dear!"
_ADDRESS_BEFORE = re.compile(r"(?:[“\"‘]|,\s|[.!?]\s)$")
_ADDRESS_AFTER = re.compile(r"^(?:,(?!\s+(?:and|or|nor)\b|\s+[A-Z])|\s+my\s+dear\b)")
_ADDRESSED_MENTIONS = 2


def _addressed_en(name: _Name, texts: dict[int, str]) -> bool:
    """A one-word name the book's speakers call out to, twice or more: a person or an animal
    one talks to, whatever the NER model makes of "Dinah"."""
    if _single_value(name) is None:
        return False
    addressed = sum(
        bool(
            _ADDRESS_BEFORE.search(texts[m.chapter][max(0, m.start - 3) : m.start])
            and _ADDRESS_AFTER.search(texts[m.chapter][m.end : m.end + 12])
        )
        for m in name.mentions
    )
    return addressed >= _ADDRESSED_MENTIONS


# Verbs a person's name is the subject of, right after it: "Steelkilt knew it", "Seven flung"
_EN_PERSON_VERB = re.compile(
    r"^\s+(?:was|had|said|knew|thought|looked|went|came|stood|sat|took|made|felt|saw|replied"
    r"|cried|answered|turned|seemed|would|could|did|began|asked|shook|laughed|smiled|rose|ran"
    r"|fell|put|kept|held|gave|told|says|is|has|flung)\b"
)
_ACTING_SHARE = 0.25
_EN_KIN = frozenset(["pa", "ma", "papa", "mama", "mamma", "granny", "grandpa", "grandma"])


def _acts(name: _Name, texts: dict[int, str], lang: str) -> bool:
    """A one-word name that is the subject of a person's verb in a quarter of its mentions is
    someone the NER model did not recognise: Moby-Dick's Steelkilt, Alice's Seven, Taras Bulba's
    «Мардохай», Kashtanka's «Тетка» («Тетка вышла»). In English never after an article: a place
    or a thing takes "the" now and then ("the Pequod was")."""
    value = _single_value(name)
    if value is None:
        return False
    if lang == "en":
        if value.lower() in _EN_KIN or _share_after(name, texts, _ARTICLE) > 0:
            return False  # "Pa was working a claim": whose father, the book's names do not say
        acting = sum(
            bool(_EN_PERSON_VERB.search(texts[m.chapter][m.end : m.end + 15]))
            for m in name.mentions
        )
    else:  # the past-tense verb agreeing with it as a subject (`nlp.agreement`)
        acting = sum(bool(agreeing_gender(texts[m.chapter], m.start, m.end)) for m in name.mentions)
    return acting >= _ACTING_SHARE * len(name.mentions) and acting >= 2


def _speaks_at(text: str, start: int, end: int) -> bool:
    """The word at text[start:end] speaks as "the X": "said the Mouse", "the Mouse replied"."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 25]
    return bool(
        _SPEECH_BEFORE_THE.search(before)
        or (_ARTICLE.search(before) and _SPEECH_AFTER.search(after))
    )


def _speaking_roles(words: BookWords, texts: dict[int, str]) -> frozenset[str]:
    """English words that speak as "the X" often enough to be a role (`_speaks_as_the`), though
    the book writes them in lower case too: Alice's Mouse and Cat ("a mouse", "cats")."""
    speaking: Counter[str] = Counter(
        span.tokens[0]
        for span in words.spans
        if len(span.tokens) == 1 and _speaks_at(texts[span.chapter], span.start, span.end)
    )
    return frozenset(word for word, count in speaking.items() if count >= _SPEAKING_MENTIONS)


def _share_after(name: _Name, texts: dict[int, str], before: re.Pattern[str]) -> float:
    if name.variant.parts[0][0] == "place":
        return 1.0
    hits = sum(
        bool(before.search(texts[m.chapter][max(0, m.start - 12) : m.start])) for m in name.mentions
    )
    return hits / len(name.mentions)


# --- merging variants into members -----------------------------------------------------------


def _compatible(parts: dict[str, str], gender: str | None, name: _Name) -> bool:
    if name.variant.gender and gender and name.variant.gender != gender:
        return False
    for slot, value in name.variant.parts:
        if slot == "name":
            if value not in parts.values():
                return False
        elif parts.get(slot, value) != value:
            return False
    return True


def _shared(parts: dict[str, str], name: _Name) -> int:
    values = {value for slot, value in parts.items() if slot != "title"}
    return sum(value in values for slot, value in name.variant.parts if slot != "title")


def _naming_parts(name: _Name) -> int:
    return sum(slot != "title" for slot, _ in name.variant.parts)


def _cluster(names: list[_Name], texts: dict[int, str]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    deferred: list[_Name] = []
    # a diminutive after the full name's own forms: it is judged against all of them
    fullest_first = sorted(
        names,
        key=lambda n: (-_naming_parts(n), _is_diminutive(n), n.kind is None, -len(n.mentions)),
    )
    neighbours = _Neighbours(names)
    for name in fullest_first:
        fitting = [
            c
            for c in clusters
            if _may_join(c, name) and _shared(c.parts, name) >= min(2, _naming_parts(name))
        ]
        target = _dominant(fitting, name, texts) or _introduced(fitting, name)
        if (
            target is not None
            and (_is_diminutive(name) or _full_name_of_a_diminutive(name, target))
            and (
                _side_by_side(name, target, texts)
                or _in_another_role(name, target, texts)
                or not _same_person_around(name, target, neighbours)
            )
        ):
            target = None  # «Анна … попросила Аннушку»: two women
        if target is None and name.kind is None:
            deferred.append(name)  # undecided: may join a known name, never stands alone
        elif target is None:
            gender = name.variant.gender
            clusters.append(
                _Cluster(name.kind or "person", dict(name.variant.parts), gender, [name])
            )
        else:
            _join(target, name)
    # An undecided first name + surname ("Alexander Holder") joins the one person known by
    # that surname alone ("Mr. Holder"), once every name has found its person.
    for name in deferred:
        surname = dict(name.variant.parts).get("last")
        if surname is None:
            continue
        fitting = [
            c
            for c in clusters
            if _may_join(c, name) and surname in (c.parts.get("last"), c.parts.get("name"))
        ]
        target = _dominant(fitting, name, texts)
        if target is not None:
            _join(target, name)
    return _join_complements(clusters)


def _lone_first(name: _Name) -> str | None:
    """The full first name a name is made of alone («Василий» for «Васька»), else None."""
    parts = name.variant.parts
    return parts[0][1] if len(parts) == 1 and parts[0][0] == "first" else None


def _is_diminutive(name: _Name) -> bool:
    first = _lone_first(name)
    return first is not None and first != name.variant.display


def _full_name_of_a_diminutive(name: _Name, cluster: _Cluster) -> bool:
    """A lone full first name meeting a person the book calls only by its diminutive: judged
    as a diminutive is («Василий», Prince Vasily, is not «Васька Денисов»)."""
    first = _lone_first(name)
    if first is None or first != name.variant.display:
        return False
    namesakes = [
        other.variant.display.split()
        for other in cluster.names
        if dict(other.variant.parts).get("first") == first
    ]
    return bool(namesakes) and all(first not in words for words in namesakes)


def _side_by_side(name: _Name, cluster: _Cluster, texts: dict[int, str]) -> bool:
    """The name shares a sentence with the person's other names in a good share of its mentions:
    the book sets them side by side as two people."""
    starts: dict[int, list[int]] = defaultdict(list)
    for other in cluster.names:
        for mention in other.mentions:
            starts[mention.chapter].append(mention.start)
    for chapter_starts in starts.values():
        chapter_starts.sort()
    together = 0
    for mention in name.mentions:
        text = texts[mention.chapter]
        left = max(text.rfind(mark, 0, mention.start) for mark in _SENTENCE_ENDS) + 1
        rights = [text.find(mark, mention.end) for mark in _SENTENCE_ENDS]
        right = min((r for r in rights if r >= 0), default=len(text))
        found = starts.get(mention.chapter, [])
        at = bisect.bisect_left(found, left)
        together += at < len(found) and found[at] < right
    return together >= max(2, SIDE_BY_SIDE * len(name.mentions))


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(mark, 0, start) for mark in _SENTENCE_ENDS) + 1
    rights = [text.find(mark, end) for mark in _SENTENCE_ENDS]
    return left, min((r for r in rights if r >= 0), default=len(text))


def _in_another_role(name: _Name, cluster: _Cluster, texts: dict[int, str]) -> bool:
    """The narrator names the diminutive and the person in one sentence in different cases
    («Анна … попросила Аннушку достать фонарик»): one acts on the other, and a writer names
    one person twice in a sentence only in apposition, in the same case («Степан Аркадьич
    Облонский – Стива»). Direct speech does not count: a name called out in the vocative sits
    beside the narrator's other name for the same person («– Костя! – Левин обернулся»)."""
    ours: dict[int, list[tuple[_Mention, str]]] = defaultdict(list)
    for other in cluster.names:
        for mention in other.mentions:
            ours[mention.chapter].append((mention, other.variant.display))
    apart = 0
    for mention in name.mentions:
        text = texts[mention.chapter]
        if _in_speech(text, mention.start):
            continue
        left, right = _sentence_bounds(text, mention.start, mention.end)
        cases = _cases(mention.surface, name.variant.display)
        apart += any(
            left <= other.start < right
            and not _in_speech(text, other.start)
            and not cases & _cases(other.surface, display)
            for other, display in ours.get(mention.chapter, ())
        )
    return apart >= max(1, SIDE_BY_SIDE * len(name.mentions))


@lru_cache(maxsize=20_000)
def _cases(surface: str, display: str) -> frozenset[str]:
    """The cases a Russian name's form can be read in, all its words agreeing (singular
    readings); the name's own nominative is a nominative whatever pymorphy3 thinks of it
    («Стива», to pymorphy3 the genitive of «Стив»)."""
    found: frozenset[str] | None = None
    for token in surface.split():
        parses = parse_word(clean_russian(token))
        named = [p for p in parses if PERSON_NAME_TAGS & p.tag.grammemes]
        cases = frozenset(
            str(p.tag.case) for p in named or parses if p.tag.case and p.tag.number != "plur"
        )
        found = cases if found is None else found & cases
    nominative = frozenset(["nomn"]) if clean_russian(surface) == display else frozenset()
    return (found or frozenset()) | nominative


def _in_speech(text: str, position: int) -> bool:
    """The position is inside direct speech: a «quotation», or a dialogue line's spoken part
    (a line opening with a dash alternates speech and narration at each dash: «– Стива, –
    сказала она, – иди»)."""
    line_start = text.rfind("\n", 0, position) + 1
    before = text[line_start:position]
    if before.count("«") > before.count("»"):
        return True
    opening = before.lstrip()
    if not opening or opening[0] not in "–—-":
        return False
    return len(_DIALOGUE_DASH.findall(opening[1:])) % 2 == 0


def _may_join(cluster: _Cluster, name: _Name) -> bool:
    return (
        (cluster.kind == name.kind or name.kind is None)
        and _compatible(cluster.parts, cluster.gender, name)
        and (_naming_parts(name) > 1 or name.kind in ("person", None))
    )


def _same_person_around(name: _Name, cluster: _Cluster, neighbours: _Neighbours) -> bool:
    """A diminutive and the person's other names meet: the rarer of the two is said within a
    scene of the other in a fair share of its mentions («Стива» where «Степан Аркадьич» is,
    «Кити Щербацкая» where «Кити» is), or else among the same people. Anna's son «Сережа» meets
    neither «Сергей Иванович» nor his company: two people."""
    ours = [m for other in cluster.names for m in other.mentions]
    rare, common = (
        (name.mentions, ours) if len(name.mentions) <= len(ours) else (ours, name.mentions)
    )
    if _near_share(rare, common) >= PRESENT_SHARE:
        return True
    mine, theirs = neighbours.around([name]), neighbours.around(cluster.names)
    if rare is not name.mentions:
        mine, theirs = theirs, mine
    shared = len(mine & theirs)
    return shared >= SAME_COMPANY * len(mine) and shared >= OWN_COMPANY * len(theirs)


def _near_share(rare: list[_Mention], common: list[_Mention]) -> float:
    """The share of `rare` mentions with one of `common` within a scene (`SCENE_CHARS`)."""
    starts: dict[int, list[int]] = defaultdict(list)
    for mention in common:
        starts[mention.chapter].append(mention.start)
    for chapter_starts in starts.values():
        chapter_starts.sort()
    near = 0
    for mention in rare:
        found = starts.get(mention.chapter, [])
        at = bisect.bisect_left(found, mention.start - SCENE_CHARS)
        near += at < len(found) and found[at] <= mention.end + SCENE_CHARS
    return near / len(rare) if rare else 0.0


def _join_complements(clusters: list[_Cluster]) -> list[_Cluster]:
    """A person known by first name and patronymic («Иван Кузмич») and one known by the same
    first name and a surname («Ивана Миронова», «Миронов») are one man when nothing in their
    names disagrees, no one else fits, the rarer is named where the other is, and the
    patronymic is the usual name: a first name and surname said now and then to introduce
    him. The other way round — «Весловский» everywhere, a «Василий Семеныч» once — the
    polite name is more often someone else's (the doctor in the same room)."""
    by_first: dict[str, list[_Cluster]] = defaultdict(list)
    for cluster in clusters:
        if cluster.kind == "person" and "first" in cluster.parts:
            by_first[cluster.parts["first"]].append(cluster)
    merged: set[int] = set()
    for group in by_first.values():
        formal = [c for c in group if "patr" in c.parts and "last" not in c.parts]
        for surnamed in [c for c in group if "last" in c.parts and "patr" not in c.parts]:
            fitting = [
                c
                for c in formal
                if id(c) not in merged
                and c.mentions > surnamed.mentions
                and not (c.gender and surnamed.gender and c.gender != surnamed.gender)
                and _near_share(*_rarer_first(c, surnamed)) >= PRESENT_SHARE
            ]
            if len(fitting) != 1:
                continue
            target = fitting[0]
            for name in surnamed.names:
                _join(target, name)
            merged.add(id(surnamed))
    return [c for c in clusters if id(c) not in merged]


def _rarer_first(a: _Cluster, b: _Cluster) -> tuple[list[_Mention], list[_Mention]]:
    ours = [m for name in a.names for m in name.mentions]
    theirs = [m for name in b.names for m in name.mentions]
    return (ours, theirs) if len(ours) <= len(theirs) else (theirs, ours)


class _Neighbours:
    """Which other names the book mentions within a scene of each mention."""

    def __init__(self, names: list[_Name]) -> None:
        self.index: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for number, name in enumerate(names):
            if len(name.mentions) >= 2 and name.kind == "person":
                for mention in name.mentions:
                    self.index[mention.chapter].append((mention.start, number))
        for chapter_index in self.index.values():
            chapter_index.sort()
        self.numbers = {id(name): number for number, name in enumerate(names)}

    def around(self, names: list[_Name]) -> set[int]:
        own = {self.numbers.get(id(name)) for name in names}
        found: set[int] = set()
        for name in names:
            for mention in name.mentions:
                entries = self.index.get(mention.chapter, [])
                at = bisect.bisect_left(entries, (mention.start - SCENE_CHARS, -1))
                while at < len(entries) and entries[at][0] <= mention.end + SCENE_CHARS:
                    found.add(entries[at][1])
                    at += 1
        return found - own


def _antecedent(name: _Name, fitting: list[_Cluster]) -> _Cluster | None:
    """The person whose fuller name comes last before the part, mention by mention, within a
    chapter — a shortened name points back to the latest person it fits («Левин» after
    «Константин Левин», not after «Николай Левин») — if one wins far more mentions."""
    owners: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for number, cluster in enumerate(fitting):
        for other in cluster.names:
            for mention in other.mentions:
                owners[mention.chapter].append((mention.start, number))
    for chapter_owners in owners.values():
        chapter_owners.sort()
    votes: Counter[int] = Counter()
    for mention in name.mentions:
        found = owners.get(mention.chapter, [])
        at = bisect.bisect_left(found, (mention.start, -1))
        if at:
            votes[found[at - 1][1]] += 1
        elif found:
            votes[found[0][1]] += 1  # the part comes first in its chapter: the next full name
    ranked = [*votes.most_common(2), (-1, 0), (-1, 0)]
    (best, first), (_, second) = ranked[0], ranked[1]
    return fitting[best] if first >= 2 and first >= DOMINANCE * second else None


def _dominant(
    fitting: list[_Cluster], name: _Name, texts: dict[int, str] | None = None
) -> _Cluster | None:
    """The only fitting person, or the one the book names far more than the next: a surname
    several people share («Гринев»: the narrator and his father) goes to the most named of
    them; a bare first name («Николай») to the one most often called by that first name;
    failing that, to the person it points back to (`_antecedent`)."""
    if len(fitting) <= 1:
        return fitting[0] if fitting else None
    first_names = {value for slot, value in name.variant.parts if slot == "first"}
    written = name.variant.display

    def called_so(cluster: _Cluster) -> int:
        return sum(
            len(other.mentions)
            for other in cluster.names
            if written in other.variant.display.split()
        )

    def support(cluster: _Cluster) -> int:
        if not first_names or _naming_parts(name) > 1:
            return cluster.mentions
        return sum(
            len(other.mentions)
            for other in cluster.names
            if first_names <= {value for slot, value in other.variant.parts if slot == "first"}
        )

    if _lone_first(name):
        # a first name as the book writes it goes to the one person with that very form in a
        # fuller name: «Бетси» to «Бетси Тверская», not to «Лиза Меркалова» (both Елизавета)
        called = [c for c in fitting if called_so(c)]
        if len(called) == 1:
            return called[0]
        # else to the person last named with it, before the one named so most: «Николай» after
        # «Николай Ростов» is Rostov, though «Николай Андреевич» is written more often
        pointed = _antecedent(name, fitting) if texts is not None else None
        if pointed is not None:
            return pointed

    fitting.sort(key=lambda c: -support(c))
    if support(fitting[0]) >= DOMINANCE * support(fitting[1]):
        return fitting[0]
    return _antecedent(name, fitting) if texts is not None else None


def _introduced(fitting: list[_Cluster], name: _Name) -> _Cluster | None:
    """A first name the book uses far more than all the fuller names it fits together is one
    person's usual name, and the fuller names its occasional forms: it goes to the one the book
    introduced first («Остап Бульба», later «Бульбенко Остап» in a roll-call, then «Остап»
    a hundred times)."""
    if len(fitting) < 2 or name.variant.parts[0][0] != "first" or _naming_parts(name) > 1:
        return None
    if len(name.mentions) < DOMINANCE * sum(c.mentions for c in fitting):
        return None
    return min(
        fitting, key=lambda c: min((m.chapter, m.start) for n in c.names for m in n.mentions)
    )


def _join(cluster: _Cluster, name: _Name) -> None:
    cluster.names.append(name)
    for slot, value in name.variant.parts:
        if slot != "name":
            cluster.parts.setdefault(slot, value)
    cluster.gender = cluster.gender or name.variant.gender


def _worth_keeping(cluster: _Cluster) -> bool:
    if cluster.mentions >= 2:
        return True
    name = cluster.names[0]
    return name.confirmed and _naming_parts(name) > 1


def _member(cluster: _Cluster, alias_limit: int | None = ALIAS_LIMIT) -> CastMember:
    mentions = [m for name in cluster.names for m in name.mentions]
    first = min(mentions, key=lambda m: (m.chapter, m.start))
    total = len(mentions)
    by_parts: dict[frozenset, list[_Name]] = defaultdict(list)
    for name in cluster.names:
        by_parts[frozenset(name.variant.parts)].append(name)

    def fullness(group: list[_Name]) -> tuple[float, int]:
        slots = _naming_parts(group[0]) + (0.5 if group[0].variant.titled else 0)
        return slots, sum(len(name.mentions) for name in group)

    groups = list(by_parts.values())
    common = [g for g in groups if fullness(g)[1] >= max(2, 0.03 * total)]
    group = max(common or groups, key=fullness)
    canonical = min(group, key=lambda name: (name.variant.titled, -len(name.mentions)))
    surfaces = Counter(m.surface for m in mentions)
    displays: Counter[str] = Counter()
    for name in cluster.names:
        if name.variant.display != canonical.variant.display:
            displays[name.variant.display] += len(name.mentions)
    return CastMember(
        kind="character" if cluster.kind == "person" else "place",
        name=canonical.variant.display,
        aliases=[surface for surface, _ in surfaces.most_common(alias_limit)],
        names=[display for display, _ in displays.most_common(alias_limit)],
        first_chapter=first.chapter,
        first_offset=first.start,
        mentions=total,
    )


# --- appearance: what a character is, and traits from the character descriptions ----------


def _her_familys(name: str, member: CastMember) -> bool:
    """Whether a woman's name is her family's, said in the plural («у Щербацких»), read as the
    masculine surname («Щербацкий») where the book also calls her «Щербацкая»."""
    return " " not in name and any(
        masculine_surname(word) == name
        for other in (*member.names, *member.aliases)
        for word in other.split()
    )


def _mark_genders(
    pairs: list[tuple[_Cluster, CastMember]], texts: dict[int, str], lang: str
) -> None:
    """A Russian character's sex where the book says it plainly: the verbs agreeing with its
    names in the nominative across the book («Кити покраснела», `nlp.agreement`). Left unset
    otherwise: the pictures then read the name itself (`images.prompts`)."""
    if lang != "ru":
        return
    for cluster, member in pairs:
        if member.kind != "character":
            continue
        votes = [
            agreeing_gender(texts[m.chapter], m.start, m.end)
            for name in cluster.names
            for m in name.mentions
            if _may_be_nominative(m.surface)
        ]
        member.gender = book_gender(votes)


def _person(cluster: _Cluster, member: CastMember, lang: str) -> Person:
    """The character as the appearance step reads it: the book's own agreement before the
    analyser's guess for the sex, and only the mentions that can name this one person — «у
    Щербацких», «к Щербацким» name Кити's family, not her."""
    gender = member.gender or cluster.gender
    return Person(
        member,
        gender,
        [
            (m.chapter, m.start)
            for name in cluster.names
            for m in name.mentions
            # the book's vote only: the analyser's guess reads «Александра» (the emperor's
            # genitive) as a woman's name
            if lang != "ru" or _may_be_one_person(m.surface, member.gender)
        ],
    )


@lru_cache(maxsize=4096)
def _may_be_one_person(surface: str, gender: str | None) -> bool:
    """Whether a Russian name's written form can be one person of this sex: its last word has a
    singular reading of that sex, or the analyser does not know it. «Щербацких» is only a family
    (a plural); «Щербацким» is a family or a man, never Кити."""
    parses = parse_word(clean_russian(surface.split()[-1]).lower())
    return not parses or any(
        not p.is_known
        or (
            p.tag.number != "plur"
            and (gender is None or p.tag.gender in (None, gender) or "ms-f" in p.tag)
        )
        for p in parses
    )


@lru_cache(maxsize=4096)
def _may_be_nominative(surface: str) -> bool:
    """Whether a Russian name's written form can be a subject: its last word has a nominative
    reading, or the analyser does not know it («Кити»)."""
    parses = parse_word(clean_russian(surface.split()[-1]).lower())
    return not parses or any(p.tag.case == "nomn" or not p.is_known for p in parses)


def _mark_animals(
    pairs: list[tuple[_Cluster, CastMember]], texts: dict[int, str], lang: str
) -> None:
    """An animal's appearance opens with what it is (`"animal": ["собака"]`): what its name says
    ("Mock Turtle"), else what the sentences that name it say (`animals.animal_kinds`)."""
    for cluster, member in pairs:
        if member.kind != "character":
            continue
        if animal := named_animal(member.name, lang):
            member.appearance["animal"] = [animal]
            continue
        bounds = sorted(
            {
                (m.chapter, *_sentence_bounds(texts[m.chapter], m.start, m.end))
                for name in cluster.names
                for m in name.mentions
            }
        )
        sentences = [texts[chapter][start:end] for chapter, start, end in bounds]
        if kinds := animal_kinds(sentences, lang):
            around = (_around(texts[chapter], start, end) for chapter, start, end in bounds)
            member.appearance["animal"] = [animal_word(kinds, around, lang)]


# Where the book says a character is a child, in the present of its story: "Alice, who was a
# very truthful child", "“I'm a little girl,” said Alice", «девочка Таня». A past-tense copula is
# left out: «когда Долли была ребенком», "Boris as a boy of fourteen" are memories of grown-ups.
_CHILD_AFTER_EN = re.compile(
    r",\s+who\s+was\s+(?:only\s+|but\s+|still\s+|just\s+)?an?\s+(?:[a-z-]+\s+){0,2}"
    r"(?:child|girl|boy)\b"
)
_CHILD_BEFORE_EN = re.compile(
    r"[“\"](?:I[—–-])*I[’']m\s+(?:only\s+|but\s+|just\s+)?an?\s+(?:[a-z-]+\s+){0,2}(?:child|girl|boy)\b"
    r"[^”\"]{0,80}[”\"],?\s+said\s+$"
)
_CHILD_BEFORE_RU = re.compile(
    r"(?<!\w)(?:девочк[аеиуой]|девочкой|мальчик(?:а|у|ом|е)?)\s+$", re.IGNORECASE
)
_CHILD_WORDS = {"en": "child", "ru": "ребенок"}


def _mark_children(
    pairs: list[tuple[_Cluster, CastMember]], texts: dict[int, str], lang: str
) -> None:
    """A character the book calls a child (`"age": ["child"]`), so that a figure of Alice is a
    girl, not "a woman"."""
    for cluster, member in pairs:
        if member.kind != "character" or "animal" in member.appearance:
            continue
        mentions = (m for name in cluster.names for m in name.mentions)
        if any(_called_a_child(texts[m.chapter], m.start, m.end, lang) for m in mentions):
            member.appearance["age"] = [_CHILD_WORDS[lang]]


def _called_a_child(text: str, start: int, end: int, lang: str) -> bool:
    before = text[max(0, start - 160) : start]
    if lang == "ru":
        return bool(_CHILD_BEFORE_RU.search(before[-24:]))
    return bool(_CHILD_AFTER_EN.match(text, end) or _CHILD_BEFORE_EN.search(before))


def _around(text: str, start: int, end: int) -> str:
    """The sentence text[start:end] with the sentences before and after it."""
    before = _sentence_bounds(text, start - 2, start - 2)[0] if start > 1 else start
    after = _sentence_bounds(text, end + 1, end + 1)[1] if end < len(text) else end
    return text[before:after]
