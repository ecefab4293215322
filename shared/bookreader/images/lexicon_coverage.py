"""How much of what Russian books describe the prompt vocabulary can say in English:

    python -m bookreader.images.lexicon_coverage <corpus folder> [--top N]

Every Russian book (`ru-*` files and `bench/*` whose text is Russian) is parsed and extracted as
the product does; in the passages found, each noun and adjective occurrence (pymorphy3 NOUN,
ADJF, ADJS; names, participles and pronoun-adjectives left out) counts as covered when its
lemma has an English word (glossary, else the generated lexicon). Prints a table by book, the
most frequent uncovered lemmas, and a final JSON line `{"coverage", "occurrences", …}`."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from bookreader.books import parse_book
from bookreader.images.glossary import translate_word
from bookreader.nlp.extractor import extract_chapter
from bookreader.nlp.features import tokenize
from bookreader.nlp.language import detect_language
from bookreader.nlp.morph_analyzer import parse_word

_COUNTED = {"NOUN", "ADJF", "ADJS"}
_NAMES = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"}
_SENTENCE_END = '.!?…»"—–-'
_BOOK_SUFFIXES = (".epub", ".fb2", ".fb2.zip")


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=40, help="uncovered lemmas to list")
    args = parser.parse_args(argv)
    occurrences: Counter[str] = Counter()
    by_book: dict[str, float] = {}
    print("| book | noun+adjective occurrences | covered | most frequent uncovered |")
    print("|---|---:|---:|---|")
    for path in russian_books(args.corpus):
        lemmas = book_lemmas(path)
        if lemmas is None:
            continue
        covered = sum(translate_word(lemma, "ru") is not None for lemma in lemmas)
        share = round(covered / len(lemmas), 4) if lemmas else 0.0
        by_book[path.name] = share
        occurrences.update(lemmas)
        uncovered = Counter(lemma for lemma in lemmas if not translate_word(lemma, "ru"))
        worst = ", ".join(f"{lemma} {n}" for lemma, n in uncovered.most_common(8))
        print(f"| {path.name} | {len(lemmas)} | {share:.1%} | {worst} |")
    total = sum(occurrences.values())
    missing = Counter(
        {lemma: n for lemma, n in occurrences.items() if not translate_word(lemma, "ru")}
    )
    coverage = round(1 - sum(missing.values()) / total, 4) if total else 0.0
    print("\nMost frequent lemmas without an English word:")
    print(", ".join(f"{lemma} {n}" for lemma, n in missing.most_common(args.top)))
    print(
        json.dumps(
            {
                "coverage": coverage,
                "occurrences": total,
                "lemmas": len(occurrences),
                "lemmas_covered": round(1 - len(missing) / len(occurrences), 4)
                if occurrences
                else 0.0,
                "by_book": by_book,
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
