"""Build the Russian → English lexicon for prompts by inverting packaged English → Russian
dictionaries (dictd format, as Debian installs them):

    python -m bookreader.images.build_lexicon [DICTD_DIR] > lexicon_ru_en.tsv

Sources, both GPL-2-or-later (see the TSV's header): Mueller's English–Russian dictionary, 7th
edition (Debian `mueller7-dict`, 46 k headwords) and FreeDict's English–Russian dictionary
(Debian `dict-freedict-eng-rus`, 1.7 k headwords). Every Russian translation of a noun or
adjective sense becomes a candidate for its English headword, and every Russian verb of a verb
sense lends its participles the English participle (`lemminflect` inflects the English verb;
the participle is listed by its own masculine form, «разорванный» → torn). A Russian lemma keeps
the English word that names it best: an early sense, early in its sense, of a common English
word (word frequencies from the `wordfreq` package). Both packages are build-time only (`make
lexicon`); the product reads the committed TSV."""

from __future__ import annotations

import gzip
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from bookreader.nlp.morph_analyzer import PERSON_NAME_TAGS, morph

DICTD = Path("/usr/share/dictd")
SOURCES = ("mueller7.dict.dz", "freedict-eng-rus.dict.dz")
_HEADWORD = re.compile(r"^[a-z][a-z' -]*[a-z]$")
_HOMONYM = re.compile(r"^_(I+|IV|V)\b")
_TRANSCRIPTION = re.compile(r"\[[^\]]*\]")
_POS_BLOCK = re.compile(
    r"^(?:\d+\.\s*)?_(n-ord|n-card|n|a|v|adv|pron|prep|conj|int|num|attr|pl|p-p|pres-p|past)\."
)
# English slurs and insults the dictionary lists as headwords (енот was "coon", темнокожий
# "negro", вязанка "faggot"): never a prompt's word.
_OFFENSIVE = frozenset(
    {
        *("nigger", "nigga", "negro", "negress", "coon", "darkie", "darky", "chink", "gook"),
        *("dago", "wop", "spic", "kike", "yid", "squaw", "faggot", "fag", "dyke", "tranny"),
        *("retard", "jap", "gyp", "wog", "paki", "redskin", "hottentot", "coolie", "sambo"),
    }
)
_SENSE_START = re.compile(r"^(\d+)\)")
_LABEL = re.compile(r"_[^\s.]+\.")  # _разг. _ам. _зоол. …
_FIGURATIVE = ("_перен.", "_разг.", "_уст.", "_поэт.", "_презр.", "_шутл.", "_груб.", "_жарг.")
# A trade's sense of a verb (swift, _мор. «обтягивать»: to haul taut) is rarely what a book's
# participle means («обтянутый кожей», covered): it names the participle only when nothing
# else does, and not at all from the verb block of a word that is first something else.
_SPECIALIST = frozenset(
    {
        *("_мор.", "_тех.", "_хим.", "_спорт.", "_ав.", "_геол.", "_горн.", "_эл.", "_мат."),
        *("_полигр.", "_стр.", "_рад.", "_текст.", "_мин.", "_фин.", "_эк.", "_карт."),
        *("_кин.", "_метал.", "_авт.", "_фот.", "_физ.", "_юр.", "_грам.", "_муз.", "_ком."),
        *("_лингв.", "_фон.", "_парл.", "_мед.", "_биол.", "_анат.", "_физиол.", "_астр."),
    }
)


def is_specialist(text: str) -> bool:
    return any(label in _SPECIALIST for label in _LABEL.findall(text))


_PARENS = re.compile(r"\([^()]*\)")
# «двигать(ся)» is two verbs, the transitive and the reflexive; the brackets would hide the second
_REFLEXIVE = re.compile(r"\b([а-яё]+)\((с[яь])\)(?=\s*(?:[,;]|$))")
# an example whose translation is one Russian word: "fur coat (меховая) шуба", "high boot сапог"
_EXAMPLE = re.compile(r"^([a-z][a-z' -]*[a-z])\s+([а-яё]+)$")
_LATIN = re.compile(r"[A-Za-z]")
_RUSSIAN_WORD = re.compile(r"^[а-яё]+(?:-[а-яё]+)?$")
_WANTED = {"n": "NOUN", "a": "ADJF", "v": "INFN", "n-ord": "ADJF"}  # "third" _n-ord. третий
# A verb's Russian participles said by an English participle: «разорванный» (past passive) by
# the past participle (torn), «сверкающий» / «сверкавший» (active) by the -ing form (sparkling).
_PARTICIPLES = (
    ({"PRTF", "past", "pssv"}, "VBN"),
    ({"PRTF", "pres", "pssv"}, "VBN"),
    ({"PRTF", "pres", "actv"}, "VBG"),
    ({"PRTF", "past", "actv", "impf"}, "VBG"),
)
_MASC_NOMN = frozenset({"masc", "sing", "nomn"})
_FROM_VERB = 0.8  # a word the dictionary gives as an adjective names its participle better
_PAIRED = 0.9  # a perfective found by its suffix, not listed by the dictionary
_LATER_VERB = 0.4  # the verb of a word first a noun ("to moon about") is rarely the sense meant
_EXAMPLE_WEIGHT = 0.5  # a word translating an example phrase names it less surely than a sense
_LOOSE = 0.2  # a hue without its tone: a last resort
_TRADE = 0.1  # a verb's trade sense («обугливать», _хим. carbonize) after its everyday one (char)


