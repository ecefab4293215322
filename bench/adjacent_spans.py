"""Where a whole novel's pictures are cut between adjacent descriptions, and why.

    python -m bench.adjacent_spans [--show N] [book ...]

Extracts every chapter as the product does (the story's paragraphs, `extractor.learned_spans`
and `extractor.emitted`) and lists each pair of emitted descriptions that lie next to each
other: at most two sentences between them, in one paragraph or across a paragraph break. Each
pair is given the cause of the cut:

- `limit`: the two are adjacent sentences of one paragraph — the span limits (spans.fits) cut
  one run of accepted sentences;
- `paragraph`: they are in different paragraphs (spans never cross a paragraph), often with a
  one-line paragraph of dialogue between them («– Браво! – сказал чей-то один голос.»);
- for a gap of sentences inside one paragraph, the first reason a gap sentence did not join:
  `dialogue` (quoted), `dropped` (an accepted span not emitted, or a bare mention/deed),
  `weak` (a candidate under the `extend` threshold), `no-evidence` (no visual evidence, not a
  bridge: the run would pass MAX_SENTENCES, or the gap is two sentences).

Also counts emitted descriptions next to a span the learned step built but did not emit."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path

from bench.sample_descriptions import NOVELS, story_chapters
from bookreader.nlp import extractor
from bookreader.nlp.learned import packaged_model
from bookreader.nlp.spans import ScoredSentence, Span

MAX_GAP = 2


@dataclass
class Pair:
    chapter: int
    cause: str
    gap: int  # sentences between the two spans (-1: consecutive paragraphs)
    first: str
    second: str


def _positions(span: Span, scored: list[ScoredSentence]) -> list[int]:
    index = {id(s): p for p, s in enumerate(scored)}
    return [index[id(s)] for s in span.sentences]


def _gap_cause(
    scored: list[ScoredSentence], gap: list[int], dropped: set[int], extend: float
) -> str:
    for position in gap:
        sentence = scored[position]
        if sentence.features.quoted >= 0.5:
            return "dialogue"
    for position in gap:
        if position in dropped:
            return "dropped"
    for position in gap:
        sentence = scored[position]
        if extractor._is_candidate(sentence) and sentence.pictureable < extend:
            return "weak"
    return "no-evidence"


def chapter_pairs(
    chapter: int, text: str, paragraphs: list[tuple[int, int]], language: str
) -> tuple[list[Pair], int, int]:
    """The chapter's adjacent pairs, its emitted count and how many emitted spans touch a
    built-but-dropped span."""
    model = packaged_model()
    scored, _ = extractor.analyse(text, paragraphs, language)
    bare: list[Span] = []
    names = ("_bare_mention", "_bare_deed", "_bare_expression")
    rules = {name: getattr(extractor, name) for name in names}

    def spy(rule: Callable[[Span, str], bool]) -> Callable[[Span, str], bool]:
        def spied(span: Span, language: str) -> bool:
            hit = rule(span, language)
            if hit:
                bare.append(span)
            return hit

        return spied

    for name, rule in rules.items():
        setattr(extractor, name, spy(rule))
    try:
        spans = extractor.learned_spans(scored, text, language, model)
    finally:
        for name, rule in rules.items():
            setattr(extractor, name, rule)
    kept: list[list[int]] = []
    dropped: set[int] = set()
    for span, raw in spans:
        conf = model.confidence(raw, language, len(span.sentences))
        if extractor.emitted(span, conf, model):
            kept.append(_positions(span, scored))
        else:
            dropped |= set(_positions(span, scored))
    for span in bare:
        dropped |= set(_positions(span, scored))
    pairs = []
    touching = 0
    for first, second in pairwise(kept):
        a, b = scored[first[-1]], scored[second[0]]
        texts = (
            text[scored[first[0]].features.start : a.features.end],
            text[b.features.start : scored[second[-1]].features.end],
        )
        gap = list(range(first[-1] + 1, second[0]))
        if len(gap) > MAX_GAP:
            continue
        if b.paragraph != a.paragraph:
            pairs.append(Pair(chapter, "paragraph", len(gap), *texts))
        else:
            cause = "limit" if not gap else _gap_cause(scored, gap, dropped, model.extend)
            pairs.append(Pair(chapter, cause, len(gap), *texts))
    for run in kept:
        edges = (run[0] - 1, run[-1] + 1)
        if any(e in dropped and scored[e].paragraph == scored[run[0]].paragraph for e in edges):
            touching += 1
    return pairs, len(kept), touching


def book_pairs(path: Path) -> tuple[list[Pair], int, int]:
    language, chapters = story_chapters(path)
    pairs: list[Pair] = []
    emitted = touching = 0
    if language is None:
        return pairs, emitted, touching
    for index, text, paragraphs in chapters:
        found, count, touch = chapter_pairs(index, text, paragraphs, language)
        pairs += found
        emitted += count
        touching += touch
    return pairs, emitted, touching


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("books", nargs="*", type=Path, default=NOVELS)
    parser.add_argument("--show", type=int, default=0, help="print this many pairs per cause")
    parser.add_argument("--dump", type=Path, help="write every pair as JSON lines here")
    args = parser.parse_args(argv)
    rows = []
    for path in args.books:
        pairs, emitted, touching = book_pairs(path)
        rows += [json.dumps({"book": path.name, **asdict(p)}, ensure_ascii=False) for p in pairs]
        causes = Counter(p.cause for p in pairs)
        gaps = Counter(p.gap for p in pairs if p.cause != "paragraph")
        across = Counter(p.gap for p in pairs if p.cause == "paragraph")
        print(f"# {path.name}: {emitted} descriptions, {len(pairs)} adjacent pairs")
        print("causes: " + ", ".join(f"{k} {v}" for k, v in causes.most_common()))
        print("same-paragraph gaps: " + ", ".join(f"{k}: {v}" for k, v in sorted(gaps.items())))
        print(
            "across paragraphs, gaps: " + ", ".join(f"{k}: {v}" for k, v in sorted(across.items()))
        )
        print(f"next to a built span not emitted: {touching}")
        if args.show:
            for cause in causes:
                for pair in [p for p in pairs if p.cause == cause][: args.show]:
                    first, second = (" ".join(t.split()) for t in (pair.first, pair.second))
                    where = f"{cause}, gap {pair.gap}, ch {pair.chapter}"
                    print(f"  [{where}] {first[-200:]} || {second[:200]}")
        print()
    if args.dump:
        args.dump.write_text("".join(row + "\n" for row in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
