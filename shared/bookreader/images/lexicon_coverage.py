"""How much of what Russian books describe the prompt vocabulary can say in English:

    python -m bookreader.images.lexicon_coverage <corpus folder> [--top N]

Every Russian book (`ru-*` files and `bench/*` whose text is Russian) is parsed and extracted as
the product does; in the passages found, each noun and adjective occurrence (pymorphy3 NOUN,
ADJF, ADJS; names, participles and pronoun-adjectives left out) counts as covered when its
lemma has an English word (glossary, else the generated lexicon). Prints a table by book, the
most frequent uncovered lemmas, and a final JSON line `{"coverage", "occurrences", …}`.

The books are split once, by book: curated glossary entries and derivation rules are chosen
looking only at the CURATION books; the HELD_OUT books are measured, never tuned on. The JSON
line reports each part, and each also with the generated vocabulary alone (the lexicon and the
derivations, no curated glossary): the held-out generated number is the honest one."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bookreader.books import parse_book
from bookreader.images.glossary import translate_word, without_glossary
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


def counted_lemmas(text: str) -> list[str]:
    """Lemmas of the nouns and adjectives of a passage: names (by the analyser, or capitalised
    inside a sentence), participles and pronoun-adjectives («этот», «мой») left out."""
    lemmas = []
    for token in tokenize(text, 0, len(text), "ru"):
        before = text[: token.start].rstrip()
        if text[token.start].isupper() and before and before[-1] not in _SENTENCE_END:
            continue
        parses = parse_word(token.lower.replace("ё", "е"))
        if not parses:
            continue
        tag = parses[0].tag
        if tag.POS in _COUNTED and not _NAMES & tag.grammemes and "Apro" not in tag:
            lemmas.append(str(parses[0].normal_form).replace("ё", "е"))
    return lemmas


def book_lemmas(path: Path) -> list[str] | None:
    """The counted lemmas of every description of a Russian book (None for other languages)."""
    book = parse_book(path.read_bytes(), image_url=lambda image_id: image_id)
    sample = " ".join(chapter.text[:2000] for chapter in book.chapters[:5])
    if detect_language(sample) != "ru":
        return None
    lemmas: list[str] = []
    for chapter in book.chapters:
        for found in extract_chapter(chapter.index, chapter.text, chapter.paragraphs, "ru"):
            lemmas.extend(counted_lemmas(chapter.text[found.start : found.end]))
    return lemmas


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
    print("| book | part | noun+adjective occurrences | covered | most frequent uncovered |")
    print("|---|---|---:|---:|---|")
    for path in russian_books(args.corpus):
        lemmas = book_lemmas(path)
        if lemmas is None:
            continue
        part = "held_out" if path.name in HELD_OUT else "curation"
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
    print("\n| part | occurrences | glossary + generated | generated alone |")
    print("|---|---:|---:|---:|")
    for part, numbers in split.items():
        print(
            f"| {part} | {numbers['occurrences']} | {numbers['coverage']:.1%} |"
            f" {numbers['generated_coverage']:.1%} |"
        )
    curation_missing = Counter(
        {lemma: n for lemma, n in parts["curation"].items() if not generated_only(lemma)}
    )
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
                **{part: numbers for part, numbers in split.items()},
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
