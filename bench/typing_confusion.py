"""Where the extractor's types go wrong, measured without looking at the test split: each book
of the fitting splits is scored by a model fitted (with its calibration) on the other books.

    python -m bench.typing_confusion [--fit train+train-more+dev+random-novels] [--score train+dev]
        [--test] [--reweight SPLITS] [--weight SPLIT=W ...] [--calibration-only SPLITS]

Prints the typed and type-blind scores and a confusion table of gold type (rows) against
predicted type (columns): predictions are first matched to gold spans of their own type, the
rest type-blind (a wrong type), under the evaluation's matching rule; `miss` counts gold spans
(salience ≥ 2) nothing matched, the `none` row predictions that match no gold span. `--test`
scores the test split once with a model fitted on all fitting books, as `make train-extract`
builds it (for a report, never for choosing). `--score` restricts the scored paragraphs to
some of the fitting splits (each fold still fits on every other book's paragraphs of all of
`--fit`), so fits on more data stay comparable with fits on less. A book's paragraphs of every
split are held out together (the folds are by `source`). The weighting options are
bench.train_extract's (`make train-extract` uses the defaults)."""

from __future__ import annotations

import argparse
from collections import Counter

from bench.train_extract import (
    FIT,
    Paragraph,
    add_weighting,
    apply_weighting,
    calibrate,
    fit,
    load,
    predictions,
    prepare,
)
from bookreader.nlp.evaluate import (
    GoldSpan,
    PredictedSpan,
    Report,
    matched_pairs,
    overlaps_enough,
    score,
)
from bookreader.nlp.learned import LearnedModel
from bookreader.nlp.vectors import TYPES

MISS = "miss"
NONE = "none"


def confusion(paragraph: Paragraph, predicted: list[PredictedSpan], table: Counter) -> None:
    """Add one paragraph's (gold type, predicted type) pairs to `table`."""
    gold = [g for g in paragraph.gold if g.salience >= 2]
    weak = [g for g in paragraph.gold if g.salience < 2]
    spans = [GoldSpan(p.start, p.end, p.type) for p in predicted]
    pairs = matched_pairs(gold, spans, typed=True)
    gold_left = [i for i in range(len(gold)) if i not in {a for a, _ in pairs}]
    spans_left = [j for j in range(len(spans)) if j not in {b for _, b in pairs}]
    blind = matched_pairs([gold[i] for i in gold_left], [spans[j] for j in spans_left], False)
    pairs += [(gold_left[a], spans_left[b]) for a, b in blind]
    for a, b in pairs:
        table[gold[a].type, spans[b].type] += 1
    matched_gold = {a for a, _ in pairs}
    matched_spans = {b for _, b in pairs}
    for index, span in enumerate(gold):
        if index not in matched_gold:
            table[span.type, MISS] += 1
    for index, span in enumerate(spans):
        # a prediction on a salience-1 span is left out, as the evaluation leaves it out
        if index not in matched_spans and not any(
            overlaps_enough(span.start, span.end, w.start, w.end) for w in weak
        ):
            table[NONE, span.type] += 1


def _score(paragraphs: list[Paragraph], model: LearnedModel, table: Counter) -> list:
    pairs = []
    for paragraph in paragraphs:
        found = [
            PredictedSpan(s.start, s.end, s.kind, conf)
            for s, _, conf in predictions(paragraph, model)
        ]
        confusion(paragraph, found, table)
        pairs.append((paragraph.gold, found))
    return pairs


def leave_one_book_out(
    paragraphs: list[Paragraph], scored: set[str] | None = None
) -> tuple[Report, Counter, dict[str, Report]]:
    """Each book's paragraphs (of the `scored` splits; all when None) scored by a model fitted
    on the other books'; also the scores of each language's paragraphs alone."""
    table: Counter = Counter()
    pairs = []
    languages = []
    held = [p for p in paragraphs if scored is None or p.split in scored]
    for book in sorted({p.book for p in held}):
        rest = [p for p in paragraphs if p.book != book]
        model = fit(rest, calibrate(rest)[0])
        book_paragraphs = [p for p in held if p.book == book]
        pairs += _score(book_paragraphs, model, table)
        languages += [p.language for p in book_paragraphs]
    by_language = {
        language: score(
            [pair for pair, lang in zip(pairs, languages, strict=True) if lang == language]
        )
        for language in sorted(set(languages))
    }
    return score(pairs), table, by_language


def format_table(table: Counter) -> str:
    columns = [*TYPES, MISS]
    lines = ["gold \\ predicted " + "".join(f"{c:>11}" for c in columns)]
    for row in [*TYPES, NONE]:
        lines.append(f"{row:<17}" + "".join(f"{table.get((row, c), 0):>11}" for c in columns))
    return "\n".join(lines)


def format_scores(report: Report) -> str:
    per_type = " ".join(f"{kind} {c.f1:.2f}" for kind, c in report.per_type.items())
    o, b = report.overall, report.typeblind
    # the worst gap between confidence and precision over the bands with 10 predictions or more
    gaps = [
        abs(band["mean_confidence"] - band["precision"])
        for band in report.reliability()
        if band["count"] >= 10
    ]
    gap = f"{max(gaps):.3f}" if gaps else "-"
    return (
        f"typed P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f}; type-blind P {b.precision:.3f}"
        f" F1 {b.f1:.3f}; worst band gap {gap}; per-type F1: {per_type}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fit", default=FIT)
    parser.add_argument("--score", default=None, help="splits scored (default: all of --fit)")
    parser.add_argument("--test", action="store_true")
    add_weighting(parser)
    args = parser.parse_args(argv)
    apply_weighting(args)
    paragraphs = [prepare(r, split) for split in args.fit.split("+") for r in load(split)]
    scored = set(args.score.split("+")) if args.score else None
    report, table, by_language = leave_one_book_out(paragraphs, scored)
    print(f"== leave-one-book-out over {args.fit}, scored on {args.score or args.fit}")
    print(format_scores(report))
    for language, language_report in by_language.items():
        print(f"  {language}: {format_scores(language_report)}")
    print(format_table(table))
    if args.test:
        table = Counter()
        model = fit(paragraphs, calibrate(paragraphs)[0])
        report = score(_score([prepare(r, "test") for r in load("test")], model, table))
        print(f"== test (fitted on {args.fit})")
        print(format_scores(report))
        print(format_table(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
