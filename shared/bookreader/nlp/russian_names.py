"""A Russian run of capitalised words read as a name: each part in the nominative by pymorphy3,
its slot (first name, patronymic, surname, place), the parts agreeing in case and gender, and the
book's own forms preferred where the dictionary guesses («Стива», not «Стив»; «Жерков» from
«Жеркова»). The names table (`ru_names.tsv`) says a first name's full form and sex.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bookreader.nlp.cast_names import NameVariant, Slot
from bookreader.nlp.morph_analyzer import morph, parse_word

_PERSON_TAGS = ("Name", "Surn", "Patr")
_SLOT_BY_TAG = {"Name": "first", "Patr": "patr", "Surn": "last", "Geox": "place"}
_RU_SURNAME = re.compile(r"^(.+?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|е|ым)$")
_RU_PARTICLE = re.compile(r"-(?:то|де|ка|с|либо|нибудь)$")  # «Марья-то», «Пугачевым-то»
# Case endings stripped to group the forms of a name pymorphy3 does not know («Юлая», «Юлаю»).
_RU_ENDINGS = ("ою", "ею", "ом", "ем", "ой", "ей", "ы", "и", "а", "я", "у", "ю", "е", "о", "ь", "й")
_RU_NOMINATIVE_LIKE = re.compile(r"(?:[бвгджзклмнпрстфхцчшщ]|[аяйьо])$")
_NOMINATIVE_SEEN = 2  # a nominative-like form written this often is the likeliest nominative
_RU_PATRONYMIC_KEY = re.compile(r"(?:ьевич|евич|ович|ич|ыч|ьевна|евна|овна|инична|ична|ишна|на)$")
RU_FEMININE_SURNAME = re.compile(r"^(.+(?:ов|ев|ин|ын))а$")
_RU_FEMININE_ADJECTIVAL = re.compile(r"^(.+(?:ск|цк))ая$")
NAMES_TABLE = Path(__file__).with_name("ru_names.tsv")


@dataclass(frozen=True, slots=True)
class RussianWord:
    person: float  # pymorphy3's probability mass of Name/Surn/Patr readings
    place: float  # … of Geox readings
    known: bool
    adjective: float  # … of adjective readings of a dictionary word («Придворный», «Божья»)
    nominal: bool  # some reading is a noun (or a name): «Однако», «Гей» have none


def clean_russian(token: str) -> str:
    """The name without a clinging particle («Марья-то» → «Марья»)."""
    return _RU_PARTICLE.sub("", token)


def russian_word(token: str) -> RussianWord:
    token = clean_russian(token)
    parses = parse_word(token)
    person = sum(p.score for p in parses if any(tag in p.tag for tag in _PERSON_TAGS))
    place = sum(p.score for p in parses if "Geox" in p.tag)
    known = morph().word_is_known(token.lower())
    # A possessive adjective («Левину» of лев, «Фомин» of Фома) is what surnames in -ин/-ов grew
    # from: beside a surname reading it says nothing against the name.
    surname = any("Surn" in p.tag for p in parses)
    adjective = (
        sum(
            p.score
            for p in parses
            if {"ADJF", "PRTF"} & p.tag.grammemes and not (surname and "Poss" in p.tag)
        )
        if known
        else 0
    )
    nominal = any("NOUN" in p.tag for p in parses)
    return RussianWord(person, place, known, adjective, nominal)


_RU_ADJECTIVAL_STEM = re.compile(r"^(.+(?:ск|цк))(?:ий|ого|ому|им|ом|ая|ой|ую|ою|ие|их|ими)$")


def russian_stem(token: str) -> str:
    """The token lower-cased without its case ending: the forms of one name share it (an
    adjectival surname the dictionary lacks too: «Крицкий», «Крицкого», «Крицкому»)."""
    word = clean_russian(token).lower().replace("ё", "е")
    adjectival = _RU_ADJECTIVAL_STEM.match(word)
    if adjectival and not morph().word_is_known(word):  # «Запорожской» is a dictionary adjective
        return adjectival.group(1)
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


class BookForms:
    """How often the book capitalises each word, and its forms grouped by stem."""

    def __init__(
        self, counts: Counter[str], stems: bool = True, women: frozenset[str] = frozenset()
    ) -> None:
        self.counts = counts
        self.women = women  # forms the book says of a woman somewhere («эта Картасова»)
        self._groups: dict[str, list[str]] = {}
        for token in counts if stems else ():
            self._groups.setdefault(russian_stem(token), []).append(token)

    def frequency(self, token: str) -> int:
        return self.counts[token]

    def forms(self, token: str) -> list[str]:
        """The book's capitalised words sharing the token's stem (the token among them)."""
        return self._groups.get(russian_stem(token)) or [token]

    def canonical(self, token: str) -> str:
        """Of the book's forms sharing the token's stem, the likeliest nominative: the most
        frequent, a nominative-like ending breaking ties («Юлай» for «Юлаю», «Мардохай»)."""
        forms = self._groups.get(russian_stem(token)) or [token]
        best = max(
            forms,
            key=lambda form: (
                self.counts[form] >= _NOMINATIVE_SEEN
                and bool(_RU_NOMINATIVE_LIKE.search(clean_russian(form))),
                self.counts[form],
                bool(_RU_NOMINATIVE_LIKE.search(clean_russian(form))),
                -len(form),
                form,
            ),
        )
        return clean_russian(best).replace("ё", "е")


_GENDERS = {"m": "masc", "f": "femn"}


@cache
def _full_names() -> dict[str, tuple[str, str] | None]:
    """Each first name and diminutive (lower-case, ё as е) → (full name, gender); a form two
    names of one gender share is its own full name («Егорушка»); None when a man's and a woman's
    names share it («Саша»)."""
    fulls: dict[str, tuple[str, str]] = {}
    owners: dict[str, dict[tuple[str, str], str]] = {}  # form → its entries → the form as written
    for line in NAMES_TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        full, gender, forms = line.split("\t")
        entry = (full, _GENDERS[gender])
        fulls[full.lower().replace("ё", "е")] = entry
        for form in forms.split():
            owners.setdefault(form.lower().replace("ё", "е"), {})[entry] = form
    table: dict[str, tuple[str, str] | None] = {}
    for key, entries in owners.items():
        genders = {gender for _, gender in entries}
        if len(entries) == 1:
            table[key] = next(iter(entries))
        elif len(genders) == 1:  # «Егорушка» of Георгий or Егор: its own name, but a man's
            table[key] = (next(iter(entries.values())), genders.pop())
        else:
            table[key] = None  # «Саша»: a man or a woman
    table.update(fulls)
    return table


def first_name_entry(name: str) -> tuple[str, str] | None:
    """(full name, gender) of a first name or diminutive: «Костя» → («Константин», "masc")."""
    return _full_names().get(name.lower().replace("ё", "е"))


def full_first_name(name: str) -> str:
    """«Костя» → «Константин», «Стива» → «Степан»; the name itself when not a known diminutive."""
    entry = first_name_entry(name)
    return entry[0] if entry else name


def _part_key(slot: str, value: str) -> str:
    """What the parts of two mentions must share to be one person: the full first name, the
    patronymic's root (Аркадьич = Аркадьевич), the surname's masculine form (Миронова → Миронов)."""
    if slot == "first":
        return full_first_name(value)
    if slot == "patr":
        root = _RU_PATRONYMIC_KEY.sub("", value.lower().replace("ё", "е")).replace("ь", "")
        return root.removesuffix("и") or value
    if slot == "last":
        return masculine_surname(value) or value
    return value


def as_surname(variant: NameVariant) -> NameVariant:
    """The same one-word name read as a person's surname, keyed as every surname is."""
    return NameVariant(
        "person", (("last", _part_key("last", variant.display)),), variant.gender, variant.display
    )


