"""A seeded random sample of a whole novel's descriptions, for judging by hand.

    python -m bench.sample_descriptions [--n 50] [--seed 15] [book ...]

Extracts every chapter of each book (default: Anna Karenina and Moby-Dick from the corpus),
prints the share of each type over all its descriptions, then `n` descriptions drawn at random
(fixed seed): type, confidence and the passage's text, numbered for a judge's notes."""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from bench.parse import CORPUS
from bookreader.books import parse_book
from bookreader.books.matter import story_paragraphs
from bookreader.nlp.extractor import extract_chapter
from bookreader.nlp.language import book_language, primary_subtag
from bookreader.nlp.model import DESCRIPTION_TYPES

NOVELS = [
    CORPUS / "bench" / "tolstoy-anna-karenina.fb2",
    CORPUS / "en-idpf-moby-dick.epub3-nav-only.epub",
]


StoryChapter = tuple[int, str, list[tuple[int, int]]]


def story_chapters(path: Path) -> tuple[str | None, list[StoryChapter]]:
    """The book's language and, as the extract function reads a book, each chapter's (index,
    text, the story's paragraphs) — chapters without story paragraphs (`books.matter`) left out."""
    book = parse_book(path.read_bytes(), image_url=lambda image_id: image_id)
    chapters = [(c.index, c.text, c.paragraphs) for c in book.chapters]
    language = primary_subtag(book_language([c[:2] for c in chapters], book.metadata.language))
    found = []
    for chapter in book.chapters:
        paragraphs = story_paragraphs(
            chapter.title,
            chapter.text,
            chapter.paragraphs,
            story=chapter.story,
            linear=chapter.linear,
        )
        if paragraphs:
            found.append((chapter.index, chapter.text, paragraphs))
    return language, found


def describe(path: Path) -> list[tuple[str, str, float]]:
    """(passage, type, confidence) of every description of the book, in reading order."""
    language, chapters = story_chapters(path)
    found: list[tuple[str, str, float]] = []
    if language is None:  # a language the extractor does not read: nothing, as in the product
        return found
    for index, text, paragraphs in chapters:
        for d in extract_chapter(index, text, paragraphs, language):
            found.append((text[d.start : d.end], d.type, d.confidence))
    return found


def type_shares(found: list[tuple[str, str, float]]) -> dict[str, float]:
    counts = Counter(kind for _, kind, _ in found)
    total = len(found) or 1
    return {kind: counts[kind] / total for kind in DESCRIPTION_TYPES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("books", nargs="*", type=Path, default=NOVELS)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    for path in args.books:
        found = describe(path)
        shares = type_shares(found)
        print(f"# {path.name}: {len(found)} descriptions")
        print("shares: " + ", ".join(f"{k} {v:.1%}" for k, v in shares.items()))
        sample = random.Random(args.seed).sample(found, min(args.n, len(found)))
        for number, (passage, kind, conf) in enumerate(sample, 1):
            flat = " ".join(passage.split())
            print(f"{number:>3}. [{kind}, {conf:.2f}] {flat}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
