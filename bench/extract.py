"""Issue 5's benchmark: whole-book extraction time and peak memory, and the time from a book
being parsed to its first chapter's descriptions being served, through the runtime."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import requests

from bench.parse import BOOKS, CORPUS, Uploader
from local.launcher import RunningRuntime

EXTRACT_BOOKS = [BOOKS[0], CORPUS / "en-idpf-moby-dick.epub3-nav-only.epub"]


def extract_in_isolation(path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.extract_worker", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1200,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def first_chapter_after_parse(runtime: RunningRuntime, repeats: int) -> list[float]:
    """Seconds from the book reading `parsed` (or later) to chapter 0's descriptions served."""
    anna = BOOKS[0].read_bytes()
    timings = []
    for n in range(repeats):
        uploader = Uploader(runtime)
        started = requests.post(
            f"{uploader.url}/uploads",
            json={"filename": f"anna-{n}.fb2", "size": len(anna) + 20},
            headers=uploader.headers,
            timeout=10,
        ).json()
        upload = started["upload"]
        data = anna + f"\n<!-- e{n} -->\n".encode()
        requests.put(
            upload["url"], data=data, headers=upload["headers"], timeout=60
        ).raise_for_status()
        book_url = f"{uploader.url}/books/{started['book']['id']}"
        while requests.get(book_url, headers=uploader.headers, timeout=10).json()["state"] in (
            "uploading",
            "parsing",
        ):
            time.sleep(0.05)
        parsed_at = time.perf_counter()
        while True:
            book = requests.get(book_url, headers=uploader.headers, timeout=10).json()
            if book["extraction"]["chapters_done"] >= 1 or book["state"] in ("ready", "failed"):
                break
            time.sleep(0.05)
        timings.append(time.perf_counter() - parsed_at)
        while (
            requests.get(book_url, headers=uploader.headers, timeout=10).json()["state"]
            == "extracting"
        ):
            time.sleep(0.5)  # let the book finish before the next one starts
    return timings


def run(runtime: RunningRuntime, repeats: int = 2) -> dict[str, Any]:
    return {
        "books": {path.name: extract_in_isolation(path) for path in EXTRACT_BOOKS},
        "first_chapter_s": first_chapter_after_parse(runtime, repeats),
    }


def render(results: dict[str, Any], environment: list[str]) -> str:
    lines = ["## Extract (issue 5)", "", *environment, ""]
    lines += [
        "### Whole book (descriptions of every chapter, then the cast; a fresh process per book)",
        "",
        "| book | characters | chapters | descriptions | cast | first chapter s | total s |"
        " s per 500k chars | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, item in results["books"].items():
        lines.append(
            f"| {name} | {item['characters']} | {item['chapters']} | {item['descriptions']} |"
            f" {item['cast']} | {item['first_chapter_s']:.2f} | {item['total_s']:.2f} |"
            f" {item['s_per_500k']:.2f} | {item['peak_rss_mb']:.0f} |"
        )
    lines += ["", "Share of each type among a book's descriptions:", ""]
    for name, item in results["books"].items():
        total = max(item["descriptions"], 1)
        shares = ", ".join(f"{k} {v / total:.1%}" for k, v in item["types"].items())
        lines.append(f"- {name}: {shares}")
    top_share = max(
        max(item["types"].values()) / max(item["descriptions"], 1)
        for item in results["books"].values()
    )
    first = sorted(results["first_chapter_s"])
    worst_rate = max(item["s_per_500k"] for item in results["books"].values())
    worst_rss = max(item["peak_rss_mb"] for item in results["books"].values())
    median = first[len(first) // 2]
    lines += [
        "",
        "First chapter of a fresh process includes loading the models.",
        "",
        "### Parsed → first chapter's descriptions served (through the runtime, warm worker)",
        "",
        f"Runs: {', '.join(f'{value:.2f} s' for value in first)}",
        "",
        "### Goals",
        "",
        "| goal | measured | met |",
        "|---|---:|---|",
        _goal("< 10 s per 500,000 characters", f"{worst_rate:.2f} s", worst_rate < 10),
        _goal("worker memory < 1 GB", f"{worst_rss:.0f} MB", worst_rss < 1024),
        _goal("first chapter within 2 s of parse", f"{median:.2f} s (median)", median < 2),
        _goal(
            "no type above 45 % of a novel's descriptions", f"{top_share:.1%}", top_share <= 0.45
        ),
    ]
    return "\n".join(lines)


def _goal(name: str, measured: str, met: bool) -> str:
    return f"| {name} | {measured} | {'met' if met else '**not met**'} |"
