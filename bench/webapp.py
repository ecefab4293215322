"""Issue 10's benchmark: the web app in Chromium, through the real runtime.

The runtime serves the built SPA and the API; a reader registers through the API and uploads
Anna Karenina; then `bench/web/measure.mjs` (Node: playwright-core and Lighthouse 12, with a
package.json of its own) measures in Debian's Chromium:
- the JavaScript loaded before the library page is interactive (network log, gzipped), and
  the built chunks;
- a click on the longest chapter in the reader's contents → its text painted;
- page turns in paginated mode: main-thread scripting + style/layout per turn (CDP trace);
- Lighthouse scores of the library and the reader page, signed in.
Nothing here asserts: it measures and reports.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from bench.parse import CORPUS, Uploader
from bench.stats import summary
from local.launcher import RunningRuntime
from local.settings import PROJECT_ROOT

FRONTEND = PROJECT_ROOT / "frontend"
DIST = FRONTEND / "dist"
NODE_SIDE = Path(__file__).with_name("web")
ANNA = CORPUS / "bench" / "tolstoy-anna-karenina.fb2"
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium floods this machine's closed network (FINDINGS.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KB = 1000  # as Vite and Lighthouse count
GOALS = {"library_js_kb": 150, "chapter_p50_ms": 150, "turn_ms": 16}
LIGHTHOUSE_GOALS = {"performance": 90, "accessibility": 95, "best-practices": 95}
LONG_TASK_MS = 50
SPA_SOURCES = ["src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts"]


def _npm(args: list[str], cwd: Path, what: str) -> None:
    if shutil.which("npm") is None:
        raise RuntimeError(f"{what}: npm is not installed (Node 20 and npm are needed)")
    done = subprocess.run(["npm", *args], cwd=cwd, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise RuntimeError(f"{what}: `npm {' '.join(args)}` in {cwd.name}/ failed:\n{tail}")


def _newest(paths: list[Path]) -> float:
    stamps = [
        item.stat().st_mtime
        for path in paths
        if path.exists()
        for item in ([path] if path.is_file() else path.rglob("*"))
        if item.is_file()
    ]
    return max(stamps, default=0.0)


def _installed(folder: Path) -> bool:
    """node_modules matches the lock file (npm writes its own copy of the lock when installing)."""
    marker = folder / "node_modules" / ".package-lock.json"
    return (
        marker.exists() and marker.stat().st_mtime >= (folder / "package-lock.json").stat().st_mtime
    )


def build_spa() -> None:
    """Build the web app when dist/ is missing or older than its sources."""
    index = DIST / "index.html"
    sources = [FRONTEND / name for name in SPA_SOURCES]
    if index.exists() and index.stat().st_mtime >= _newest(sources):
        return
    print("web: building the SPA (npm run build in frontend/) …", file=sys.stderr)
    if not _installed(FRONTEND):
        _npm(["ci", "--no-audit", "--no-fund"], FRONTEND, "the web app cannot be built")
    _npm(["run", "build"], FRONTEND, "the web app cannot be built")


def install_node_side() -> None:
    """playwright-core and Lighthouse for the measuring script (its own lock file)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"the web benchmark needs Chromium at {CHROMIUM}: apt-get install chromium"
        )
    if not _installed(NODE_SIDE):
        print("web: npm ci in bench/web/ …", file=sys.stderr)
        _npm(["ci", "--no-audit", "--no-fund"], NODE_SIDE, "the browser side cannot be installed")


def built_chunks() -> list[dict[str, Any]]:
    """Every built script with its size and gzipped size (level 9); `initial` when index.html
    loads it (the entry and its module preloads), before any route's chunk."""
    html = (DIST / "index.html").read_text()
    initial = set(re.findall(r'(?:src|href)="/?(assets/[^"]+\.js)"', html))
    chunks = []
    for path in sorted((DIST / "assets").glob("*.js")):
        data = path.read_bytes()
        chunks.append(
            {
                "file": f"assets/{path.name}",
                "bytes": len(data),
                "gzip_bytes": len(gzip.compress(data, compresslevel=9, mtime=0)),
                "initial": f"assets/{path.name}" in initial,
            }
        )
    return sorted(chunks, key=lambda chunk: -chunk["gzip_bytes"])


