"""Issue 12's benchmark: passages and their pictures in the reader, in Chromium, through the
product, with a local pollinations.ai fake that takes 2 s per picture as the image provider.

- applied: Anna Karenina's longest chapter opened in the reader with its passages and a few
  ready pictures; the reader's own `passages-applied` measure (marks as highlights, figures
  placed, the chapter laid out again around them) summed per page load, goal < 50 ms after the
  chapter's HTML is in the page;
- illustrate: a click on a marked passage opens its card; from the click on "Illustrate" to the
  picture loaded in its figure and painted, goal p50 < 2.5 s.
Nothing here asserts: it measures and reports (`bench/web/pictures.mjs` is the browser side).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import requests

from bench import generate, webapp
from bench.parse import Uploader
from bench.stats import summary

GOALS = {"applied_ms": 50.0, "illustrate_p50_ms": 2500.0}
FIGURES = 4  # ready pictures in the chapter before it is opened


def _descriptions(reader: Uploader, book_id: str, chapter: int | None) -> list[dict[str, Any]]:
    """The passages of one chapter (or of the whole book), every page of them."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if chapter is not None:
            params["chapter"] = chapter
        if cursor:
            params["cursor"] = cursor
        response = requests.get(
            f"{reader.url}/books/{book_id}/descriptions",
            params=params,
            headers=reader.headers,
            timeout=30,
        )
        response.raise_for_status()
        page = response.json()
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items


def _alone(item: dict[str, Any], items: list[dict[str, Any]]) -> bool:
    """No other passage overlaps it (a click on it can only mean it)."""
    return all(
        other is item or other["end"] <= item["start"] or other["start"] >= item["end"]
        for other in items
    )


def run(work: Path, quick: bool) -> dict[str, Any]:
    webapp.build_spa()
    webapp.install_node_side()
    samples = 3 if quick else 12
    with generate.SlowPollinations(generate.picture_like_jpeg()) as fake:
        fake.delay = generate.SLOW_PROVIDER_S
        with generate.product(work, fake.url) as (runtime, database_url, mode):
            webapp.serves_spa(runtime)
            reader, book = webapp.prepare_reader(runtime)
            chapter = book["long"]["index"]
            passages = _descriptions(reader, book["id"], chapter)
            ranked = sorted(passages, key=lambda item: -item["priority"])
            drawn = ranked[:FIGURES]
            ids = [generate.request(reader, item["id"], "watercolour") for item in drawn]
            generate.wait_done(database_url, ids)
            # Illustrate samples: passages no other overlaps, the long chapter's first, then
            # the book's others in reading order (a chapter holds only a few).
            book_passages = _descriptions(reader, book["id"], None)
            by_chapter: dict[int, list[dict[str, Any]]] = {}
            for item in book_passages:
                by_chapter.setdefault(item["chapter"], []).append(item)
            others = [item for item in book_passages if item["chapter"] != chapter]
            candidates = [
                item
                for item in ranked[FIGURES:] + others
                if len(item["text"]) >= 40 and _alone(item, by_chapter[item["chapter"]])
            ][:samples]
            config = {
                "base_url": runtime.url,
                "email": reader.email,
                "password": reader.password,
                "book": book,
                "chromium": {"executable": webapp.CHROMIUM, "args": webapp.CHROMIUM_ARGS},
                "samples": samples,
                "figures": FIGURES,
                "passages": [
                    {
                        "id": item["id"],
                        "chapter": item["chapter"],
                        "text": item["text"],
                        "start": item["start"],
                    }
                    for item in candidates
                ],
                "parts": ["passages", "illustrate"],
                "output": str(work / "pictures-results.json"),
            }
            config_path = work / "pictures-config.json"
            config_path.write_text(json.dumps(config))
            load_before = os.getloadavg()[0]
            done = subprocess.run(
                ["node", "measure.mjs", str(config_path)],
                cwd=webapp.NODE_SIDE,
                env={**os.environ, "CHROME_PATH": webapp.CHROMIUM},
                timeout=3600,
            )
            if done.returncode != 0:
                raise RuntimeError(f"the browser side failed (exit {done.returncode})")
            results = json.loads(Path(config["output"]).read_text())
    results["mode"] = mode
    results["chapter"] = {k: v for k, v in book["long"].items() if k != "snippet"}
    results["passages_in_chapter"] = len(passages)
    results["load_average"] = [load_before, os.getloadavg()[0]]
    return results


def render(results: dict[str, Any], environment: list[str]) -> str:
    chapter = results["chapter"]
    lines = [
        "## Passages and pictures in the reader (issue 12)",
        "",
        *environment,
        f"- Browser: {results.get('browser')}; load average before/after:"
        f" {results['load_average'][0]:.2f} / {results['load_average'][1]:.2f}",
        f"- Chapter: Anna Karenina, chapter {chapter['index']} ({chapter['words']} words,"
        f" {chapter['paragraphs']} paragraphs), {results['passages_in_chapter']} passages,"
        f" {FIGURES} ready pictures; paginated, 1280×800",
        "- Provider: a local pollinations.ai fake answering after"
        f" {generate.SLOW_PROVIDER_S:.0f} s with a 1024² JPEG",
        "",
        "| measure | n | p50 | p90 | max | goal | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    applied = results.get("passages_applied", {})
    if applied.get("loads"):
        stats = summary([load["total_ms"] for load in applied["loads"]])
        met = stats["p50"] < GOALS["applied_ms"]
        lines.append(
            f"| marks + figures applied (sum per load, ms) | {stats['n']} | {stats['p50']:.1f}"
            f" | {stats['p90']:.1f} | {stats['max']:.1f} | < {GOALS['applied_ms']:.0f} ms |"
            f" {'met' if met else 'NOT MET'} |"
        )
    else:
        lines.append(f"| marks + figures applied | – | – | – | – | | {applied.get('error')} |")
    illustrate = results.get("illustrate", {})
    if illustrate.get("samples_ms"):
        stats = summary(illustrate["samples_ms"])
        met = stats["p50"] < GOALS["illustrate_p50_ms"]
        lines.append(
            f"| click on Illustrate → picture painted (ms) | {stats['n']} | {stats['p50']:.0f}"
            f" | {stats['p90']:.0f} | {stats['max']:.0f} | p50 < 2500 ms |"
            f" {'met' if met else 'NOT MET'} |"
        )
    else:
        lines.append(f"| Illustrate → picture | – | – | – | – | | {illustrate.get('error')} |")
    if illustrate.get("skipped"):
        lines.append(f"\n{len(illustrate['skipped'])} Illustrate samples skipped (not clickable).")
    lines += [
        "",
        "`passages-applied` is the reader's own measure (User Timing) from the start of putting",
        "a chapter's marks on (one Highlight per passage type, built from offsets) to the chapter",
        "laid out again with its figures in place; a load applies once per data arrival",
        "(descriptions, pictures, the rest of a long chapter), and the row sums them. The",
        "Illustrate time includes the queue, the provider's 2 s, WebP encoding and storage, the",
        "reader's polling (every 100 ms for the first 4 s) and loading the thumbnail; its samples",
        "are the long chapter's remaining passages, then passages of the book's first chapters.",
    ]
    return "\n".join(lines)
