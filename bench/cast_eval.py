"""Score the cast against the cast gold (bench/gold/cast/*.json; format: gold/cast/README.md).

    python -m bench.cast_eval [--write] [gold.json ...]

Per book: alias precision/recall/F1 — the pairs of the gold's surface forms that the cast puts in
one member, against the pairs the gold puts in one character (surface forms the gold marks
ambiguous, and forms it does not list, take no part) — and noise, the share of the cast's
characters the gold says are not characters. The last line is one JSON object per book plus
the mean over books. `--write` also replaces the cast section of bench/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

GOLD_DIR = Path(__file__).with_name("gold") / "cast"
# The shared corpus sits beside the repository; BENCH_CORPUS points elsewhere (a git worktree).
CORPUS = Path(
    os.environ.get("BENCH_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)


@dataclass(frozen=True)
class CastGold:
    book: str
    language: str
    split: str
    characters: dict[str, frozenset[str]]  # name → its surface forms
    ambiguous: frozenset[str]
    not_characters: frozenset[str]
    chapters: tuple[int, int] | None = None  # first and last chapter index read; None: all


@dataclass(frozen=True)
class CastScore:
    book: str
    split: str
    alias_precision: float
    alias_recall: float
    alias_f1: float
    noise: float  # share of judged character entries that are not characters
    judged: int  # character entries the gold can judge (one of their forms is in the gold)
    characters: int  # character entries in the cast
    seconds: float

    def headline(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "alias_precision": round(self.alias_precision, 3),
            "alias_recall": round(self.alias_recall, 3),
            "alias_f1": round(self.alias_f1, 3),
            "noise": round(self.noise, 3),
            "judged": self.judged,
            "characters": self.characters,
        }


def load_gold(path: Path) -> CastGold:
    raw = json.loads(path.read_text(encoding="utf-8"))
    characters = {c["name"]: frozenset(c["aliases"]) for c in raw["characters"]}
    return CastGold(
        book=raw["book"],
        language=raw["language"],
        split=raw.get("split", "dev"),
        characters=characters,
        ambiguous=frozenset(raw.get("ambiguous", ())),
        not_characters=frozenset(raw.get("not_characters", ())),
        chapters=tuple(raw["chapters"]) if raw.get("chapters") else None,  # type: ignore[arg-type]
    )


def _pairs(groups: list[set[str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for group in groups for pair in combinations(sorted(group), 2)}


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_cast(
    gold: CastGold, members: list[tuple[str, list[str]]], book: str = "", seconds: float = 0.0
) -> CastScore:
    """`members`: each character of the cast as (kind, all its surface forms)."""
    known: set[str] = set().union(*gold.characters.values()) - gold.ambiguous
    gold_pairs = _pairs([set(forms) - gold.ambiguous for forms in gold.characters.values()])
    characters = [set(forms) for kind, forms in members if kind == "character"]
    system_pairs = _pairs([forms & known for forms in characters])
    hits = len(gold_pairs & system_pairs)
    precision = hits / len(system_pairs) if system_pairs else 1.0
    recall = hits / len(gold_pairs) if gold_pairs else 1.0
    judged = [forms for forms in characters if forms & (known | gold.not_characters)]
    noisy = [forms for forms in judged if not forms & known]
    return CastScore(
        book=book or gold.book,
        split=gold.split,
        alias_precision=precision,
        alias_recall=recall,
        alias_f1=_f1(precision, recall),
        noise=len(noisy) / len(judged) if judged else 0.0,
        judged=len(judged),
        characters=len(characters),
        seconds=seconds,
    )


def run_cast(
    path: Path, language: str, chapters: tuple[int, int] | None = None
) -> tuple[list[tuple[str, list[str]]], float]:
    """The book's cast as (kind, every surface form) per member, and the cast step's seconds;
    `chapters` (first, last index) reads only part of the book (a novel's first part)."""
    from bookreader.books import parse_book
    from bookreader.nlp.cast import build_cast

    book = parse_book(path.read_bytes(), image_url=lambda image_id: image_id)
    texts = [
        (chapter.index, chapter.text)
        for chapter in book.chapters
        if chapters is None or chapters[0] <= chapter.index <= chapters[1]
    ]
    started = time.perf_counter()
    cast = build_cast(texts, language, alias_limit=None)
    seconds = time.perf_counter() - started
    return [(member.kind, list(member.aliases)) for member in cast], seconds


def evaluate(gold_paths: list[Path], corpus: Path = CORPUS) -> list[CastScore]:
    scores = []
    for path in gold_paths:
        gold = load_gold(path)
        book = corpus / gold.book
        if not book.exists():
            book = corpus / "bench" / gold.book
        members, seconds = run_cast(book, gold.language, gold.chapters)
        label = gold.book + (" ch. {}–{}".format(*gold.chapters) if gold.chapters else "")
        scores.append(score_cast(gold, members, book=label, seconds=seconds))
    return scores


def format_report(scores: list[CastScore]) -> str:
    lines = [
        "| book | split | alias P | alias R | alias F1 | noise | characters (judged) | cast s |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        lines.append(
            f"| {s.book} | {s.split} | {s.alias_precision:.3f} | {s.alias_recall:.3f} |"
            f" {s.alias_f1:.3f} | {s.noise:.3f} | {s.characters} ({s.judged}) | {s.seconds:.2f} |"
        )
    return "\n".join(lines)


def summary(scores: list[CastScore]) -> dict[str, Any]:
    books = {s.book: s.headline() for s in scores}
    count = len(scores) or 1
    return {
        "books": books,
        "mean_alias_f1": round(sum(s.alias_f1 for s in scores) / count, 3),
        "mean_noise": round(sum(s.noise for s in scores) / count, 3),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    write = "--write" in args
    paths = [Path(a) for a in args if a != "--write"] or sorted(GOLD_DIR.glob("*.json"))
    scores = evaluate(paths)
    report = format_report(scores)
    print(report)
    if write:
        from bench.results import machine, write_section

        about = machine()
        write_section(
            "cast",
            "## Cast aliases against the cast gold (`make eval-cast`)\n\n"
            f"- Date: {about['date']}, commit {about['commit']} (working tree may differ)\n"
            "- Gold and metric: bench/gold/cast/README.md; every book tuned on (the test book since"
            " 2026-12-06: no held-out cast book is left)\n\n" + report,
        )
    print(json.dumps(summary(scores), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
