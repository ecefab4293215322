"""A fresh random gold sample of two whole novels, to say what type mix the gold holds (issue 15).

    python -m bench.gold.random_novels sample [--n 60] [--seed 1515] > paragraphs.jsonl
    python -m bench.gold.random_novels mix [bench/gold/extract/random-novels.jsonl]
    python -m bench.gold.random_novels compare [bench/gold/extract/random-novels.jsonl]

`sample` draws, with a fixed seed, `n` paragraphs from each of Moby-Dick and Anna Karenina by
the splits' rule (a story paragraph of 120–1,200 characters, verbatim from the product's
parser), leaving out every paragraph already in the extraction gold, the shared dev set or the
check set; it writes them in draw order with empty `spans`, for annotating by hand (taking the
first k of a book is still a random sample of k). `mix` prints each book's share of gold spans
per type with a 95 % interval from a bootstrap over paragraphs (spans of one paragraph are not
independent), plus the Wilson interval over spans for comparison. `compare` runs the extractor
(so only after the annotation is final): its type mix on the sampled paragraphs, gold type
against predicted type there, and its whole-novel mix split into the paragraphs the sampling
rule admits and the rest (the gold speaks only for the former)."""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

from bench.parse import CORPUS
from bookreader.books import parse_book
from bookreader.books.matter import story_paragraphs
from bookreader.nlp.model import DESCRIPTION_TYPES

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BOOKS = {
    "melville-moby-dick": ("en", CORPUS / "en-idpf-moby-dick.epub3-nav-only.epub"),
    "tolstoy-anna-karenina": ("ru", CORPUS / "bench" / "tolstoy-anna-karenina.fb2"),
}
SHORTEST, LONGEST = 120, 1200
ANNOTATED = [
    *sorted((HERE / "extract").glob("*.jsonl")),
    *sorted((REPO.parent / "shared" / "goldset").glob("*.jsonl")),
    REPO / "bench" / "checkset.jsonl",
]


def _normal(text: str) -> str:
    return " ".join(text.split())


def annotated_texts(exclude: Path | None = None) -> list[str]:
    """Every paragraph text already annotated anywhere (whitespace-normalised)."""
    texts = []
    for path in ANNOTATED:
        if path.exists() and path != exclude:
            texts += [_normal(json.loads(line)["text"]) for line in path.open(encoding="utf-8")]
    return texts


def candidates(source: str, path: Path) -> list[tuple[str, str]]:
    """(id, text) of every story paragraph of the book within the length rule, in book order;
    the id is the splits' own (`<source>-c<chapter index>-p<paragraph index>`)."""
    book = parse_book(path.read_bytes(), image_url=lambda image_id: image_id)
    found = []
    for chapter in book.chapters:
        kept = set(
            story_paragraphs(
                chapter.title,
                chapter.text,
                chapter.paragraphs,
                story=chapter.story,
                linear=chapter.linear,
            )
        )
        for number, (start, end) in enumerate(chapter.paragraphs):
            text = chapter.text[start:end]
            if (start, end) in kept and SHORTEST <= len(text) <= LONGEST:
                found.append((f"{source}-c{chapter.index}-p{number}", text))
    return found


def draw(items: list, n: int, rng: random.Random) -> list:
    """n items without replacement, one index at a time, so a larger draw begins with the
    smaller one: the sample can be extended later without changing what was annotated."""
    taken: list[int] = []
    while len(taken) < min(n, len(items)):
        index = rng.randrange(len(items))
        if index not in taken:
            taken.append(index)
    return [items[index] for index in taken]


def sample(n: int, seed: int, exclude: Path | None = None) -> list[dict]:
    known = annotated_texts(exclude)
    records = []
    for source, (lang, path) in BOOKS.items():
        # A paragraph that holds, or sits inside, an annotated one counts as annotated.
        fresh = [
            (pid, text)
            for pid, text in candidates(source, path)
            if not any(k in _normal(text) or _normal(text) in k for k in known)
        ]
        for pid, text in draw(fresh, n, random.Random(f"{seed}-{source}")):
            records.append(
                {"id": pid, "lang": lang, "source": source, "text": text, "spans": []}
                | {"annotator": "ann-random3", "selection": "random"}
            )
    return records


