"""Issue 5's quality record: `make eval-extract` on the shared dev set, kept in RESULTS.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[2] / "shared" / "goldset" / "dev.jsonl"
GOALS = {"precision": 0.80, "f1": 0.60, "typeblind_f1": 0.75}


def run() -> tuple[str, dict[str, Any]]:
    """(the evaluator's printed report, its final JSON line) on the dev set."""
    out = subprocess.run(
        [sys.executable, "-m", "bookreader.nlp.evaluate", str(GOLD)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = out.stdout.strip().splitlines()
    return "\n".join(lines[:-1]), json.loads(lines[-1])


def render(report: str, result: dict[str, Any], environment: list[str]) -> str:
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
        ]
    )
