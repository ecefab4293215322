"""How far two people agree on the targeted paragraphs of the extraction gold, and the extractor.

    python -m bench.gold.agreement [second.jsonl]

The second file (default: extract/overlap-targeted.jsonl) holds a blind second annotation of
paragraphs of the primary splits. Treating the primary annotation as gold, the second annotator
is scored exactly as the extractor is (`bookreader.nlp.evaluate`: salience-1 gold spans neither
count nor penalise), and the extractor is scored on the same paragraphs. The typed precision a
second person reaches bounds what a model of this gold can be asked for. Prints both reports
and, last, one JSON object."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from bench.gold.assemble import agreement, kappa, read_lines
from bookreader.nlp.evaluate import (
    GoldSpan,
    PredictedSpan,
    Report,
    match_paragraph,
    matched_pairs,
    predict,
    score,
)

HERE = Path(__file__).resolve().parent
PRIMARY = ("train", "train-more", "dev", "test")
SECOND = HERE / "extract" / "overlap-targeted.jsonl"


def _gold(record: dict) -> list[GoldSpan]:
    return [
        GoldSpan(s["start"], s["end"], s["type"], s.get("salience", 2)) for s in record["spans"]
    ]


def _as_predictions(record: dict) -> list[PredictedSpan]:
    return [PredictedSpan(s["start"], s["end"], s["type"]) for s in record["spans"]]


def type_accuracy(pairs: list[tuple[list[GoldSpan], list[PredictedSpan]]]) -> tuple[float, int]:
    """Of the predictions that match a counted gold span type-blind, the share whose type is
    the gold's too, and how many there are."""
    right = matched = 0
    for gold, predicted in pairs:
        blind = match_paragraph(gold, predicted, typed=False)
        typed = match_paragraph(gold, predicted, typed=True)
        matched += sum(1 for v in blind.verdicts if v)
        right += sum(1 for v in typed.verdicts if v)
    return (right / matched if matched else 0.0), matched


def _summary(report: Report, accuracy: tuple[float, int]) -> dict:
    return {
        "typed_precision": round(report.overall.precision, 3),
        "typed_recall": round(report.overall.recall, 3),
        "typed_f1": round(report.overall.f1, 3),
        "typeblind_precision": round(report.typeblind.precision, 3),
        "typeblind_f1": round(report.typeblind.f1, 3),
        "type_accuracy_of_matched": round(accuracy[0], 3),
        "matched": accuracy[1],
        "predicted": report.overall.predicted,
        "gold": report.overall.gold,
    }


def confusion(pairs: list[tuple[list[GoldSpan], list[PredictedSpan]]]) -> Counter[tuple[str, str]]:
    """(primary type, other type) of the counted gold spans matched type-blind, one to one."""
    found: Counter[tuple[str, str]] = Counter()
    for gold, predicted in pairs:
        counted = [g for g in gold if g.salience >= 2]
        as_gold = [GoldSpan(p.start, p.end, p.type) for p in predicted]
        for i, j in matched_pairs(counted, as_gold, typed=False):
            found[(counted[i].type, as_gold[j].type)] += 1
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    second = read_lines(Path(args[0]) if args else SECOND)
    primary = {
        r["id"]: r for split in PRIMARY for r in read_lines(HERE / "extract" / f"{split}.jsonl")
    }
    both = [(primary[r["id"]], r) for r in second if r["id"] in primary]
    human = [(_gold(first), _as_predictions(other)) for first, other in both]
    model = [(_gold(first), predict(first)) for first, _ in both]
    result: dict[str, Any] = {"paragraphs": len(both)}
    for name, pairs in (("second_annotator", human), ("extractor", model)):
        types = confusion(pairs)
        result[name] = {
            **_summary(score(pairs), type_accuracy(pairs)),
            "type_kappa": round(kappa([pair for pair, n in types.items() for _ in range(n)]), 3),
            "confusion": {f"{a}>{b}": n for (a, b), n in sorted(types.items()) if a != b},
        }
    result["raw_agreement"] = agreement({first["id"]: first for first, _ in both}, second)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
