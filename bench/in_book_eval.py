"""Gold paragraphs scored inside their books, as the product reads them (issue 15).

    python -m bench.in_book_eval [--share 0.15] [gold.jsonl ...]

`make eval-extract` hands the extractor one gold paragraph at a time, each a chapter of its
own; the product analyses a whole chapter at once, and some of what the learned step reads
depends on that: the parse budget (a share of the chapter's words, extractor.PARSE_SHARE)
leaves weaker candidates of long chapters unparsed, and a sentence's neighbours reach past
the paragraph's edges. Here each book is read with the product's parser, every chapter that
holds a gold paragraph is extracted whole (its story paragraphs, `books.matter`, as the
extract function does), each gold paragraph is found verbatim in its chapter's text, the
predictions inside it are shifted to the paragraph's offsets and scored with
bookreader.nlp.evaluate's own matching, next to the paragraph extracted alone.

Only gold files whose paragraphs come verbatim from corpus books apply: test.jsonl (Sherlock
Holmes, War and Peace I: held out) and random-novels.jsonl (Moby-Dick, Anna Karenina: train
books, so their scores are not held-out). `--share` sets the parse budget for the run; the
last line is JSON (per file and language: in-book and alone headlines, parse coverage)."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.parse import CORPUS
from bookreader.books import parse_book
from bookreader.books.matter import story_paragraphs
from bookreader.nlp import extractor
from bookreader.nlp.evaluate import GoldSpan, PredictedSpan, Report, load_gold, predict, score
from bookreader.nlp.model import DESCRIPTION_TYPES
from bookreader.nlp.spans import ScoredSentence

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "gold" / "extract"
DEFAULT_GOLD = [GOLD_DIR / "test.jsonl", GOLD_DIR / "random-novels.jsonl"]
# The gold's `source` → the corpus book its paragraphs were taken from.
BOOKS = {
    "doyle-sherlock": CORPUS / "en-gutenberg-sherlock-pg1661.epub2.epub",
    "tolstoy-voina-i-mir": CORPUS / "bench" / "tolstoy-voina-i-mir-1.epub",
    "melville-moby-dick": CORPUS / "en-idpf-moby-dick.epub3-nav-only.epub",
    "tolstoy-anna-karenina": CORPUS / "bench" / "tolstoy-anna-karenina.fb2",
}
HELD_OUT = {"doyle-sherlock", "tolstoy-voina-i-mir"}  # bench/gold/assemble.py's test books


@dataclass(frozen=True)
class Chapter:
    index: int
    text: str
    paragraphs: list[tuple[int, int]]  # the story's, as the extract function reads them


@dataclass(frozen=True)
class Located:
    chapter: int
    start: int  # the gold paragraph's offset in the chapter's text
    whole: bool  # it is one of the chapter's story paragraphs exactly


@dataclass
class Coverage:
    """Candidate sentences (strength ≥ PARSE_FLOOR, visual evidence) of the gold paragraphs,
    and how many of them were parsed."""

    candidates: int = 0
    parsed: int = 0


@dataclass
class Group:
    in_book: list[tuple[list[GoldSpan], list[PredictedSpan]]] = field(default_factory=list)
    alone: list[tuple[list[GoldSpan], list[PredictedSpan]]] = field(default_factory=list)
    book_coverage: Coverage = field(default_factory=Coverage)
    alone_coverage: Coverage = field(default_factory=Coverage)
    missing: int = 0  # gold paragraphs not found verbatim in their book
    # found, but not one of the story's paragraphs (notes, `books.matter`): the product
    # extracts nothing there, so they are scored with no prediction in-book
    outside_story: int = 0


def read_chapters(path: Path) -> list[Chapter]:
    book = parse_book(path.read_bytes(), image_url=lambda image_id: image_id)
    return [
        Chapter(
            c.index,
            c.text,
            story_paragraphs(c.title, c.text, c.paragraphs, story=c.story, linear=c.linear),
        )
        for c in book.chapters
    ]


def _hinted_chapter(record_id: str) -> int | None:
    """The chapter index of an id shaped `<source>-c<chapter>-p<paragraph>`, tried first."""
    parts = record_id.rsplit("-", 2)
    if len(parts) == 3 and parts[1].startswith("c") and parts[1][1:].isdigit():
        return int(parts[1][1:])
    return None


def locate(text: str, chapters: Sequence[Chapter], hint: int | None = None) -> Located | None:
    """Where the paragraph sits verbatim: the hinted chapter first, then every chapter in
    order; a paragraph that is one of the story paragraphs exactly wins over a bare substring."""
    order = sorted(chapters, key=lambda c: c.index != hint)
    fallback = None
    for chapter in order:
        start = chapter.text.find(text)
        while start >= 0:
            if (start, start + len(text)) in chapter.paragraphs:
                return Located(chapter.index, start, True)
            fallback = fallback or Located(chapter.index, start, False)
            start = chapter.text.find(text, start + 1)
    return fallback


def inside(predicted: Sequence[PredictedSpan], start: int, end: int) -> list[PredictedSpan]:
    """The chapter's predictions within [start, end), shifted to the paragraph's offsets."""
    return [
        PredictedSpan(p.start - start, p.end - start, p.type, p.confidence)
        for p in predicted
        if start <= p.start and p.end <= end
    ]


def chapter_predictions(chapter: Chapter, language: str) -> list[PredictedSpan]:
    found = extractor.extract_chapter(chapter.index, chapter.text, chapter.paragraphs, language)
    return [PredictedSpan(d.start, d.end, d.type, d.confidence) for d in found]


def coverage_in(scored: Sequence[ScoredSentence], start: int, end: int) -> Coverage:
    """Parse coverage of the stronger candidate sentences within [start, end) of an analysed
    text: a sentence was parsed exactly when it has `votes`; one left unparsed keeps its
    lexical strength, which is what PARSE_FLOOR reads."""
    counted = Coverage()
    for sentence in scored:
        f = sentence.features
        if not (start <= f.start and f.end <= end and f.visual > 0):
            continue
        if sentence.votes is not None or sentence.strength >= extractor.PARSE_FLOOR:
            counted.candidates += 1
            counted.parsed += int(sentence.votes is not None)
    return counted


def evaluate(records: list[dict], coverage: bool = True) -> dict[str, Group]:
    """Per group ("<file>/<lang>"): (gold, predictions) pairs in-book and alone."""
    groups: dict[str, Group] = defaultdict(Group)
    by_source: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_source[record["source"]].append(record)
    for source, items in by_source.items():
        chapters = read_chapters(BOOKS[source])
        by_index = {c.index: c for c in chapters}
        predictions: dict[int, list[PredictedSpan]] = {}
        analysed: dict[int, list[ScoredSentence]] = {}
        for record in items:
            group = groups[f"{record['file']}/{record['lang']}"]
            gold = [
                GoldSpan(s["start"], s["end"], s["type"], s.get("salience", 2))
                for s in record["spans"]
            ]
            text, language = record["text"], record["lang"]
            found = locate(text, chapters, _hinted_chapter(record["id"]))
            if found is None:
                group.missing += 1
                continue
            chapter = by_index[found.chapter]
            if chapter.index not in predictions:
                predictions[chapter.index] = chapter_predictions(chapter, language)
            end = found.start + len(text)
            group.outside_story += int(not found.whole)
            group.in_book.append((gold, inside(predictions[chapter.index], found.start, end)))
            group.alone.append((gold, predict(record)))
            if coverage:
                if chapter.index not in analysed:
                    analysed[chapter.index] = extractor.analyse(
                        chapter.text, chapter.paragraphs, language
                    )[0]
                _add(group.book_coverage, coverage_in(analysed[chapter.index], found.start, end))
                left = len(text) - len(text.lstrip())
                right = len(text.rstrip())
                alone = (
                    extractor.analyse(text, [(left, right)], language)[0] if right > left else []
                )
                _add(group.alone_coverage, coverage_in(alone, 0, len(text)))
    return groups


def _add(total: Coverage, more: Coverage) -> None:
    total.candidates += more.candidates
    total.parsed += more.parsed


def headline(report: Report) -> dict:
    h = report.headline()
    return {
        "precision": h["precision"],
        "recall": h["recall"],
        "f1": h["f1"],
        "typeblind_f1": h["typeblind_f1"],
        "per_type_f1": {k: v["f1"] for k, v in h["per_type"].items()},
        "n_pred": h["n_pred"],
    }


def table(results: dict[str, dict]) -> str:
    kinds = " | ".join(DESCRIPTION_TYPES)
    lines = [
        f"| file / lang | paragraphs | read | P | R | F1 | type-blind F1 | {kinds} | predictions"
        " | candidates parsed |",
        "|---|---:|---|---:|---:|---:|---:|" + "---:|" * len(DESCRIPTION_TYPES) + "---:|---:|",
    ]
    for name, result in results.items():
        for mode in ("alone", "in_book"):
            h = result[mode]
            parsed, candidates = result["candidates_parsed"][mode]
            per = " | ".join(f"{h['per_type_f1'][k]:.3f}" for k in DESCRIPTION_TYPES)
            lines.append(
                f"| {name} | {result['paragraphs']} | {mode.replace('_', '-')} |"
                f" {h['precision']:.3f} | {h['recall']:.3f} | {h['f1']:.3f} |"
                f" {h['typeblind_f1']:.3f} | {per} | {h['n_pred']} | {parsed} of {candidates} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, default=DEFAULT_GOLD)
    parser.add_argument(
        "--share",
        type=float,
        default=None,
        help="parse budget as a share of a chapter's words (default: the extractor's)",
    )
    parser.add_argument(
        "--no-coverage",
        action="store_true",
        help="skip counting the candidate sentences parsed (saves a second analysis)",
    )
    args = parser.parse_args(argv)
    if args.share is not None:
        extractor.PARSE_SHARE = args.share
    records = []
    for path in args.gold:
        for record in load_gold(path):
            if record.get("source") not in BOOKS:
                raise SystemExit(f"{path.name}: {record['id']} is not from a corpus book")
            records.append(record | {"file": path.stem})
    groups = evaluate(records, coverage=not args.no_coverage)
    merged: dict[str, Group] = defaultdict(Group)
    for name, group in groups.items():
        for key in (name, name.split("/")[0]):
            merged[key].in_book += group.in_book
            merged[key].alone += group.alone
            merged[key].missing += group.missing
            merged[key].outside_story += group.outside_story
            _add(merged[key].book_coverage, group.book_coverage)
            _add(merged[key].alone_coverage, group.alone_coverage)
    results = {
        name: {
            "paragraphs": len(group.in_book),
            "missing": group.missing,
            "outside_story": group.outside_story,
            "held_out": all(
                r["source"] in HELD_OUT for r in records if r["file"] == name.split("/")[0]
            ),
            "alone": headline(score(group.alone)),
            "in_book": headline(score(group.in_book)),
            "candidates_parsed": {
                "alone": [group.alone_coverage.parsed, group.alone_coverage.candidates],
                "in_book": [group.book_coverage.parsed, group.book_coverage.candidates],
            },
        }
        for name, group in sorted(merged.items())
    }
    print(f"PARSE_SHARE = {extractor.PARSE_SHARE}")
    print(table(results))
    for name, result in results.items():
        if result["missing"]:
            print(f"{name}: {result['missing']} gold paragraphs not found verbatim in the book")
        if result["outside_story"]:
            print(
                f"{name}: {result['outside_story']} gold paragraphs lie outside the story"
                " (notes): the product extracts nothing there"
            )
    print(json.dumps({"parse_share": extractor.PARSE_SHARE, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