def bootstrap_share(
    paragraphs: list[Counter], kind: str, rounds: int = 5000
) -> tuple[float, float]:
    """95 % percentile interval of a type's share of spans, resampling whole paragraphs."""
    rng = random.Random(0)
    shares = []
    for _ in range(rounds):
        draw = [paragraphs[rng.randrange(len(paragraphs))] for _ in paragraphs]
        total = sum(sum(c.values()) for c in draw)
        if total:
            shares.append(sum(c[kind] for c in draw) / total)
    shares.sort()
    return shares[int(0.025 * len(shares))], shares[int(0.975 * len(shares)) - 1]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mix(path: Path) -> None:
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    for source in BOOKS:
        book = [r for r in records if r["source"] == source]
        for floor, label in ((2, "salience ≥ 2 (what the scorer counts)"), (1, "every span")):
            paragraphs = [
                Counter(s["type"] for s in r["spans"] if s["salience"] >= floor) for r in book
            ]
            total = sum(sum(c.values()) for c in paragraphs)
            with_any = sum(1 for c in paragraphs if c)
            print(
                f"## {source}, {label}: {len(book)} paragraphs,"
                f" {with_any} with a span, {total} spans"
            )
            print(
                "| type | spans | share | 95 % bootstrap over paragraphs | 95 % Wilson over spans |"
            )
            print("|---|---:|---:|---|---|")
            for kind in DESCRIPTION_TYPES:
                k = sum(c[kind] for c in paragraphs)
                low, high = bootstrap_share(paragraphs, kind)
                wl, wh = wilson(k, total)
                print(
                    f"| {kind} | {k} | {k / max(total, 1):.1%} | {low:.1%}–{high:.1%} |"
                    f" {wl:.1%}–{wh:.1%} |"
                )
            print()


def compare(path: Path) -> None:
    from types import SimpleNamespace

    from bench.typing_confusion import MISS, NONE, confusion
    from bookreader.nlp.evaluate import GoldSpan, predict
    from bookreader.nlp.extractor import extract_chapter

    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    for source, (lang, book_path) in BOOKS.items():
        table: Counter = Counter()
        predicted: Counter = Counter()
        sampled = [r for r in records if r["source"] == source]
        for record in sampled:
            found = predict(record)
            predicted.update(p.type for p in found)
            gold = [
                GoldSpan(s["start"], s["end"], s["type"], s["salience"]) for s in record["spans"]
            ]
            # `confusion` reads only the paragraph's gold spans.
            confusion(SimpleNamespace(gold=gold), found, table)  # type: ignore[arg-type]
        total = sum(predicted.values()) or 1
        print(f"## {source}: the extractor on the {len(sampled)} sampled paragraphs")
        print(
            "predicted: "
            + ", ".join(
                f"{k} {predicted[k]} ({predicted[k] / total:.0%})" for k in DESCRIPTION_TYPES
            )
        )
        columns = [*DESCRIPTION_TYPES, MISS]
        print("| gold \\ predicted | " + " | ".join(columns) + " |")
        print("|---|" + "---:|" * len(columns))
        for row in [*DESCRIPTION_TYPES, NONE]:
            print(f"| {row} | " + " | ".join(str(table[row, c]) for c in columns) + " |")
        book = parse_book(book_path.read_bytes(), image_url=lambda image_id: image_id)
        inside: Counter = Counter()
        outside: Counter = Counter()
        for chapter in book.chapters:
            kept = story_paragraphs(
                chapter.title,
                chapter.text,
                chapter.paragraphs,
                story=chapter.story,
                linear=chapter.linear,
            )
            if not kept:
                continue
            for d in extract_chapter(chapter.index, chapter.text, kept, lang):
                home = next(((a, b) for a, b in kept if a <= d.start < b), (0, 0))
                ruled = SHORTEST <= home[1] - home[0] <= LONGEST
                (inside if ruled else outside)[d.type] += 1
        for name, counts in (("inside the sampling rule", inside), ("outside it", outside)):
            n = sum(counts.values()) or 1
            shares = ", ".join(f"{k} {counts[k] / n:.1%}" for k in DESCRIPTION_TYPES)
            print(f"whole novel, {name}: {sum(counts.values())} descriptions — {shares}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    draw = commands.add_parser("sample")
    draw.add_argument("--n", type=int, default=60)
    draw.add_argument("--seed", type=int, default=1515)
    shares = commands.add_parser("mix")
    shares.add_argument(
        "gold", nargs="?", type=Path, default=HERE / "extract" / "random-novels.jsonl"
    )
    versus = commands.add_parser("compare")
    versus.add_argument(
        "gold", nargs="?", type=Path, default=HERE / "extract" / "random-novels.jsonl"
    )
    args = parser.parse_args(argv)
    if args.command == "compare":
        compare(args.gold)
    elif args.command == "sample":
        # The sample's own file is left out of the exclusions, so the draw repeats exactly.
        for record in sample(args.n, args.seed, HERE / "extract" / "random-novels.jsonl"):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        mix(args.gold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