@dataclass(frozen=True)
class Candidate:
    russian: str
    english: str
    pos: str  # NOUN | ADJF | INFN
    score: float
    later: bool = False  # from a verb block after the entry's first part of speech


def entries(text: str) -> Iterator[tuple[str, list[str]]]:
    """(headword, body lines) of a dictd text: a headword line starts at the margin with a
    Latin letter; everything else (indented, or a wrapped Russian line) belongs to the entry."""
    headword, body = "", list[str]()
    for line in text.splitlines():
        if line[:1].isascii() and line[:1].isalpha():
            if headword:
                yield headword, body
            headword, body = line.strip(), []
        elif headword:
            body.append(line)
    if headword:
        yield headword, body


@dataclass(frozen=True)
class Sense:
    pos: str  # n, a, v… ("" when the entry names none)
    homonym: int  # 0 for _I (or none), 1 for _II…
    number: int  # 0 for the first sense
    text: str
    later: bool = False  # a part of speech after the entry's first («moon» the verb)
    labels: str = ""  # the labels of its part of speech's block ("4. _v. _мор.")


def senses(body: list[str]) -> Iterator[Sense]:
    homonym, pos, number, current = 0, "", 0, ""
    blocks, later, labels = 0, False, ""
    for raw in body:
        line = raw.strip()
        if found := _HOMONYM.match(line):
            if current:
                yield Sense(pos, homonym, number, current, later, labels)
            homonym, pos, number, current = len(found.group(1)) - 1, "", 0, ""
            blocks, later, labels = 0, False, ""
            line = line[found.end() :].strip()
        line = _TRANSCRIPTION.sub(" ", line).strip()
        if found := _POS_BLOCK.match(line):
            if current:
                yield Sense(pos, homonym, number, current, later, labels)
            pos, number, current = found.group(1), 0, ""
            blocks, later = blocks + 1, blocks > 0
            line = line[found.end() :].strip()
            # a label alone after the part of speech holds for every sense of the block
            labels = line if line and not _LABEL.sub("", line).strip() else ""
        if found := _SENSE_START.match(line):
            if current:
                yield Sense(pos, homonym, number, current, later, labels)
            number, current = int(found.group(1)) - 1, ""
            line = line[found.end() :]
        current += " " + line
    if current.strip():
        yield Sense(pos, homonym, number, current, later, labels)


class Translation(NamedTuple):
    russian: str
    figurative: bool  # a figurative or colloquial label stands before it
    attributive: bool  # `_attr.`: the adjective of a noun, «казацкий» under Cossack
    english: str = ""  # the example phrase it translates ("fur coat"), "" for the headword
    loose: bool = False  # a hue said without its tone («бледно-лиловый» → лиловый)
    specialist: bool = False  # a trade's label stands before it (_мор., _тех.…)


def translations(sense: str, headword: str = "") -> list[Translation]:
    """The Russian single words of a sense, in order. Examples (they hold English) are skipped,
    except a short one that has the headword and is translated by one Russian word ("fur coat
    шуба"): that word is given the example's English."""
    words = []
    figurative = specialist = False
    sense = _REFLEXIVE.sub(r"\1, \1\2", sense)
    for segment in _PARENS.sub(" ", _PARENS.sub(" ", sense)).split(";"):
        figurative = figurative or any(label in segment for label in _FIGURATIVE)
        specialist = specialist or is_specialist(segment)
        attributive = "_attr." in segment
        if _LATIN.search(_LABEL.sub(" ", segment)):
            example = _example(_LABEL.sub(" ", segment), headword)
            if example:
                words.append(
                    Translation(example[1], figurative, attributive, example[0], False, specialist)
                )
            continue  # an example phrase or a cross-reference
        for item in segment.split(","):
            item = _LABEL.sub(" ", item).strip(" .!?-—").lower().replace("ё", "е")
            if colour := _COLOUR_NAME.match(item):  # "dove-colour": «сизый цвет» → сизый
                item, attributive = colour.group(1), True
            if _RUSSIAN_WORD.match(item):
                words.append(Translation(item, figurative, attributive, specialist=specialist))
            if head := _loose_head(item):
                words.append(
                    Translation(head, figurative, attributive, loose=True, specialist=specialist)
                )
    return words


