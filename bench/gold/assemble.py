"""Copy the annotators' files into the repo's extraction gold, split by book, and measure
inter-annotation agreement on the doubly annotated paragraphs.

    python -m bench.gold.assemble <annotation dir>

The directory holds the primary annotations, one file per annotator (ann-*.jsonl), and
ann-x-overlap.jsonl, a blind second annotation of paragraphs the others also annotated.
Writes bench/gold/extract/{train,dev,test}.jsonl, bench/gold/extract/overlap-second.jsonl and
the generated part of bench/gold/ANNOTATION.md (between its markers)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bookreader.nlp.evaluate import GoldSpan, matched_pairs
from bookreader.nlp.model import DESCRIPTION_TYPES

HERE = Path(__file__).resolve().parent
OUT = HERE / "extract"
DOC = HERE / "ANNOTATION.md"
SECOND = "ann-x-overlap.jsonl"
# Split by book, never by paragraph: a book's style, names and vocabulary stay on one side.
SPLITS = {
    "train": (
        "melville-moby-dick",
        "carroll-alice",
        "tolstoy-anna-karenina",
        "gogol-taras-bulba",
    ),
    "dev": ("childrens-literature", "chekhov-kashtanka", "pushkin-kapitanskaya-dochka"),
    "test": ("doyle-sherlock", "tolstoy-voina-i-mir"),
}
# Annotations of train books kept in their own file: the second targeted round carries more
# "none" sentences than the natural mix, so the training weighs them apart
# (bench/train_extract.py, `sample_weights`); a file of their own keeps that visible.
KEPT_APART = {"ann-train2": "train-more"}
BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"


def read_lines(path: Path) -> list[dict]:
    """The file's records; a later line with the same id replaces an earlier one (an
    annotator's correction)."""
    if not path.exists():
        return []
    records: dict[str, dict] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                records[record["id"]] = record
    return list(records.values())


def check(record: dict) -> None:
    text = record["text"]
    for span in record["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text), record["id"]
        assert span["type"] in DESCRIPTION_TYPES, record["id"]


def primary_records(source: Path) -> list[dict]:
    """Every primary annotation once (the first file by name naming an id wins), by id."""
    seen: dict[str, dict] = {}
    for path in sorted(source.glob("ann-*.jsonl")):
        if path.name == SECOND:
            continue
        for record in read_lines(path):
            check(record)
            seen.setdefault(record["id"], record)
    return [seen[key] for key in sorted(seen)]


def split_of(book: str) -> str:
    for split, books in SPLITS.items():
        if book in books:
            return split
    raise ValueError(f"book outside the splits: {book}")


def write(path: Path, records: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def _spans(record: dict) -> list[GoldSpan]:
    # every span counts in agreement, whatever its salience
    return [GoldSpan(s["start"], s["end"], s["type"], 2) for s in record["spans"]]


def _f1(matched: int, left: int, right: int) -> float:
    return 2 * matched / (left + right) if left + right else 1.0


def kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels on the same items."""
    if not pairs:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / len(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / len(pairs) ** 2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(primary: dict[str, dict], second: list[dict]) -> dict[str, float | int]:
    """Span F1 (typed and type-blind) between the two annotations with the evaluation's
    matching rule, kappa on "the paragraph has a description" and on the types of the spans
    matched type-blind."""
    both = [(primary[r["id"]], r) for r in second if r["id"] in primary]
    typed = blind = left = right = 0
    has: list[tuple[str, str]] = []
    types: list[tuple[str, str]] = []
    for first, other in both:
        a, b = _spans(first), _spans(other)
        left += len(a)
        right += len(b)
        typed += len(matched_pairs(a, b, typed=True))
        pairs = matched_pairs(a, b, typed=False)
        blind += len(pairs)
        types += [(a[i].type, b[j].type) for i, j in pairs]
        has.append((str(bool(a)), str(bool(b))))
    return {
        "paragraphs": len(both),
        "spans_first": left,
        "spans_second": right,
        "typed_f1": round(_f1(typed, left, right), 3),
        "typeblind_f1": round(_f1(blind, left, right), 3),
        "kappa_has_description": round(kappa(has), 3),
        "kappa_type_of_matched": round(kappa(types), 3),
        "matched_typeblind": blind,
        "paragraph_agreement": round(sum(a == b for a, b in has) / len(has), 3) if has else 0.0,
    }


def counts_table(splits: dict[str, list[dict]]) -> list[str]:
    header = "| split | books | paragraphs | empty | " + " | ".join(DESCRIPTION_TYPES)
    lines = [header + " | spans (salience ≥ 2) |", "|---|---|---:|---:|" + "---:|" * 6]
    for split, records in splits.items():
        kinds = Counter(s["type"] for r in records for s in r["spans"])
        strong = sum(1 for r in records for s in r["spans"] if s.get("salience", 2) >= 2)
        empty = sum(1 for r in records if not r["spans"])
        books = ", ".join(SPLITS.get(split, SPLITS["train"]))
        cells = " | ".join(str(kinds[t]) for t in DESCRIPTION_TYPES)
        lines.append(f"| {split} | {books} | {len(records)} | {empty} | {cells} | {strong} |")
    return lines


def selection_table(records: list[dict]) -> list[str]:
    by = Counter((r["lang"], r.get("selection", "?")) for r in records)
    lines = ["| language | selection | paragraphs |", "|---|---|---:|"]
    lines += [f"| {lang} | {sel} | {n} |" for (lang, sel), n in sorted(by.items())]
    return lines


def render(splits: dict[str, list[dict]], scores: dict[str, float | int]) -> str:
    every = [r for records in splits.values() for r in records]
    return "\n".join(
        [
            BEGIN,
            "### Counts (all spans; types of every salience)",
            "",
            *counts_table(splits),
            "",
            *selection_table(every),
            "",
            "### Agreement on the doubly annotated paragraphs",
            "",
            f"{scores['paragraphs']} paragraphs; {scores['spans_first']} spans in the primary"
            f" annotation, {scores['spans_second']} in the blind second one.",
            "",
            "| measure | value |",
            "|---|---:|",
            f"| span F1, typed (evaluation's matching rule) | {scores['typed_f1']:.3f} |",
            f"| span F1, type-blind | {scores['typeblind_f1']:.3f} |",
            f"| paragraph has a description: agreement | {scores['paragraph_agreement']:.3f} |",
            "| paragraph has a description: Cohen's kappa"
            f" | {scores['kappa_has_description']:.3f} |",
            f"| type of the {scores['matched_typeblind']} spans matched type-blind: Cohen's kappa"
            f" | {scores['kappa_type_of_matched']:.3f} |",
            END,
        ]
    )


def update_doc(generated: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + generated + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bench.gold.assemble <annotation dir>", file=sys.stderr)
        return 2
    source = Path(args[0])
    records = primary_records(source)
    splits: dict[str, list[dict]] = {split: [] for split in [*SPLITS, *KEPT_APART.values()]}
    for record in records:
        split = split_of(record["source"])
        if split == "train":
            split = KEPT_APART.get(record.get("annotator", ""), split)
        splits[split].append(record)
    for split, chosen in splits.items():
        write(OUT / f"{split}.jsonl", chosen)
    second = sorted(read_lines(source / SECOND), key=lambda r: r["id"])
    write(OUT / "overlap-second.jsonl", second)
    scores = agreement({r["id"]: r for r in records}, second)
    update_doc(render(splits, scores))
    print(json.dumps({"splits": {k: len(v) for k, v in splits.items()}, **scores}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
