"""Issue 5's quality record: `make eval-extract` on the shared dev set, kept in RESULTS.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[2] / "shared" / "goldset" / "dev.jsonl"
# Self-annotated paragraphs from books outside dev: a sanity check of generalisation.
CHECKSET = Path(__file__).with_name("checkset.jsonl")
GOALS = {"precision": 0.80, "f1": 0.60, "typeblind_f1": 0.75}


def run(gold: Path = GOLD) -> tuple[str, dict[str, Any]]:
    """(the evaluator's printed report, its final JSON line) on a gold file."""
    out = subprocess.run(
        [sys.executable, "-m", "bookreader.nlp.evaluate", str(gold)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = out.stdout.strip().splitlines()
    return "\n".join(lines[:-1]), json.loads(lines[-1])


def render(
    report: str,
    result: dict[str, Any],
    environment: list[str],
    check: dict[str, Any] | None = None,
) -> str:
    names = {"precision": "precision", "f1": "typed F1", "typeblind_f1": "type-blind F1"}
    rows = []
    for key, goal in GOALS.items():
        met = "met" if result[key] >= goal else "**not met**"
        rows.append(f"| {names[key]} ≥ {goal:.2f} | {result[key]:.3f} | {met} |")
    return "\n".join(
        [
            "## Extraction quality on the dev gold set (issue 5)",
            "",
            *environment,
            f"- Gold: shared/goldset/dev.jsonl, {result['n_gold']} spans;"
            f" predictions: {result['n_pred']}",
            "",
            "```",
            report,
            "```",
            "",
            "| goal | measured | met |",
            "|---|---:|---|",
            *rows,
            *_check_lines(check),
        ]
    )


def _check_lines(check: dict[str, Any] | None) -> list[str]:
    if check is None:
        return []
    return [
        "",
        "### Check set (bench/checkset.jsonl, self-annotated, books outside dev; CHECKSET.md)",
        "",
        f"{check['n_gold']} gold spans, {check['n_pred']} predictions: precision"
        f" {check['precision']:.3f}, recall {check['recall']:.3f}, typed F1 {check['f1']:.3f},"
        f" type-blind F1 {check['typeblind_f1']:.3f}. Too small to quote; it shows whether the"
        " dev numbers carry over.",
    ]