def _flat_toc(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        out.append(entry)
        out.extend(_flat_toc(entry.get("children", [])))
    return out


def contents_entry(toc: list[dict[str, Any]], chapter: int) -> tuple[str, int]:
    """The label of the first contents entry for `chapter`, and how many entries before it
    (in reading order, nested ones included) carry the same label."""
    flat = _flat_toc(toc)
    position = next((n for n, entry in enumerate(flat) if entry["chapter"] == chapter), None)
    if position is None:
        raise RuntimeError(f"chapter {chapter} has no entry in the book's contents")
    label = flat[position]["title"]
    return label, sum(1 for entry in flat[:position] if entry["title"] == label)


def _chapter_plan(reader: Uploader, book: dict[str, Any], index: int) -> dict[str, Any]:
    """How the browser finds a chapter: its contents entry (label and which of the entries with
    that label it is) and a snippet of its text to recognise it on screen."""
    chapter = _get(reader, f"/books/{book['id']}/chapters/{index}")
    label, occurrence = contents_entry(book["toc"], index)
    return {
        "index": index,
        "title": chapter["title"],
        "words": chapter["word_count"],
        "html_bytes": len(chapter["html"].encode()),
        "paragraphs": len(chapter["paragraphs"]),
        "toc_label": label,
        "toc_occurrence": occurrence,
        "snippet": _snippet(chapter["text"], chapter["paragraphs"]),
    }


def _snippet(text: str, paragraphs: list[list[int]]) -> str:
    """A run of whole words from inside one of the first paragraphs (never the heading's)."""
    start, end = max(paragraphs[:6], key=lambda p: p[1] - p[0])
    words = text[start:end].split()
    snippet = " ".join(words[2:8])
    if len(snippet) < 20:
        raise RuntimeError("the chapter has no paragraph long enough to recognise it by")
    return snippet


def _get(reader: Uploader, path: str) -> dict[str, Any]:
    response = requests.get(f"{reader.url}{path}", headers=reader.headers, timeout=30)
    response.raise_for_status()
    return response.json()


def _wait_ready(reader: Uploader, book_id: str, timeout: float = 900) -> dict[str, Any]:
    """Extraction follows parsing and would compete for the CPU with the browser: wait it out."""
    deadline = time.monotonic() + timeout
    while True:
        book = _get(reader, f"/books/{book_id}")
        if book["state"] in ("ready", "extraction_unsupported_language", "failed"):
            return book
        if time.monotonic() > deadline:
            raise RuntimeError(f"the book is still {book['state']} after {timeout:.0f} s")
        time.sleep(1)


def prepare_reader(runtime: RunningRuntime) -> tuple[Uploader, dict[str, Any]]:
    """A reader (English UI, paginated layout) with Anna Karenina; the chapters to use."""
    reader = Uploader(runtime)
    requests.patch(
        f"{reader.url}/auth/me",
        json={"locale": "en", "preferences": {"layout": "paginated"}},
        headers=reader.headers,
        timeout=10,
    ).raise_for_status()
    reader.upload_to_parsed(ANNA.name, ANNA.read_bytes(), poll_s=0.5)
    book_id = _get(reader, "/books")["items"][0]["id"]
    book = _wait_ready(reader, book_id)
    body = [c for c in book["chapters"] if c["linear"] and c["word_count"] >= 200]
    longest = max(body, key=lambda c: c["word_count"])
    shortest = min(
        (c for c in body if c["index"] != longest["index"]), key=lambda c: c["word_count"]
    )
    plan = {
        "id": book_id,
        "title": book["title"],
        "state": book["state"],
        "long": _chapter_plan(reader, book, longest["index"]),
        "start": _chapter_plan(reader, book, shortest["index"]),
    }
    return reader, plan


def serves_spa(runtime: RunningRuntime) -> None:
    response = requests.get(f"{runtime.url}/", timeout=10)
    if response.status_code != 200 or "/assets/" not in response.text:
        raise RuntimeError(
            f"the runtime does not serve the built SPA at / ({response.status_code}):"
            " build it with `npm run build` in frontend/"
        )


def measure(runtime: RunningRuntime, work: Path, quick: bool) -> dict[str, Any]:
    """Everything, through `runtime`: the reader, the browser side's JSON, the built chunks."""
    serves_spa(runtime)
    reader, book = prepare_reader(runtime)
    load_before = os.getloadavg()[0]
    config = {
        "base_url": runtime.url,
        "email": reader.email,
        "password": reader.password,
        "book": book,
        "chromium": {"executable": CHROMIUM, "args": CHROMIUM_ARGS},
        "samples": 3 if quick else 12,
        "turns": 10 if quick else 40,
        "form_factors": ["mobile"] if quick else ["mobile", "desktop"],
        "lighthouse_runs": 1 if quick else 3,
        "parts": ["bundle", "chapter", "turns", "lighthouse"],
        "output": str(work / "web-results.json"),
    }
    config_path = work / "web-config.json"
    config_path.write_text(json.dumps(config))
    done = subprocess.run(
        ["node", "measure.mjs", str(config_path)],
        cwd=NODE_SIDE,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the browser side failed (exit {done.returncode}); see its log above")
    results = json.loads(Path(config["output"]).read_text())
    results["book"] = {k: v for k, v in book.items() if k not in ("long", "start")}
    results["book"]["long"] = {k: v for k, v in book["long"].items() if k != "snippet"}
    results["load_average"] = [load_before, os.getloadavg()[0]]
    results["chunks"] = built_chunks()
    results["chromium"] = _chromium_version()
    results["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    return results


def _chromium_version() -> str:
    done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
    return done.stdout.strip()


def _kb(n_bytes: float) -> str:
    return f"{n_bytes / KB:.1f}"


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else "met" if ok else "NOT MET"


def _failed(part: dict[str, Any] | None) -> str | None:
    if part is None:
        return "not measured"
    return part.get("error")


def _bundle_lines(results: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    load, reader = results.get("library_load"), results.get("reader_load")
    lines = ["### JavaScript before the library page is interactive", ""]
    goal: dict[str, Any] = {"goal": f"library JS ≤ {GOALS['library_js_kb']} kB gzipped"}
    if error := _failed(load):
        lines.append(f"Not measured: {error}")
        return lines, {**goal, "value": None, "met": None}
    scripts = load["scripts"]
    total = sum(s["gzip_bytes"] for s in scripts)
    library_urls = {s["url"] for s in scripts}
    reader_only = (
        [] if _failed(reader) else [s for s in reader["scripts"] if s["url"] not in library_urls]
    )
    lines += [
        "A signed-in reader opens `/` with an empty cache; the page is interactive when its",
        "heading and its answer are shown and the network is quiet"
        f" ({load['interactive_ms']:.0f} ms after navigation here). Every script the page"
        " loaded until then, gzipped at level 9 (the runtime serves them gzipped: on the wire"
        f" {_kb(sum(s['wire_bytes'] for s in scripts))} kB):",
        "",
        "| script | kB | kB gzipped |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| `{s['url']}` | {_kb(s['bytes'])} | {_kb(s['gzip_bytes'])} |"
        for s in sorted(scripts, key=lambda s: -s["gzip_bytes"])
    ]
    lines += [
        f"| **total ({len(scripts)} scripts)** | {_kb(sum(s['bytes'] for s in scripts))} |"
        f" **{_kb(total)}** |",
        "",
    ]
    if _failed(reader):
        lines.append(f"Reader page's own scripts: not measured ({_failed(reader)}).")
    else:
        split = ", ".join(f"`{s['url']}` {_kb(s['gzip_bytes'])} kB" for s in reader_only)
        lines.append(
            "Scripts the reader page loads that the library did not (split off): "
            + (split or "none — the reader's code is in what the library loads")
            + "."
        )
    return lines, {**goal, "value": f"{_kb(total)} kB", "met": total <= GOALS["library_js_kb"] * KB}


def _chunk_lines(chunks: list[dict[str, Any]]) -> list[str]:
    lines = [
        "",
        "Built chunks (`frontend/dist/assets`, the largest ten; *initial* = loaded by index.html):",
        "",
        "| chunk | kB | kB gzipped |",
        "|---|---:|---:|",
    ]
    for chunk in chunks[:10]:
        name = f"`{chunk['file']}`" + (" *initial*" if chunk["initial"] else "")
        lines.append(f"| {name} | {_kb(chunk['bytes'])} | {_kb(chunk['gzip_bytes'])} |")
    total = sum(c["gzip_bytes"] for c in chunks)
    lines.append(
        f"| all {len(chunks)} chunks | {_kb(sum(c['bytes'] for c in chunks))} | {_kb(total)} |"
    )
    return lines


def _samples(values: list[float | None]) -> dict[str, float] | None:
    present = [v for v in values if v is not None]
    return summary(present) if present else None


def _chapter_lines(results: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    clicks = results.get("chapter_clicks")
    long = results["book"]["long"]
    goal: dict[str, Any] = {
        "goal": f"contents click → chapter painted p50 < {GOALS['chapter_p50_ms']} ms"
    }
    lines = [
        "",
        "### Click on a chapter in the contents → its text painted",
        "",
        f"The longest chapter: «{long['title']}» (chapter {long['index']}, {long['words']} words,"
        f" {long['paragraphs']} paragraphs, {_kb(long['html_bytes'])} kB of HTML). Times on the",
        "page's clock from the click event: to the reader's `chapter-painted` mark (after the",
        "chapter's HTML is laid out), and to the start of the second animation frame after the",
        "text entered the DOM (by then the first has been painted: an upper bound); also when",
        "the chapter's response had arrived (Resource Timing) and when its text entered the DOM.",
        "*Cold*: the reader is opened afresh at a short chapter each time, so the long one is",
        "fetched after the click; *warm*: back to it in the same page.",
        "",
    ]
    if error := _failed(clicks):
        lines.append(f"Not measured: {error}")
        return lines, {**goal, "value": None, "met": None}
    lines += [
        "| clicks | n | measure | p50 ms | p90 ms | max ms |",
        "|---|---:|---|---:|---:|---:|",
    ]
    headline = None
    for kind in ("cold", "warm"):
        for key, label in (
            ("to_response_ms", "→ chapter's response"),
            ("to_text_ms", "→ text in the DOM"),
            ("to_mark_ms", "→ `chapter-painted`"),
            ("to_frame_ms", "→ next frame"),
        ):
            stats = _samples([sample[key] for sample in clicks[kind]])
            if stats is None:
                lines.append(f"| {kind} | 0 | {label} | – | – | – |")
                continue
            lines.append(
                f"| {kind} | {stats['n']} | {label} | {stats['p50']:.0f} | {stats['p90']:.0f} |"
                f" {stats['max']:.0f} |"
            )
            if kind == "cold" and key in ("to_mark_ms", "to_frame_ms") and headline is None:
                headline = (label, stats)
    if traced := clicks.get("traced"):
        work = traced["main_thread"]
        lines += [
            "",
            f"One more cold click, traced ({traced['to_frame_ms']:.0f} ms to the next frame):"
            f" main thread scripting {work['scripting_ms']:.0f} ms, style + layout"
            f" {work['style_layout_ms']:.0f} ms, paint/layerize/commit {work['painting_ms']:.0f}"
            f" ms; longest task {work['longest_task_ms']:.0f} ms. Its longest events: "
            + "; ".join(f"{e['what']} {e['ms']:.0f} ms" for e in work.get("top", []))
            + ".",
        ]
    if headline is None:
        return lines, {**goal, "value": None, "met": None}
    label, stats = headline
    value = f"cold p50 {stats['p50']:.0f} ms, p90 {stats['p90']:.0f} ms ({label.strip('→ ')})"
    return lines, {**goal, "value": value, "met": stats["p50"] < GOALS["chapter_p50_ms"]}


def _turn_lines(results: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    turns = results.get("page_turns")
    goal: dict[str, Any] = {
        "goal": f"page turn < {GOALS['turn_ms']} ms scripting+layout, no long tasks"
    }
    lines = [
        "",
        "### Page turns (paginated, arrow keys, in the longest chapter)",
        "",
        "From a CDP trace of the renderer's main thread, from each keydown until the next: the",
        "time inside DevTools' *Scripting* events and *style + layout* events (overlaps counted",
        f"once); a long task is a main-thread task ≥ {LONG_TASK_MS} ms (trace), or one the page's",
        "`longtask` observer reported.",
        "",
    ]
    if error := _failed(turns):
        lines.append(f"Not measured: {error}")
        return lines, {**goal, "value": None, "met": None}
    per_turn = turns["turns"]
    lines += [
        f"| per turn (n = {len(per_turn)}) | median ms | p90 ms | max ms |",
        "|---|---:|---:|---:|",
    ]
    for key, label in (
        ("scripting_layout_ms", "**scripting + style/layout**"),
        ("scripting_ms", "scripting"),
        ("style_layout_ms", "style + layout"),
        ("painting_ms", "paint, layerize, commit (main thread)"),
        ("longest_task_ms", "longest task"),
    ):
        stats = summary([turn[key] for turn in per_turn])
        lines.append(f"| {label} | {stats['p50']:.2f} | {stats['p90']:.2f} | {stats['max']:.2f} |")
    long_in_trace = sum(1 for turn in per_turn if turn["longest_task_ms"] >= LONG_TASK_MS)
    observed = turns["long_tasks_ms"]
    painted = sum(1 for turn in per_turn if turn["painted"])
    lines += [
        "",
        _pages_line(turns),
        f"Turns that painted: {painted} of {len(per_turn)}. Long tasks: {long_in_trace} in the"
        f" trace, {len(observed)} reported by the page"
        + (f" ({', '.join(f'{d:.0f} ms' for d in observed)})" if observed else "")
        + ".",
    ]
    worst = max(per_turn, key=lambda turn: turn["scripting_layout_ms"])
    if worst.get("top"):
        lines += [
            "",
            f"The slowest turn ({worst['scripting_layout_ms']:.0f} ms), its longest main-thread"
            " events: " + "; ".join(f"{e['what']} {e['ms']:.0f} ms" for e in worst["top"]) + ".",
        ]
    both = summary([turn["scripting_layout_ms"] for turn in per_turn])
    long_tasks = max(long_in_trace, len(observed))  # mostly the same tasks, seen twice
    value = f"median {both['p50']:.2f} ms, max {both['max']:.2f} ms, long tasks: {long_tasks}"
    met = both["max"] < GOALS["turn_ms"] and long_in_trace == 0 and not observed
    return lines, {**goal, "value": value, "met": met}


def _pages_line(turns: dict[str, Any]) -> str:
    first, last = turns.get("first_page"), turns.get("last_page")
    if not first or not last:
        return "The reader showed no page number; the screen changed over the turns."
    return (
        f"The reader went from page {first['page']} to page {last['page']} of"
        f" {last['pages']} (the chapter as laid out at 1280×800)."
    )


def _lighthouse_lines(results: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    runs = results.get("lighthouse") or {}
    lines = [
        "",
        "### Lighthouse 12 (signed in; the cache emptied before each run)",
        "",
        "Lighthouse drives the benchmark's Chromium through its DevTools port, in the context",
        "where the reader signed in (storage reset off, so the refresh cookie stays). *mobile* is",
        "Lighthouse's default (simulated slow 4G, 4× CPU slowdown); *desktop* its desktop preset.",
        "The reader page opens the longest chapter. Each page is audited three times (once with",
        "`--quick`); the table shows the run with the median performance score (every run's",
        "score in brackets).",
        "",
        "| page | form factor | performance (runs) | accessibility | best practices"
        " | FCP | LCP | TBT | CLS |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    goals = []
    failing_lines: list[str] = []
    for name, run in runs.items():
        page, form = name.rsplit("_", 1)
        if error := _failed(run):
            lines.append(f"| {page} | {form} | – | – | – | – | – | – | – |")
            failing_lines.append(f"- {page}, {form}: not measured: {error}")
            continue
        scores, metrics = run["scores"], run["metrics"]
        lines.append(
            f"| {page} | {form} | {scores['performance']}"
            f" ({', '.join(str(p) for p in run['performance_runs'])}) | {scores['accessibility']} |"
            f" {scores['best-practices']} | {metrics['first-contentful-paint']} |"
            f" {metrics['largest-contentful-paint']} | {metrics['total-blocking-time']} |"
            f" {metrics['cumulative-layout-shift']} |"
        )
        met = all(scores[c] >= floor for c, floor in LIGHTHOUSE_GOALS.items())
        goals.append(
            {
                "goal": f"Lighthouse {page} ({form}) ≥ 90 / 95 / 95",
                "value": " / ".join(str(scores[c]) for c in LIGHTHOUSE_GOALS),
                "met": met,
            }
        )
        for category, audits in run["failing"].items():
            weighted = [audit for audit in audits if audit["weight"] > 0] or audits
            for audit in weighted[:3]:
                detail = f" ({audit['display']})" if audit["display"] else ""
                where = f" — e.g. {audit['items'][0]}" if audit["items"] else ""
                failing_lines.append(
                    f"- {page}, {form}, {category}: {audit['title']}{detail}{where}".replace(
                        "|", "\\|"
                    )
                )
        if run.get("diagnostics"):
            failing_lines.append(
                f"- {page}, {form}, performance diagnostics: "
                + "; ".join(
                    d["title"] + (f" ({d['display']})" if d["display"] else "")
                    for d in run["diagnostics"]
                ).replace("|", "\\|")
            )
    if renewed := results.get("sessions_renewed"):
        failing_lines.append(
            f"- The browser had been signed out {renewed} time(s) between runs (a rotated refresh"
            " cookie sent again ends the session); it signed in again before auditing."
        )
    if failing_lines:
        lines += [
            "",
            "Top failing audits (by weight × points lost, three per category) and the failed",
            "performance diagnostics (no weight in the score; they name causes):",
            "",
            *failing_lines,
        ]
    return lines, goals


def render(results: dict[str, Any], environment: list[str]) -> str:
    book = results["book"]
    lines = [
        "## The web app in Chromium (issue 10)",
        "",
        *environment,
        f"- Browser: {results['chromium']} (headless, `--disable-gpu`), playwright-core;"
        f" Node {results['node'].strip()}; viewport 1280×800",
        f"- Book: «{book['title']}» (Anna Karenina FB2), uploaded through the API, state"
        f" `{book['state']}` before measuring; the runtime serves the built SPA and the API",
        "- Load average (1 min) before / after measuring: "
        + " / ".join(f"{value:.1f}" for value in results["load_average"])
        + " (other work on the machine slows the browser too)",
        "",
    ]
    bundle, bundle_goal = _bundle_lines(results)
    chapter, chapter_goal = _chapter_lines(results)
    turns, turn_goal = _turn_lines(results)
    lighthouse, lighthouse_goals = _lighthouse_lines(results)
    lines += [*bundle, *_chunk_lines(results["chunks"]), *chapter, *turns, *lighthouse]
    lines += ["", "### Goals", "", "| goal | measured | met |", "|---|---|---|"]
    for goal in [bundle_goal, chapter_goal, turn_goal, *lighthouse_goals]:
        lines.append(
            f"| {goal['goal']} | {goal['value'] or 'not measured'} | {_met(goal['met'])} |"
        )
    return "\n".join(lines)
