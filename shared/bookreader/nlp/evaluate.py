"""Score the extractor against a gold set (format and matching rule: goldset/GUIDELINES.md).

    python -m bookreader.nlp.evaluate <gold.jsonl>

Prints per-type and overall precision/recall/F1, the type-blind F1 and the reliability of
confidence (per band: count, mean confidence, precision); the last line is one JSON object with
the headline numbers, `per_type` and `reliability`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bookreader.nlp.model import DESCRIPTION_TYPES

CONFIDENCE_BANDS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01))
HIGH_CONFIDENCE = 0.8


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    type: str
    salience: int = 2


@dataclass(frozen=True)
class PredictedSpan:
    start: int
    end: int
    type: str
    confidence: float = 1.0


@dataclass
class Outcome:
    """Per-prediction verdicts for one paragraph: True (matches a salience ≥ 2 span), False
    (false positive) or None (matches only a salience-1 span: left out of precision)."""

    verdicts: list[bool | None]
    gold_found: list[bool]  # per gold span with salience ≥ 2, in input order


def overlaps_enough(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    overlap = min(a_end, b_end) - max(a_start, b_start)
    shorter = min(a_end - a_start, b_end - b_start)
    return overlap > 0 and 2 * overlap >= shorter


def _max_matching(edges: list[list[int]], n_right: int) -> dict[int, int]:
    """Maximum bipartite matching (left → right) by augmenting paths."""
    right_owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in right_owner or augment(right_owner[right], seen):
                right_owner[right] = left
                return True
        return False

    for left in range(len(edges)):
        augment(left, set())
    return {left: right for right, left in right_owner.items()}


def match_paragraph(
    gold: Sequence[GoldSpan], predicted: Sequence[PredictedSpan], typed: bool = True
) -> Outcome:
    def compatible(p: PredictedSpan, g: GoldSpan) -> bool:
        return (not typed or p.type == g.type) and overlaps_enough(p.start, p.end, g.start, g.end)

    counted = [g for g in gold if g.salience >= 2]
    weak = [g for g in gold if g.salience < 2]
    first = _max_matching(
        [[j for j, g in enumerate(counted) if compatible(p, g)] for p in predicted], len(counted)
    )
    verdicts: list[bool | None] = [index in first for index in range(len(predicted))]
    rest = [index for index in range(len(predicted)) if index not in first]
    second = _max_matching(
        [[j for j, g in enumerate(weak) if compatible(predicted[i], g)] for i in rest], len(weak)
    )
    for position in second:
        verdicts[rest[position]] = None
    found = set(first.values())
    return Outcome(verdicts, [j in found for j in range(len(counted))])


def matched_pairs(
    first: Sequence[GoldSpan], second: Sequence[GoldSpan], typed: bool = True
) -> list[tuple[int, int]]:
    """(index in first, index in second) of a maximum one-to-one matching under the matching
    rule, salience ignored: how two annotations of one paragraph agree."""
    edges = [
        [
            j
            for j, b in enumerate(second)
            if (not typed or a.type == b.type) and overlaps_enough(a.start, a.end, b.start, b.end)
        ]
        for a in first
    ]
    return sorted(_max_matching(edges, len(second)).items())


@dataclass
class Counts:
    tp: int = 0  # matched predictions
    predicted: int = 0  # predictions counted for precision
    found: int = 0  # matched gold spans with salience ≥ 2
    gold: int = 0  # gold spans with salience ≥ 2

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    overall: Counts = field(default_factory=Counts)
    typeblind: Counts = field(default_factory=Counts)
    per_type: dict[str, Counts] = field(
        default_factory=lambda: {t: Counts() for t in DESCRIPTION_TYPES}
    )
    bands: list[list[int]] = field(default_factory=lambda: [[0, 0] for _ in CONFIDENCE_BANDS])
    # sum of the confidences counted in each band (its mean confidence = sum / count)
    band_confidence: list[float] = field(default_factory=lambda: [0.0 for _ in CONFIDENCE_BANDS])
    n_gold: int = 0
    n_pred: int = 0

    def headline(self) -> dict:
        return {
            "precision": round(self.overall.precision, 4),
            "recall": round(self.overall.recall, 4),
            "f1": round(self.overall.f1, 4),
            "typeblind_f1": round(self.typeblind.f1, 4),
            "per_type": {
                kind: {
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                }
                for kind, c in self.per_type.items()
            },
            "reliability": self.reliability(),
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
        }

    def reliability(self) -> list[dict]:
        """Per confidence band: predictions counted, their mean confidence and precision."""
        rows = []
        for (low, high), (correct, total), summed in zip(
            CONFIDENCE_BANDS, self.bands, self.band_confidence, strict=True
        ):
            rows.append(
                {
                    "band": [low, min(high, 1.0)],
                    "count": total,
                    "mean_confidence": round(summed / total, 4) if total else None,
                    "precision": round(correct / total, 4) if total else None,
                }
            )
        return rows


def score(pairs: Iterable[tuple[Sequence[GoldSpan], Sequence[PredictedSpan]]]) -> Report:
    """Score (gold spans, predicted spans) pairs, one pair per paragraph."""
    report = Report()
    for gold, predicted in pairs:
        report.n_gold += len(gold)
        report.n_pred += len(predicted)
        typed = match_paragraph(gold, predicted, typed=True)
        blind = match_paragraph(gold, predicted, typed=False)
        _add(report.overall, typed)
        _add(report.typeblind, blind)
        counted = [g for g in gold if g.salience >= 2]
        for kind, counts in report.per_type.items():
            counts.gold += sum(1 for g in counted if g.type == kind)
            counts.found += sum(
                1 for g, ok in zip(counted, typed.gold_found, strict=True) if ok and g.type == kind
            )
            for p, verdict in zip(predicted, typed.verdicts, strict=True):
                if p.type == kind and verdict is not None:
                    counts.predicted += 1
                    counts.tp += int(verdict)
        for p, verdict in zip(predicted, typed.verdicts, strict=True):
            if verdict is None:
                continue
            for band, (low, high) in enumerate(CONFIDENCE_BANDS):
                if low <= p.confidence < high:
                    report.bands[band][0] += int(verdict)
                    report.bands[band][1] += 1
                    report.band_confidence[band] += p.confidence
    return report


def _add(counts: Counts, outcome: Outcome) -> None:
    counts.tp += sum(1 for v in outcome.verdicts if v)
    counts.predicted += sum(1 for v in outcome.verdicts if v is not None)
    counts.found += sum(outcome.gold_found)
    counts.gold += len(outcome.gold_found)


def load_gold(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def predict(record: dict) -> list[PredictedSpan]:
    from bookreader.nlp.extractor import extract_chapter

    text = record["text"]
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    descriptions = extract_chapter(0, text, [(start, end)] if end > start else [], record["lang"])
    return [PredictedSpan(d.start, d.end, d.type, d.confidence) for d in descriptions]


def format_report(report: Report) -> str:
    lines = [f"{'type':<12}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'pred':>6}{'found':>7}{'gold':>6}"]
    rows = [*report.per_type.items(), ("ALL", report.overall), ("type-blind", report.typeblind)]
    for name, c in rows:
        lines.append(
            f"{name:<12}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}{c.tp:>6}{c.predicted:>6}{c.found:>7}{c.gold:>6}"
        )
    lines.append("")
    lines.append("calibration (confidence band: precision, correct/counted, mean confidence)")
    for row, (correct, total) in zip(report.reliability(), report.bands, strict=True):
        low, high = row["band"]
        share = f"{row['precision']:.3f}" if total else "  -  "
        mean = f"{row['mean_confidence']:.3f}" if total else "-"
        closing = "]" if high >= 1 else ")"
        lines.append(f"  [{low:.1f}, {high:.1f}{closing}: {share}  {correct}/{total}  mean {mean}")
    high_correct = report.bands[-1][0]
    high_total = report.bands[-1][1]
    share = f"{high_correct / high_total:.3f}" if high_total else "-"
    lines.append(
        f"  confidence ≥ {HIGH_CONFIDENCE}: precision {share} ({high_correct}/{high_total})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bookreader.nlp.evaluate <gold.jsonl>", file=sys.stderr)
        return 2
    records = load_gold(Path(args[0]))
    pairs = [
        (
            [GoldSpan(s["start"], s["end"], s["type"], s.get("salience", 2)) for s in r["spans"]],
            predict(r),
        )
        for r in records
    ]
    report = score(pairs)
    print(format_report(report))
    print(json.dumps(report.headline(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
