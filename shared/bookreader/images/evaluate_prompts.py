"""Score offline prompts against a prompt gold set: does the prompt name what must be drawn?

    python -m bookreader.images.evaluate_prompts <gold.jsonl> [--half even|odd]

Each gold line is `{"lang", "type", "text", "subjects": [[alternative, …], …]}`; one inner list is
one thing the prompt must name, any alternative counting (whole words, case-insensitive). The
passage goes through extraction as a chapter of its own; the longest description found gets the
prompt the pipeline would build (offline, no language model). A missed subject is told apart by
where it was lost: "span" when a prompt built the same way from the whole passage names it (the
extracted span left it out), "prompt" when even that one does not, "extraction" when the passage
got no description. A second measure, "subject first": of the passages with a description, the
share whose prompt opens (its first sentence) by naming one of the gold subjects — what the
picture is of, before its setting. Prints a table, then one JSON line:
`{"subject_recall", "n", "no_description", "by_lang": {"ru", "en"}, "subject_first",
"subject_first_by_lang": {"ru", "en"}}`."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bookreader.images.model import BookContext
from bookreader.images.prompts import build_prompt
from bookreader.nlp.extractor import analyse, english_pipeline, extract_chapter
from bookreader.nlp.model import Description
from bookreader.nlp.spans import parsed_verbs
from bookreader.nlp.summary import build_summary, noun_phrases


@dataclass(frozen=True)
class GoldPassage:
    id: str
    lang: str
    type: str
    text: str
    subjects: list[list[str]]


@dataclass(frozen=True)
class PassageResult:
    passage: GoldPassage
    prompt: str  # "" when no description was found
    found: list[bool]  # per gold subject
    lost: list[str]  # per gold subject: "", "span", "prompt" or "extraction"

    @property
    def described(self) -> bool:
        return bool(self.prompt)

    @property
    def subject_first(self) -> bool:
        """Whether the prompt's first sentence names one of the gold subjects."""
        opening = first_sentence(self.prompt)
        return any(names(opening, alternatives) for alternatives in self.passage.subjects)


def load_gold(path: Path) -> list[GoldPassage]:
    passages = []
    for index, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        passages.append(
            GoldPassage(
                id=str(row.get("id") or f"{row['lang']}-{index:03d}"),
                lang=row["lang"],
                type=row.get("type", ""),
                text=row["text"],
                subjects=[list(alternatives) for alternatives in row["subjects"]],
            )
        )
    return passages


def names(prompt: str, alternatives: list[str]) -> bool:
    """Whether the prompt names one of the alternatives as whole words, case-insensitively."""
    lowered = prompt.lower()
    return any(
        re.search(rf"(?<![\w-]){re.escape(alternative.lower())}(?![\w-])", lowered)
        for alternative in alternatives
    )


def first_sentence(prompt: str) -> str:
    """The prompt's opening sentence: what it says is depicted."""
    return re.split(r"(?<=\.)\s", prompt, maxsplit=1)[0]


def longest_description(passage: GoldPassage) -> Description | None:
    found = extract_chapter(0, passage.text, [(0, len(passage.text))], passage.lang)
    return max(found, key=lambda d: (d.end - d.start, -d.start), default=None)


def evaluate_passage(passage: GoldPassage) -> PassageResult:
    description = longest_description(passage)
    if description is None:
        missed = [False] * len(passage.subjects)
        return PassageResult(passage, "", missed, ["extraction"] * len(passage.subjects))
    prompt = _prompt(passage, description)
    found = [names(prompt, alts) for alts in passage.subjects]
    whole = ""
    if not all(found):
        whole = _prompt(passage, whole_passage(passage, description))
    lost = [
        "" if ok else "span" if names(whole, alts) else "prompt"
        for alts, ok in zip(passage.subjects, found, strict=True)
    ]
    return PassageResult(passage, prompt, found, lost)


def whole_passage(passage: GoldPassage, description: Description) -> Description:
    """The description as if its span were the whole passage (same type): what the prompt would
    name had extraction taken every sentence."""
    text = passage.text
    scored, _ = analyse(text, [(0, len(text))], passage.lang)
    tokens = [token for sentence in scored for token in sentence.features.tokens]
    pipeline = english_pipeline() if passage.lang == "en" else None
    phrases = (lambda: noun_phrases(pipeline(text))) if pipeline is not None else None
    summary = build_summary(tokens, passage.lang, phrases, text, parsed_verbs(scored))
    return description.model_copy(update={"start": 0, "end": len(text), "summary": summary})


def _prompt(passage: GoldPassage, description: Description) -> str:
    book = BookContext(language=passage.lang, sha256="0" * 64)
    text = passage.text[description.start : description.end]
    return build_prompt(description, text, language=passage.lang, book=book).prompt


def summary(results: list[PassageResult]) -> dict[str, object]:
    def recall(rows: list[PassageResult]) -> float:
        total = sum(len(r.found) for r in rows)
        return round(sum(sum(r.found) for r in rows) / total, 3) if total else 0.0

    def first(rows: list[PassageResult]) -> float:
        described = [r for r in rows if r.described]
        share = sum(r.subject_first for r in described) / len(described) if described else 0.0
        return round(share, 3)

    return {
        "subject_recall": recall(results),
        "n": len(results),
        "no_description": sum(not r.described for r in results),
        "by_lang": {
            lang: recall([r for r in results if r.passage.lang == lang]) for lang in ("ru", "en")
        },
        "subject_first": first(results),
        "subject_first_by_lang": {
            lang: first([r for r in results if r.passage.lang == lang]) for lang in ("ru", "en")
        },
    }


def table(results: list[PassageResult]) -> str:
    lines = [
        "| id | type | found | missed | lost in | first | prompt |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        subjects = result.passage.subjects
        hit = [alts[0] for alts, ok in zip(subjects, result.found, strict=True) if ok]
        missed = [alts[0] for alts, ok in zip(subjects, result.found, strict=True) if not ok]
        stages = [stage for stage in result.lost if stage]
        prompt = result.prompt.replace("|", "/") or "(no description)"
        first = ("yes" if result.subject_first else "no") if result.described else ""
        lines.append(
            f"| {result.passage.id} | {result.passage.type} | {', '.join(hit)} "
            f"| {', '.join(missed)} | {', '.join(stages)} | {first} | {prompt} |"
        )
    return "\n".join(lines)


def losses(results: list[PassageResult]) -> str:
    """One line: how many missed subjects each stage lost, by language."""
    counts = {
        lang: Counter(s for r in results if r.passage.lang == lang for s in r.lost if s)
        for lang in ("ru", "en")
    }
    parts = [
        f"{lang}: " + ", ".join(f"{stage} {counts[lang][stage]}" for stage in _STAGES)
        for lang in ("ru", "en")
    ]
    return "Missed subjects by where they were lost: " + "; ".join(parts)


_STAGES = ("extraction", "span", "prompt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("--half", choices=("even", "odd"), help="only the even or odd lines")
    args = parser.parse_args(argv)
    passages = load_gold(args.gold)
    if args.half:
        passages = passages[0 if args.half == "even" else 1 :: 2]
    results = [evaluate_passage(passage) for passage in passages]
    print(table(results))
    described = summary([r for r in results if r.described])
    print(f"Recall on the passages with a description: {json.dumps(described['by_lang'])}")
    first = {"all": described["subject_first"], "by_lang": described["subject_first_by_lang"]}
    print(
        "Subject first (the prompt's first sentence names a gold subject), described passages: "
        + json.dumps(first)
    )
    print(losses(results))
    print(json.dumps(summary(results), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