def masculine_surname(value: str) -> str | None:
    """The masculine form of a woman's surname (Миронова → Миронов, Щербацкая → Щербацкий);
    None for any other word."""
    masculine = RU_FEMININE_SURNAME.match(value) or _RU_FEMININE_ADJECTIVAL.match(value)
    return masculine.group(1) + ("ий" if value.endswith("ая") else "") if masculine else None


def _slot_of(parse: object) -> str | None:
    for tag, slot in _SLOT_BY_TAG.items():
        if tag in parse.tag:  # type: ignore[attr-defined]
            return slot
    return None


def _nominative(parse: object) -> str:
    inflected = parse.inflect({"nomn", "sing"}) if "Pltm" not in parse.tag else None  # type: ignore[attr-defined]
    return (inflected.word if inflected else parse.normal_form).replace("ё", "е")  # type: ignore[attr-defined]


def _title_case(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


_SLOT_ORDER = {"first": 0, "patr": 1, "last": 2}
_RU_ADJECTIVAL_SURNAME = re.compile(r"(?:ск|цк)(?:ий|ой|ая)$")
_RU_PATRONYMIC = re.compile(r"(?:ич|вн)(?:а|у|ем|е|ы|ой|ою)?$")
_RU_PATRONYMIC_MASC = re.compile(r"^(.+(?:ич|ыч))(?:а|у|ем|ом|е)?$")
_RU_PATRONYMIC_FEM = re.compile(r"^(.+(?:вн|чн))(?:а|ы|е|у|ой|ою)$")


def _patronymic_nominative(token: str) -> str | None:
    """«Кузмича» → «Кузмич», «Памфиловной» → «Памфиловна» (pymorphy3 lacks the colloquial forms)."""
    masculine = _RU_PATRONYMIC_MASC.match(token)
    if masculine:
        return masculine.group(1)
    feminine = _RU_PATRONYMIC_FEM.match(token)
    return feminine.group(1) + "а" if feminine else None


_RU_PATRONYMIC_ROOT = re.compile(r"^(.+?)ь?(?:ич|ыч)(?:а|у|ем|ом|е)?$")


def _colloquial_patronymic(token: str) -> str | None:
    """The nominative of a clipped patronymic made from a first name that pymorphy3 reads as
    something else («Дмитрича»: a surname; «Дмитрич»: a place): «Дмитрич» of Дмитрий,
    «Станиславич» of Станислав. A word in -ич whose root names no one («Гриневич») is not one."""
    root = _RU_PATRONYMIC_ROOT.match(token)
    if root is None:
        return None
    stem = root.group(1)
    for ending in ("", "ий", "й", "а", "я"):
        entry = first_name_entry(stem + ending)
        if entry and entry[1] == "masc":
            return _patronymic_nominative(token)
    return None


def _names_a_father(patronymic: str) -> bool:
    """The patronymic's root is a first name («Станиславич» of Станислав, «Кузьминична» of
    Кузьма, «Аркадьевна» of Аркадий); «Гриневич», «Тушкевич» are surnames pymorphy3 guesses as
    patronymics from their ending alone."""
    lowered = patronymic.lower().replace("ё", "е")
    root = _RU_PATRONYMIC_KEY.sub("", lowered)
    if root == lowered:
        return False
    # «Ильич» of Илья, «Львовна» of Лев, «Павлович» of Павел, «Кузмич» of Кузьма
    stems = {root, root.rstrip("ь"), root + "ь", root.replace("ь", "е")}
    stems |= {root[:-1] + vowel + root[-1:] for vowel in ("е", "ь")}
    for stem in stems:
        for ending in ("", "ий", "й", "а", "я", "о"):
            name = stem + ending
            entry = first_name_entry(name)
            if (entry and entry[0].lower() == name) or (
                morph().word_is_known(name)
                and any(_slot_of(p) == "first" and "nomn" in p.tag for p in parse_word(name))
            ):
                return True  # a full name: no one's patronymic is made from «Гриня»
    return False


def _guessed(token: str) -> bool:
    """pymorphy3 does not know the word: its readings are guesses from the ending."""
    if morph().word_is_known(token.lower()) or first_name_entry(token):
        return False
    return not any(first_name_entry(p.normal_form) for p in parse_word(token)[:3])  # «Емельки»


def _name_parses(token: str) -> list:
    parses = parse_word(token)
    tagged = [p for p in parses if _slot_of(p)]
    if _RU_PATRONYMIC.search(token):  # «Дмитрич» is a patronymic, whatever else it could be
        tagged = [p for p in tagged if "Patr" in p.tag] or tagged
    if _guessed(token):  # a first name pymorphy3 does not know is likelier a surname («Кознышева»)
        tagged = [p for p in tagged if "Surn" in p.tag] or tagged
    return tagged or list(parses[:1])


def _unknown_value(token: str, parse: object, forms: BookForms | None) -> tuple[Slot, str]:
    """A word without a name reading: a surname by its suffix, a common noun used as a name by
    its dictionary nominative («Тетку» → Тетка), anything else by the book's likeliest form."""
    surname = _RU_SURNAME.match(token)
    if surname:
        return "last", surname.group(1)
    value = forms.canonical(token) if forms else token
    if "NOUN" in parse.tag and morph().word_is_known(token.lower()):  # type: ignore[attr-defined]
        nominative = _title_case(_nominative(parse))
        if forms is None or forms.frequency(nominative):  # «Тетка», not «Палаш» for «Палаша»
            value = nominative
    return ("first" if first_name_entry(value) else "name"), value


def _value(
    token: str, parse: object, forms: BookForms | None, in_run: bool = False
) -> tuple[Slot, str]:
    slot = _slot_of(parse)
    if slot == "first" and in_run and _guessed(token):
        slot = None  # «Престоном Хольтом»: a guessed first name, not «Хольтом» the name
    if slot != "patr" and _colloquial_patronymic(token):
        return "patr", _colloquial_patronymic(token)  # type: ignore[return-value]
    if slot == "patr" or (slot is None and _RU_PATRONYMIC.search(token)):
        colloquial = _patronymic_nominative(token)
        if colloquial and (slot is None or "Patr" in parse.tag):  # type: ignore[attr-defined]
            if _guessed(token) and not _names_a_father(colloquial):
                return "last", colloquial  # «Тушкевиче»: a surname's case, not a patronymic
            return "patr", colloquial
    if slot is None:
        return _unknown_value(token, parse, forms)
    return slot, _title_case(_nominative(parse))


# A man's name of the hard declension: the bare form, then the case endings after it
_RU_CONSONANT_END = re.compile(r"[бвгджзклмнпрстфхцчшщ]$")
_RU_MASCULINE_CASES = ("ом", "ем", "ым", "а", "у", "е")
_RU_SURNAME_STEM = re.compile(r"(?:ов|ев|ёв|ин|ын)$")
# Patronymics and adjectival stems decline otherwise
_RU_NOT_A_BARE_NAME = re.compile(r"(?:ич|ыч|ск|цк)$")
_BARE_SEEN = 2  # times the book writes the bare form for it to be the nominative


def _declined_as_a_man(token: str, forms: BookForms) -> str | None:
    """The nominative of a name the book declines as a man's — it writes the consonant-final
    form itself and its cases: «Мюрат», «Мюрата», «Мюрату» are Мюрат (pymorphy3 guesses
    «Мюрата», a woman), «Александра» beside «Александр», «Александром» is his genitive. The bare
    form must be a name or a word the dictionary lacks («Анн» is Анна's plural genitive), and a
    surname's -а form is never said of a woman in the book (`BookForms.women`)."""
    stems = [token] + [token[: -len(e)] for e in _RU_MASCULINE_CASES if token.endswith(e)]
    for bare in stems:
        if not _RU_CONSONANT_END.search(bare) or forms.frequency(bare) < _BARE_SEEN:
            continue
        root = _RU_SURNAME_STEM.sub("", bare)
        if (
            _RU_NOT_A_BARE_NAME.search(bare)
            or russian_stem(bare) != bare.lower().replace("ё", "е")
            or (root != bare and first_name_entry(root))
        ):
            continue  # «Иваныч», «Свияжск», «Свияжском», and «Тарасов» (Тарас's, an adjective)
        if not any(forms.frequency(bare + e) for e in _RU_MASCULINE_CASES):
            continue  # nothing declined: nothing to decide
        if bare + "а" in forms.women and token != bare:
            continue  # «Картасова», «Каренину»: a lady's too, whose husband is in the book
        if morph().word_is_known(bare.lower()) and not any(
            _slot_of(p) and {"nomn", "sing", "masc"} <= p.tag.grammemes for p in parse_word(bare)
        ):
            continue
        return bare
    return None


def _bare_masculine(token: str, options: list) -> NameVariant:
    """The variant of a man's bare name (`_declined_as_a_man`): the dictionary's reading of it
    as a nominative, else a surname by its suffix, a first name when the dictionary has any name
    reading for it, an unknown name otherwise."""
    own = [p for p in options if _slot_of(p) and p.normal_form == token.lower().replace("ё", "е")]
    if own:
        best = max(own, key=lambda p: p.score)
        slot, value = _value(token, best, None)
    elif _RU_SURNAME_STEM.search(token):
        slot, value = "last", token
    else:
        slot = "first" if any(_slot_of(p) == "first" for p in options) else "name"
        value = token
    kind = "unknown" if slot == "name" else "person"
    gender = "masc" if kind == "person" else None
    return NameVariant(kind, ((slot, _part_key(slot, value)),), gender, value)


_RU_OLD_SPELLING = re.compile(r"^(.+)ь(?:я|ю|е|ем)$")


def _old_spelling(token: str, forms: BookForms) -> str | None:
    """The nominative of a man's name in -ий the book writes in the old spelling of its cases:
    Tolstoy's «Василья», «Василью», «Васильем» are Василий's (pymorphy3 reads «Василья» as a name
    of its own)."""
    match = _RU_OLD_SPELLING.match(token)
    if match is None:
        return None
    name = match.group(1) + "ий"
    entry = first_name_entry(name)
    if entry and entry[1] == "masc" and forms.frequency(name) >= _BARE_SEEN:
        return name
    return None


def _single_russian(token: str, forms: BookForms | None) -> NameVariant:
    """One word: of its readings, the one whose nominative the book uses most («Левину» → Левин)."""
    old = _old_spelling(clean_russian(token), forms) if forms else None
    if old:
        return _single_russian(old, forms)
    variant = _read_russian(token, forms)
    bare = _declined_as_a_man(clean_russian(token), forms) if forms else None
    if bare and variant.kind != "place" and (bare != variant.display or variant.kind == "unknown"):
        # «Жерков», «Телянина» too, which the dictionary lacks: the surname of its cases
        return _bare_masculine(bare, _name_parses(bare))
    return variant


def _read_russian(token: str, forms: BookForms | None) -> NameVariant:
    options = _name_parses(token)
    frequency = forms.frequency if forms else (lambda _: 0)
    best = max(
        options,
        key=lambda p: (frequency(_title_case(_nominative(p))) if _slot_of(p) else 0, p.score),
    )
    surname = _RU_SURNAME.match(token)
    if _slot_of(best) == "place" and surname and frequency(surname.group(1)) >= _SURNAME_SEEN:
        # «Тушина», «Билибину»: the dictionary's village (Тушино, Билибино), the book's man
        return _single_russian(surname.group(1), forms)
    family = _adjectival_surname(token, frequency) if _slot_of(best) == "place" else None
    if family and family != token:
        # «у Свияжских»: the family of the book's «Свияжский», not the village «Свияжское»
        return _single_russian(family, forms)
    slot, value = _value(token, best, forms)
    if slot == "first" and forms and _book_knows_better(value, forms.canonical(token), forms):
        value, best = forms.canonical(token), options[0]
        slot = "first" if first_name_entry(value) else "name"  # «Стива», not «Стив»
    kind = "place" if slot == "place" else "person" if slot != "name" else "unknown"
    gender = best.tag.gender if _slot_of(best) else None
    if slot == "last" and _guessed(token) and len({p.tag.gender for p in options}) > 1:
        gender = None  # «Кознышева», a surname pymorphy3 guesses: his genitive or her nominative
    entry = first_name_entry(value) if slot == "first" else None
    gender = entry[1] if entry else gender  # «Емелька» is a man
    if entry and _slot_of(best) and best.tag.gender not in (None, gender):
        # «Ани»: the man's indeclinable name read first; the names table's woman is «Аня»
        agreeing = [
            p for p in options if _slot_of(p) == "first" and p.tag.gender == gender and p.is_known
        ]  # a guessed «Жюля» is no better than «Жюли»
        if agreeing:
            value = _title_case(_nominative(agreeing[0]))
    return NameVariant(kind, ((slot, _part_key(slot, value)),), gender, value)


def _adjectival_surname(token: str, frequency: Callable[[str], int]) -> str | None:
    """The masculine «-ский» surname the book writes often, of which the word is a case or the
    plural («Свияжских», «Свияжским» of «Свияжский»); None when there is none."""
    for parse in parse_word(token.lower()):
        if parse.tag.POS != "ADJF":
            continue
        masculine = parse.inflect({"masc", "sing", "nomn"})
        if masculine and frequency(_title_case(masculine.word)) >= _SURNAME_SEEN:
            return _title_case(masculine.word)
    return None


_OBLIQUE_CASES = frozenset(["gent", "datv", "accs", "ablt", "loct"])
# A surname the book writes in the nominative this often owns its other cases
_SURNAME_SEEN = 2


def _book_knows_better(value: str, canonical: str, forms: BookForms) -> bool:
    """The book's own commonest form is not what pymorphy3 calls the nominative and cannot be a
    nominative of any name it knows, nor a case of this name where the book writes this name
    too or people bear it: the book has its own name («Регал», not the woman's name «Регала»
    whose plural genitive it would be; «Стива», not «Стив»), but «Акулины» is Акулина's genitive
    and «Екатерины» Екатерина's, though the book never writes her nominative."""
    if canonical == value or forms.frequency(canonical) <= forms.frequency(value):
        return False
    readings = parse_word(canonical.lower())
    if (forms.frequency(value) or first_name_entry(value)) and any(
        _slot_of(p) == "first"
        and "sing" in p.tag
        and p.tag.case in _OBLIQUE_CASES
        and p.normal_form == value.lower()
        for p in readings
    ):
        return False
    return not any(_slot_of(p) == "first" and {"nomn", "sing"} <= p.tag.grammemes for p in readings)


def _agreeing_reading(tokens: Sequence[str], choices: list[list]) -> tuple[str | None, str] | None:
    """The (gender, case) every part of a run can take — names of one person agree in case, and
    name readings in gender — supported best; None when there is none («Пугачеву Ивана»)."""
    best: tuple[float, str | None, str] | None = None
    for gender, case in sorted({(p.tag.gender, p.tag.case) for p in choices[0]}, key=str):
        total = 0.0
        for token, options in zip(tokens, choices, strict=True):
            if not any(_slot_of(p) for p in options) or _guessed(token):
                continue  # no known name reading («Отрепьев», «Хольтом»): agrees with any case
            fitting = [p for p in options if p.tag.case == case and _agrees(p, gender)]
            if not fitting:
                break
            total += max(p.score for p in fitting)
        else:
            if best is None or total > best[0]:
                best = (total, gender, case)
    return (best[1], best[2]) if best else None


def _agrees(parse: object, gender: str | None) -> bool:
    own = parse.tag.gender  # type: ignore[attr-defined]
    return gender is None or own in (gender, None) or not _slot_of(parse)


def _undeclined_first_name(tokens: Sequence[str], choices: list[list]) -> bool:
    """A man's first name left in the nominative before his declined patronymic, as speech has
    it: «о Сергей Иваныче», «с Алексей Александровичем»."""
    return (
        len(tokens) > 1
        and not _guessed(tokens[0])
        and any(_slot_of(p) == "first" and {"masc", "nomn"} <= p.tag.grammemes for p in choices[0])
        and any(_slot_of(p) == "patr" and p.tag.case in _OBLIQUE_CASES for p in choices[1])
    )


def russian_variant(tokens: Sequence[str], forms: BookForms | None = None) -> NameVariant | None:
    """The run's name, each part in the nominative, parts agreeing in gender and case; None
    when the words can't be one name (no common case, two surnames, a place among them)."""
    tokens = [clean_russian(token) for token in tokens]
    if len(tokens) == 1:
        return _single_russian(tokens[0], forms)
    choices = [_name_parses(token) for token in tokens]
    reading = _agreeing_reading(tokens, choices)
    if reading is None and _undeclined_first_name(tokens, choices):
        reading = _agreeing_reading(tokens[1:], choices[1:])
    if reading is None:
        return None
    gender, case = reading
    if forms and any(_declined_as_a_man(t, forms) == t for t in tokens):
        # a man's bare name is a nominative: so are the run's other names («Дмитро Товкач»),
        # or the run is two names («сказал Жерков Болконскому»)
        if any(
            any(_slot_of(p) for p in options) and not any(p.tag.case == "nomn" for p in options)
            for options in choices
        ):
            return None
        case = "nomn"
    parts: list[tuple[Slot, str]] = []
    display: list[str] = []
    frequency = forms.frequency if forms else (lambda _: 0)
    named_first = any(
        _slot_of(options[0]) == "first" and not _guessed(token)
        for token, options in zip(tokens, choices, strict=True)
    )
    for token, options in zip(tokens, choices, strict=True):
        fitting = [p for p in options if p.tag.case == case and _agrees(p, gender)]
        parse = max(
            fitting or options[:1],
            key=lambda p: (
                frequency(_title_case(_nominative(p))) if _slot_of(p) else 0,
                _slot_of(p) == ("first" if not parts else "last"),  # «Акулиной Памфиловной»
                p.score,
            ),
        )
        slot, value = _value(token, parse, forms, in_run=True)
        if slot == "first" and forms and _book_knows_better(value, forms.canonical(token), forms):
            value = forms.canonical(token)  # «Стива Облонский», not «Стив»
            slot = "first" if first_name_entry(value) else "name"
        if slot == "name":  # an unknown word: a first name before a surname, else the surname
            slot = "first" if not parts and not named_first else "last"
        if (
            slot == "place"
            and parts
            and parts[-1][0] in ("first", "patr")
            and (_RU_ADJECTIVAL_SURNAME.search(value))
        ):
            slot = "last"  # «Бетси Тверская»: a first name's adjectival surname, not the street
        entry = first_name_entry(value) if slot == "first" else None
        gender = entry[1] if entry else gender
        parts.append((slot, _part_key(slot, value)))
        display.append(value)
    slots = [slot for slot, _ in parts]
    if set(slots) == {"place"}:
        kind = "place"
    elif set(slots) & {"first", "patr", "last"} and "place" not in slots:
        kind = "person"
    else:
        kind = "unknown"
    if len(set(slots)) < len(slots):
        return None  # two first names or two surnames: a list, not one name
    return NameVariant(kind, tuple(parts), gender, " ".join(display))