_COLOUR_NAME = re.compile(r"^([а-я]+(?:-[а-я]+)?(?:ый|ий|ой)) цвет$")
_TONED = re.compile(r"^[а-я]+о-([а-я]+)$")  # «бледно-лиловый», «розовато-лиловый»


def _loose_head(item: str) -> str | None:
    """A colour's hue after its tone («бледно-лиловый» → лиловый): it names the headword only
    when nothing names it better (see _LOOSE). (The noun of an adjective + noun translation,
    «нижняя рубаха» → рубаха, was tried: too often a mere kind of it, «бизань» → dandy.)"""
    found = _TONED.match(item)
    return found.group(1) if found else None


def _example(segment: str, headword: str) -> tuple[str, str] | None:
    """(English, Russian) of a noun phrase of two or three words with the headword in it
    ("riding boot сапог", "fur coat шуба") translated by one Russian word."""
    found = _EXAMPLE.match(" ".join(segment.split()).strip(" .,!?"))
    if not found or not headword:
        return None
    english, russian = found.group(1), found.group(2)
    words = english.split()
    if not 2 <= len(words) <= 3 or words[0] in ("to", "a", "the") or headword not in words:
        return None
    return english, russian.replace("ё", "е")


def candidates(source: Path) -> Iterator[Candidate]:
    text = gzip.decompress(source.read_bytes()).decode("utf-8", errors="replace")
    for headword, body in entries(text):
        english = headword.strip().lower()
        if not _HEADWORD.match(english) or english.count(" ") > 1:
            continue
        if _OFFENSIVE & set(re.split(r"[ -]", english)):
            continue  # a slur never names anything in a prompt; the next sense will
        commonness = _commonness(english)
        for sense in senses(body):
            wanted = _WANTED.get(sense.pos or "n")
            if wanted is None:
                continue
            rank = (1 + sense.number) * (1 + 0.7 * sense.homonym)
            for position, said in enumerate(translations(sense.text, english)):
                if said.english and wanted == "INFN":
                    continue  # a verb's example is a clause, not a name for a thing
                trade = wanted == "INFN" and (said.specialist or is_specialist(sense.labels))
                if trade and sense.later:
                    continue  # "swift" the adjective, then _мор. «обтягивать»: no participle
                score = commonness / rank / (1 + 0.4 * position)
                pos = "ADJF" if said.attributive else wanted
                weight = (0.3 if said.figurative else 1.0) * (
                    _EXAMPLE_WEIGHT if said.english else 1
                )
                weight *= _LOOSE if said.loose else 1.0
                weight *= _TRADE if trade else 1.0
                yield Candidate(
                    said.russian, said.english or english, pos, score * weight, sense.later
                )


def _commonness(english: str) -> float:
    """Zipf frequency (0–8); a phrase counts as its rarest word, less."""
    from wordfreq import zipf_frequency

    parts = re.split(r"[ -]", english)
    if len(parts) == 1:
        return float(zipf_frequency(english, "en"))
    return max(0.0, min(float(zipf_frequency(part, "en")) for part in parts) - 1.5)


def lemma_of(word: str, pos: str) -> str | None:
    """The pymorphy3 lemma when the word can be that part of speech (the dictionary's own
    headword forms are already lemmas; this folds spelling variants and drops mismatches). A
    participle given as an adjective («вышитый») keeps its own masculine form, the key the
    prompt looks participles up by (pymorphy3's normal form of one is the verb)."""
    # a name's case last: «улей» is the hive, not the instrumental of Уля
    parses = sorted(morph().parse(word), key=lambda p: bool(PERSON_NAME_TAGS & p.tag.grammemes))
    for parse in parses:
        if pos == parse.tag.POS:
            return str(parse.normal_form).replace("ё", "е")
        if pos == "ADJF" and parse.tag.POS == "PRTF":
            return participle_key(parse)
    return None


def participle_key(parse: Any) -> str | None:
    """A participle's masculine nominative singular, ё as е: how the lexicon lists it."""
    form = parse.inflect(set(_MASC_NOMN))
    return str(form.word).replace("ё", "е") if form else None


