"""How much of what Russian books describe the prompt vocabulary can say in English:

    python -m bookreader.images.lexicon_coverage <corpus folder> [--top N]

Every Russian book (`ru-*` files and `bench/*` whose text is Russian) is parsed and extracted as
the product does; in the passages found, each noun and adjective occurrence (pymorphy3 NOUN,
ADJF, ADJS; participles and pronoun-adjectives left out, and names: the analyser's, a capitalised
word inside a sentence, and one at a sentence's start whose lemma the book capitalises inside
sentences more often than not) counts as covered when its lemma has an English word
(glossary, else the generated lexicon). Prints a table by book, the
most frequent uncovered lemmas, and a final JSON line `{"coverage", "occurrences", …}`.

The books are split once, by book: curated glossary entries and derivation rules are chosen
looking only at the CURATION books; the HELD_OUT books are measured, never tuned on. The JSON
line reports each part, and each also with the generated vocabulary alone (the lexicon and the
derivations, no curated glossary): the held-out generated number is the honest one. The
glossary itself was written before the split, so the held-out part also reports
`curation_glossary_coverage`: the generated vocabulary plus only the glossary entries for lemmas
the curation books' descriptions hold (entries that could have been written from them alone)."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from bookreader.books import parse_book
from bookreader.images.glossary import glossary_limited_to, translate_word, without_glossary
from bookreader.nlp.extractor import extract_chapter
from bookreader.nlp.features import tokenize
from bookreader.nlp.language import detect_language
from bookreader.nlp.morph_analyzer import parse_word

_COUNTED = {"NOUN", "ADJF", "ADJS"}
_NAMES = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}
_SENTENCE_END = '.!?…»"—–-'
_BOOK_SUFFIXES = (".epub", ".fb2", ".fb2.zip")
# Fixed on 2026-12-06 (about half the occurrences each, a Tolstoy novel on each side); a book not
# named here counts as curation.
HELD_OUT = frozenset(
    {"tolstoy-voina-i-mir-1.epub", "ru-gen-gogol-taras-bulba.epub2-no-toc-single-file.epub"}
)


def russian_books(corpus: Path) -> list[Path]:
    """The books, a zipped FB2 left out when the same book is there unzipped."""
    paths = [*corpus.glob("ru-*"), *corpus.glob("bench/*")]
    books = sorted(p for p in paths if p.name.endswith(_BOOK_SUFFIXES))
    names = {p.name for p in books}
    return [p for p in books if not (p.name.endswith(".zip") and p.name[:-4] in names)]


def _inside_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_END


def book_names(texts: Iterable[str]) -> frozenset[str]:
    """Words (lemmas and lower-cased forms) a book writes capitalised inside a sentence twice or
    more, and more often than in lower case: its names («Облонский», «Каштанкой», whatever the
    analyser makes of them). Such a word at the start of a sentence is a name too."""
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in texts:
        for token in tokenize(text, 0, len(text), "ru"):
            keys = {token.lemma, token.lower.replace("ё", "е")}
            if not text[token.start].isupper():
                lower.update(keys)
            elif _inside_sentence(text, token.start):
                capitalised.update(keys)
    # twice at least: one capitalised «Молодой» after a colon makes no name
    return frozenset(word for word, n in capitalised.items() if n >= 2 and n > lower[word])


def counted_lemmas(text: str, names: Collection[str] = frozenset()) -> list[str]:
    """Lemmas of the nouns and adjectives of a passage: names (by the analyser, capitalised
    inside a sentence, or capitalised at its start with a lemma among the book's `names`),
    participles and pronoun-adjectives («этот», «мой») left out."""
    lemmas = []
    for token in tokenize(text, 0, len(text), "ru"):
        if text[token.start].isupper() and (
            _inside_sentence(text, token.start)
            or token.lemma in names
            or token.lower.replace("ё", "е") in names
        ):
            continue
        parses = parse_word(token.lower.replace("ё", "е"))
        if not parses:
            continue
        tag = parses[0].tag
        if tag.POS in _COUNTED and not _NAMES & tag.grammemes and "Apro" not in tag:
            lemmas.append(str(parses[0].normal_form).replace("ё", "е"))
    return lemmas


@dataclass
class BookWords:
    """What the descriptions of one Russian book hold."""

    lemmas: list[str]  # counted noun and adjective lemmas, one per occurrence
    seen: set[str]  # every lemma of every word (verbs too): what a curator reading them saw
    names: Counter[str]  # sentence-initial names left out by the book's evidence (book_names)


def book_words(path: Path) -> BookWords | None:
    """The counted lemmas of every description of a Russian book (None for other languages)."""
    book = parse_book(path.read_bytes(), image_url=lambda image_id: image_id)
    sample = " ".join(chapter.text[:2000] for chapter in book.chapters[:5])
    if detect_language(sample) != "ru":
        return None
    names = book_names(chapter.text for chapter in book.chapters)
    words = BookWords([], set(), Counter())
    for chapter in book.chapters:
        for found in extract_chapter(chapter.index, chapter.text, chapter.paragraphs, "ru"):
            passage = chapter.text[found.start : found.end]
            counted = counted_lemmas(passage, names)
            words.lemmas.extend(counted)
            words.names.update(Counter(counted_lemmas(passage)) - Counter(counted))
            words.seen.update(token.lemma for token in tokenize(passage, 0, len(passage), "ru"))
    return words


def coverage(occurrences: Counter[str], translate: Callable[[str], str | None]) -> float:
    """Share of lemma occurrences that `translate` gives English for."""
    total = sum(occurrences.values())
    covered = sum(n for lemma, n in occurrences.items() if translate(lemma))
    return round(covered / total, 4) if total else 0.0


def generated_only(lemma: str) -> str | None:
    """English from the generated lexicon and the derivation rules alone (no curated entry)."""
    with without_glossary():
        return translate_word(lemma, "ru")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=40, help="uncovered lemmas to list")
    args = parser.parse_args(argv)
    occurrences: Counter[str] = Counter()
    parts: dict[str, Counter[str]] = {"curation": Counter(), "held_out": Counter()}
    by_book: dict[str, float] = {}
    curation_seen: set[str] = set()
    names_left_out: Counter[str] = Counter()
    print("| book | part | noun+adjective occurrences | covered | most frequent uncovered |")
    print("|---|---|---:|---:|---|")
    for path in russian_books(args.corpus):
        words = book_words(path)
        if words is None:
            continue
        lemmas = words.lemmas
        part = "held_out" if path.name in HELD_OUT else "curation"
        names_left_out += words.names
        if part == "curation":
            curation_seen |= words.seen
        covered = sum(translate_word(lemma, "ru") is not None for lemma in lemmas)
        share = round(covered / len(lemmas), 4) if lemmas else 0.0
        by_book[path.name] = share
        occurrences.update(lemmas)
        parts[part].update(lemmas)
        uncovered = Counter(lemma for lemma in lemmas if not translate_word(lemma, "ru"))
        worst = ", ".join(f"{lemma} {n}" for lemma, n in uncovered.most_common(8))
        worst = "(held out: not listed)" if part == "held_out" else worst
        print(f"| {path.name} | {part} | {len(lemmas)} | {share:.1%} | {worst} |")
    total = sum(occurrences.values())
    missing = Counter(
        {lemma: n for lemma, n in occurrences.items() if not translate_word(lemma, "ru")}
    )
    coverage_all = round(1 - sum(missing.values()) / total, 4) if total else 0.0
    english = functools.partial(translate_word, language="ru")
    split = {
        part: {
            "coverage": coverage(counts, english),
            "generated_coverage": coverage(counts, generated_only),
            "occurrences": sum(counts.values()),
        }
        for part, counts in parts.items()
    }
    # The glossary was written before the split, looking at every book: on the held-out books,
    # only its entries for words the curation books' descriptions hold could have been written
    # without them.
    with glossary_limited_to(curation_seen):
        split["held_out"]["curation_glossary_coverage"] = coverage(parts["held_out"], english)
    print(
        "\n| part | occurrences | glossary + generated | generated alone |"
        " curation-book glossary + generated |"
    )
    print("|---|---:|---:|---:|---:|")
    for part, numbers in split.items():
        limited = numbers.get("curation_glossary_coverage", numbers["coverage"])
        print(
            f"| {part} | {numbers['occurrences']} | {numbers['coverage']:.1%} |"
            f" {numbers['generated_coverage']:.1%} | {limited:.1%} |"
        )
    curation_missing = Counter(
        {lemma: n for lemma, n in parts["curation"].items() if not generated_only(lemma)}
    )
    print("\nNames left out at the start of a sentence (capitalised inside sentences):")
    print(", ".join(f"{lemma} {n}" for lemma, n in names_left_out.most_common(args.top)))
    print("\nMost frequent curation-book lemmas the generated vocabulary lacks (tune on these):")
    print(", ".join(f"{lemma} {n}" for lemma, n in curation_missing.most_common(args.top)))
    print(
        json.dumps(
            {
                "coverage": coverage_all,
                "occurrences": total,
                "lemmas": len(occurrences),
                "lemmas_covered": round(1 - len(missing) / len(occurrences), 4)
                if occurrences
                else 0.0,
                "by_book": by_book,
                "held_out_books": sorted(HELD_OUT),
                "names_left_out": sum(names_left_out.values()),
                **{part: numbers for part, numbers in split.items()},
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
