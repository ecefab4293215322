"""Which language a text is in, from its script and its stop words: offline, no model, fast.

`detect_language` looks at a few thousand characters: the script decides the family (Cyrillic,
Latin, Arabic, Greek, Hebrew, CJK…), then stop words and tell-tale letters pick the language
within it. `chapter_languages` does it per chapter, so a mixed book can be handled chapter by
chapter; `book_language` gives the book's main language (the declared one when the text is too
short to tell).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from bookreader.nlp.model import SUPPORTED_LANGUAGES

SAMPLE_CHARS = 3000  # enough for a reliable vote, and fast
MIN_LETTERS = 3  # below this nothing can be said
MIN_CHAPTER_LETTERS = 200  # shorter chapters inherit the book's language
MIN_DIFFERING_CHARS = 1000  # a chapter overrides the book's language only with this much text

# Script name (from the Unicode character name's first word) → the language it implies when
# nothing finer is known. Scripts shared by many languages map to None.
_SCRIPT_LANGUAGE: dict[str, str | None] = {
    "CYRILLIC": "ru",
    "LATIN": None,
    "ARABIC": "ar",
    "GREEK": "el",
    "HEBREW": "he",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "DEVANAGARI": "hi",
    "BENGALI": "bn",
    "THAI": "th",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh",
    "TAMIL": "ta",
    "ETHIOPIC": "am",
}

_STOP_WORDS: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "ru": "и в не на что он я с как а то это она но по его к все так же у из за бы было "
        "мне был она они вы ты уже только если когда чтобы даже ещё еще её ее него нет",
        "uk": "і в не на що він я з як а то це вона але по його до все так же у із за б було "
        "мені був вони ви ти вже тільки якщо коли щоб навіть ще її нього немає є",
        "be": "і ў не на што ён я з як а тое гэта яна але па яго да усё так жа у з за б было "
        "мне быў яны вы ты ужо толькі калі каб нават яшчэ яе няма",
        "bg": "и в не на че той аз с как а то това тя но по го към всичко така от за би беше "
        "ми бе те вие ти вече само ако когато да дори още нея няма е са",
        "sr": "и у не на што он ја са како а то ово она али по га к све тако од за би било "
        "ми био они ви ти већ само ако када да чак још је су",
        "en": "the and of to a in that it was he i his you with as for had is not but at on "
        "she her be they my which have this were from by him all so said would there",
        "fr": "le la les de des et un une à il elle que qui ne pas est dans en du pour sur au "
        "avec son sa se ce plus mais nous vous je était",
        "de": "der die das und ist nicht ein eine zu den mit sich des auf für im dem von er "
        "sie es ich war auch als wie aber noch nach wenn",
        "es": "el la los las de y que en un una no es por con para se su al lo como más pero "
        "sus le ya o fue este ha si mi yo",
        "it": "il la di e che in un una non è per con si da lo le del della gli ma come più "
        "anche io sono era questo mi",
        "pt": "o a os as de e que em um uma não é do da por com para se no na mais mas foi "
        "ao ele ela seu sua",
        "nl": "de het een en van in is dat niet op te zijn met voor hij zij ik was maar als "
        "aan er ook bij",
        "pl": "i w nie na że się z do to jest jak a o co ale po tak za od by był była jego "
        "jej już tylko",
        "cs": "a v se na je že to s z do o jako ale by jsem byl jeho není pro tak už jen",
        "sv": "och i att det som en på är av för med den till inte har de var jag han hon",
    }.items()
}
_CYRILLIC = ("ru", "uk", "be", "bg", "sr")
# Letters only one Cyrillic language of ours uses: strong evidence on their own.
_CYRILLIC_LETTERS = {"uk": "ґєї", "be": "ў", "sr": "ђћџљњј"}
_LATIN_LETTERS = {"pl": "łąęśźżń", "cs": "řůěčš", "de": "ßäöü", "sv": "åäö", "pt": "ãõ"}
_ARABIC_LETTERS = {"fa": "پچژگ", "ur": "ٹڈڑںے"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# The common scripts by code-point range (fast); anything else goes through unicodedata.
_SCRIPT_RANGES = {
    "CYRILLIC": "\u0400-\u052f",
    "LATIN": "A-Za-z\u00c0-\u024f",
    "ARABIC": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
    "GREEK": "\u0370-\u03ff",
    "HEBREW": "\u0590-\u05ff",
    "CJK": "\u4e00-\u9fff",
}
_SCRIPT_PATTERNS = {script: re.compile(f"[{chars}]") for script, chars in _SCRIPT_RANGES.items()}
_KNOWN_SCRIPT = re.compile(f"[{''.join(_SCRIPT_RANGES.values())}]")


def _script_counts(sample: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for script, pattern in _SCRIPT_PATTERNS.items():
        found = len(pattern.findall(sample))
        if found:
            counts[script] = found
    for char in _KNOWN_SCRIPT.sub("", sample):
        if char.isalpha():
            try:
                counts[unicodedata.name(char).split(" ", 1)[0]] += 1
            except ValueError:
                continue
    return counts


def _sample(text: str) -> str:
    """Up to SAMPLE_CHARS from the start, middle and end of the text."""
    if len(text) <= SAMPLE_CHARS:
        return text
    third = SAMPLE_CHARS // 3
    middle = len(text) // 2
    return " ".join((text[:third], text[middle - third // 2 : middle + third // 2], text[-third:]))


def _best_by_stop_words(words: list[str], candidates: Iterable[str]) -> tuple[str | None, int]:
    scores = {lang: sum(word in _STOP_WORDS[lang] for word in words) for lang in candidates}
    best = max(scores, key=scores.__getitem__)
    return (best, scores[best]) if scores[best] else (None, 0)


def _letter_votes(sample: str, letters_by_language: dict[str, str]) -> Counter[str]:
    return Counter(
        {lang: sum(sample.count(letter) for letter in letters) for lang, letters in
         letters_by_language.items()}
    )  # fmt: skip


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("ru", "en", "ar"…), or None when it can't be told."""
    sample = _sample(text)
    scripts = _script_counts(sample)
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return None
    script, count = scripts.most_common(1)[0]
    if script == "CJK" and (scripts["HIRAGANA"] or scripts["KATAKANA"]):
        return "ja"
    lowered = sample.lower()
    words = _WORD.findall(lowered)
    if script == "CYRILLIC":
        special = _letter_votes(lowered, _CYRILLIC_LETTERS)
        lang, _ = _best_by_stop_words(words, _CYRILLIC)
        if special and special.most_common(1)[0][1] >= max(2, letters // 500):
            return special.most_common(1)[0][0]
        if "ы" in lowered or "э" in lowered:  # letters Russian has and its neighbours lack
            return "ru"
        return lang or "ru"
    if script == "LATIN":
        lang, hits = _best_by_stop_words(words, [lang for lang in _STOP_WORDS if lang not in
                                                  _CYRILLIC])  # fmt: skip
        if lang is not None and hits >= min(2, len(words)):
            return lang
        special = _letter_votes(lowered, _LATIN_LETTERS)
        if special and special.most_common(1)[0][1] >= 2:
            return special.most_common(1)[0][0]
        return None
    if script == "ARABIC":
        special = _letter_votes(sample, _ARABIC_LETTERS)
        if special and special.most_common(1)[0][1] >= max(2, count // 200):
            return special.most_common(1)[0][0]
        return "ar"
    return _SCRIPT_LANGUAGE.get(script)


def primary_subtag(tag: str | None) -> str | None:
    """ "en-US" → "en"; None stays None."""
    if not tag:
        return None
    return tag.strip().lower().replace("_", "-").split("-", 1)[0] or None


def _detect_chapters(chapters: Sequence[tuple[int, str]]) -> dict[int, str | None]:
    return {
        index: detect_language(text) if len(text) >= MIN_CHAPTER_LETTERS else None
        for index, text in chapters
    }


def _main_language(
    chapters: Sequence[tuple[int, str]], detected: dict[int, str | None], declared: str | None
) -> str | None:
    votes: Counter[str] = Counter()
    for index, text in chapters:
        language = detected[index]
        if language is not None:
            votes[language] += len(text)
    if votes:
        return votes.most_common(1)[0][0]
    return detect_language("\n".join(text for _, text in chapters)) or primary_subtag(declared)


def book_language(chapters: Sequence[tuple[int, str]], declared: str | None = None) -> str | None:
    """The book's main language from its text; the declared language when the text can't tell."""
    return languages(chapters, declared)[0]


def chapter_languages(
    chapters: Sequence[tuple[int, str]], declared: str | None = None
) -> dict[int, str | None]:
    """Each chapter's language; chapters too short to tell take the book's language."""
    return languages(chapters, declared)[1]


def languages(
    chapters: Sequence[tuple[int, str]], declared: str | None = None
) -> tuple[str | None, dict[int, str | None]]:
    """(the book's main language, each chapter's), from one detection pass over the chapters."""
    detected = _detect_chapters(chapters)
    main = _main_language(chapters, detected, declared)
    per_chapter: dict[int, str | None] = {}
    for index, text in chapters:
        own = detected[index]
        keep_own = own is not None and (own == main or len(text) >= MIN_DIFFERING_CHARS)
        per_chapter[index] = own if keep_own else main
    return main, per_chapter


def is_supported(language: str | None) -> bool:
    """Whether extraction runs for this language (others get extraction_unsupported_language)."""
    return primary_subtag(language) in SUPPORTED_LANGUAGES