# The dictionaries mostly give a verb's imperfective (надевать, отворять); its perfective, whose
# past passive participle is the one books use (надетый, отворённый), by the usual suffix pairs,
# kept only when the analyser knows it as a perfective verb.
_PERFECTIVES = (
    ("ывать", ("ать", "ыть", "нуть", "ить")),
    ("ивать", ("ать", "ить", "нуть", "еть")),
    ("евать", ("еть",)),
    ("авать", ("ать",)),
    ("влять", ("вить",)),
    ("млять", ("мить",)),
    ("блять", ("бить",)),
    ("плять", ("пить",)),
    ("ять", ("ить",)),
    ("имать", ("ять",)),  # снимать → снять, обнимать → обнять
    ("ирать", ("ереть",)),  # стирать → стереть (стертый), вытирать → вытереть
    ("ать", ("ить",)),
)


def perfectives(verb: str) -> list[str]:
    """Perfective partners of an imperfective infinitive that the analyser knows."""
    found = []
    for suffix, replacements in _PERFECTIVES:
        if verb.endswith(suffix) and len(verb) - len(suffix) >= 2:
            for replacement in replacements:
                other = verb[: -len(suffix)] + replacement
                known = morph().word_is_known(other)
                if known and any({"INFN", "perf"} <= p.tag.grammemes for p in morph().parse(other)):
                    found.append(other)
            break
    return found


def participles(verb: str, english: str) -> Iterator[tuple[str, str]]:
    """(Russian participle key, English participle) of a Russian infinitive translating an
    English verb; an English phrasal verb ("put on") inflects its first word."""
    from lemminflect import getInflection

    infinitive = next((p for p in morph().parse(verb) if p.tag.POS == "INFN"), None)
    if infinitive is None:
        return
    first, _, rest = english.partition(" ")
    for grammemes, english_tag in _PARTICIPLES:
        if not grammemes - {"PRTF", "past", "pres", "pssv", "actv"} <= infinitive.tag.grammemes:
            continue  # the active past of a perfective verb («разорвавший») is no modifier
        form = infinitive.inflect((grammemes - {"impf"}) | _MASC_NOMN)
        inflected = getInflection(first, english_tag)
        if form is None or not inflected:
            continue
        yield str(form.word).replace("ё", "е"), " ".join([inflected[0], *([rest] if rest else [])])


def build(dictd: Path = DICTD) -> dict[str, str]:
    best: dict[str, tuple[float, str]] = {}
    for name in SOURCES:
        path = dictd / name
        if not path.exists():
            raise SystemExit(f"{path} is missing: install the Debian package (make lexicon)")
        for candidate in candidates(path):
            english = (
                candidate.english.replace("-", " ")
                if " " in candidate.english
                else (candidate.english)
            )
            said: list[tuple[str, str, float]] = []
            if candidate.pos == "INFN":
                score = candidate.score * _FROM_VERB * (_LATER_VERB if candidate.later else 1.0)
                said = [(r, e, score) for r, e in participles(candidate.russian, english)]
                for perfective in perfectives(candidate.russian):
                    said += [(r, e, score * _PAIRED) for r, e in participles(perfective, english)]
            elif lemma := lemma_of(candidate.russian, candidate.pos):
                said = [(lemma, english, candidate.score)]
            for lemma, words, score in said:
                if lemma not in best or score > best[lemma][0]:
                    best[lemma] = (score, words)
    return {lemma: english for lemma, (_, english) in sorted(best.items())}


HEADER = (
    "# Russian lemma (pymorphy3 normal form; a participle by its own masculine form; ё as е)\n"
    "# → English, for image prompts.\n"
    "# Generated by `make lexicon` (python -m bookreader.images.build_lexicon): do not edit;\n"
    "# hand-curated senses go to glossary_ru_en.tsv, which wins over this table.\n"
    "# Inverted from Mueller's English-Russian dictionary, 7th ed. (S. Starostin 1996,\n"
    "# E. S. Cymbalyuk 1999-2000; Debian mueller7-dict) and FreeDict's English-Russian\n"
    "# dictionary (FreeDict contributors; Debian dict-freedict-eng-rus), both GPL-2.0-or-later:\n"
    "# this derived table is distributed under the same licence. English participles of the\n"
    "# verbs' Russian participles are inflected with lemminflect (MIT) at build time.\n"
)


def main(argv: list[str]) -> int:
    dictd = Path(argv[1]) if len(argv) > 1 else DICTD
    table = build(dictd)
    sys.stdout.write(HEADER)
    for lemma, english in table.items():
        sys.stdout.write(f"{lemma}\t{english}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
