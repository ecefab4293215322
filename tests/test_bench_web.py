"""The web benchmark's report: goals judged from the numbers it is given, and the contents
entry it clicks found even when many chapters share a label (Anna Karenina has eight «XIX»)."""

from __future__ import annotations

from typing import Any

from bench import webapp

ENVIRONMENT = ["- Machine: test"]


def turn(ms: float, longest: float = 5.0) -> dict[str, Any]:
    return {
        "scripting_ms": ms / 2,
        "style_layout_ms": ms / 2,
        "scripting_layout_ms": ms,
        "painting_ms": 1.0,
        "longest_task_ms": longest,
        "painted": True,
    }


def click(ms: float) -> dict[str, Any]:
    return {"to_mark_ms": ms, "to_frame_ms": ms + 5, "to_text_ms": ms - 20, "to_response_ms": 30}


def lighthouse(performance: int) -> dict[str, Any]:
    return {
        "scores": {"performance": performance, "accessibility": 100, "best-practices": 96},
        "performance_runs": [performance - 2, performance, performance + 1],
        "metrics": dict.fromkeys(
            ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time"], "1 s"
        )
        | {"cumulative-layout-shift": "0.01"},
        "failing": {"performance": [], "accessibility": [], "best-practices": []},
    }


def results(click_ms: float, turns: list[dict[str, Any]], library_gzip: int) -> dict[str, Any]:
    script = {"url": "/assets/index.js", "bytes": 3 * library_gzip, "wire_bytes": library_gzip}
    return {
        "book": {
            "title": "Анна Каренина",
            "state": "ready",
            "long": {
                "index": 238,
                "title": "XIX",
                "words": 10014,
                "paragraphs": 728,
                "html_bytes": 1,
            },
        },
        "chromium": "Chromium 156",
        "node": "v20",
        "load_average": [1.0, 1.5],
        "chunks": [],
        "library_load": {"interactive_ms": 900, "scripts": [script | {"gzip_bytes": library_gzip}]},
        "reader_load": {"scripts": [script | {"gzip_bytes": library_gzip}]},
        "chapter_clicks": {"cold": [click(click_ms)] * 10, "warm": [click(click_ms / 2)] * 10},
        "page_turns": {"turns": turns, "long_tasks_ms": [], "first_page": None, "last_page": None},
        "lighthouse": {"library_mobile": lighthouse(93), "reader_mobile": lighthouse(54)},
    }


def goal_rows(report: str) -> dict[str, str]:
    rows = report.split("### Goals", 1)[1].strip().splitlines()[2:]
    return {row.split(" | ")[0].strip("| "): row.rsplit(" | ", 1)[1].strip(" |") for row in rows}


def test_goals_are_judged_from_the_measured_numbers() -> None:
    report = webapp.render(results(120, [turn(9)] * 30, 149_000), ENVIRONMENT)
    rows = goal_rows(report)
    assert rows["library JS ≤ 150 kB gzipped"] == "met"
    assert rows["contents click → chapter painted p50 < 150 ms"] == "met"
    assert rows["page turn < 16 ms scripting+layout, no long tasks"] == "met"
    assert rows["Lighthouse library (mobile) ≥ 90 / 95 / 95"] == "met"
    assert rows["Lighthouse reader (mobile) ≥ 90 / 95 / 95"] == "NOT MET"
    assert "| reader | mobile | 54 (52, 54, 55) |" in report


def test_one_slow_turn_or_a_long_task_misses_the_turn_goal() -> None:
    slow_once = [turn(9)] * 29 + [turn(17)]
    long_task = [turn(9)] * 29 + [turn(9, longest=60)]
    for turns in (slow_once, long_task):
        report = webapp.render(results(300, turns, 151_000), ENVIRONMENT)
        rows = goal_rows(report)
        assert rows["page turn < 16 ms scripting+layout, no long tasks"] == "NOT MET"
        assert rows["contents click → chapter painted p50 < 150 ms"] == "NOT MET"
        assert rows["library JS ≤ 150 kB gzipped"] == "NOT MET"


def test_a_part_that_failed_is_reported_as_not_measured() -> None:
    broken = results(120, [turn(9)] * 30, 100_000)
    broken["page_turns"] = {"error": "ArrowRight did not change the page"}
    report = webapp.render(broken, ENVIRONMENT)
    assert "Not measured: ArrowRight did not change the page" in report
    assert goal_rows(report)["page turn < 16 ms scripting+layout, no long tasks"] == "n/a"


def test_the_contents_entry_is_the_nth_with_its_label() -> None:
    toc = [
        {"title": "Часть первая", "chapter": 0, "children": [
            {"title": "XIX", "chapter": 19, "children": []},
        ]},
        {"title": "Часть вторая", "chapter": 30, "children": [
            {"title": "XIX", "chapter": 49, "children": []},
        ]},
    ]  # fmt: skip
    assert webapp.contents_entry(toc, 49) == ("XIX", 1)
    assert webapp.contents_entry(toc, 19) == ("XIX", 0)
    assert webapp.contents_entry(toc, 30) == ("Часть вторая", 0)
