"""The parts of operations that need no running product: backup retention, archive names,
schedule expressions and events, the access log's error codes, the pg tools' choice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bookreader.errors import BookReaderError
from bookreader.ops import pgtools
from bookreader.ops.backup import archive_name, prune_backups
from local.apigw import HttpResponse, error_code_of
from local.scheduler import scheduled_event
from local.template import ScheduleTrigger, load_topology, rate_seconds

ROOT = Path(__file__).parent.parent
PARAMETERS = {"DatabaseUrl": "postgresql://x", "RedisUrl": "redis://x", "JwtSecret": "x" * 32}


def test_keep_leaves_the_newest_archives_and_nothing_else(tmp_path: Path) -> None:
    start = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    names = [archive_name(start + timedelta(days=day)) for day in range(9)]
    for name in names:
        (tmp_path / name).write_bytes(b"archive")
    (tmp_path / "notes.txt").write_text("not a backup")
    (tmp_path / (names[-1] + ".partial")).write_bytes(b"unfinished")

    removed = prune_backups(tmp_path, 7)

    assert [path.name for path in removed] == names[:2]
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == sorted([*names[2:], "notes.txt", names[-1] + ".partial"])
    with pytest.raises(BookReaderError) as refused:
        prune_backups(tmp_path, 0)
    assert refused.value.code == "keep_invalid"


def test_archive_names_sort_by_time() -> None:
    early = archive_name(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert early == "bookreader-20260102T030405Z.tar"
    assert early < archive_name(datetime(2026, 10, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(1 minute)", 60),
        ("rate(5 minutes)", 300),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
    ],
)
def test_rate_expressions(expression: str, seconds: int) -> None:
    assert rate_seconds(expression) == seconds


@pytest.mark.parametrize("expression", ["cron(0 3 * * ? *)", "rate(0 minutes)", "every 5 minutes"])
def test_schedules_the_runtime_cannot_run_are_refused_by_name(expression: str) -> None:
    with pytest.raises(BookReaderError) as refused:
        rate_seconds(expression)
    assert expression in refused.value.message


def test_the_sweeper_runs_on_a_schedule_in_the_template() -> None:
    topology = load_topology(ROOT / "template.yaml", PARAMETERS)
    sweeper = topology.functions["SweeperFunction"]
    (schedule,) = sweeper.schedules
    assert schedule.interval_s == 300 and schedule.enabled
    assert sweeper.environment["PARSE_FUNCTION_NAME"] == "ParseFunction"
    assert sweeper.environment["EXTRACT_FUNCTION_NAME"] == "ExtractFunction"
    assert not sweeper.routes and not sweeper.s3_triggers


def test_a_scheduled_event_looks_like_eventbridges() -> None:
    trigger = ScheduleTrigger("Nightly", "rate(1 day)", 86400)
    event = scheduled_event("SweeperFunction", trigger, datetime(2026, 12, 5, 3, 0, tzinfo=UTC))
    assert event["detail-type"] == "Scheduled Event" and event["source"] == "aws.events"
    assert event["time"] == "2026-12-05T03:00:00Z" and event["detail"] == {}
    assert event["resources"][0].endswith(":rule/SweeperFunctionNightly")
    fixed = ScheduleTrigger("Nightly", "rate(1 day)", 86400, input='{"only": "this"}')
    assert scheduled_event("SweeperFunction", fixed, datetime.now(UTC)) == {"only": "this"}


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (
            404,
            b'{"error": {"code": "book_not_found", "message": "x", "details": {}}}',
            "book_not_found",
        ),
        (
            429,
            b'{"error": {"code": "rate_limited", "message": "x", "details": {}}}',
            "rate_limited",
        ),
        (400, b"<html>not json</html>", None),
        (200, b'{"error": {"code": "looks_like_one"}}', None),
    ],
)
def test_the_access_log_takes_the_error_code_from_the_answer(
    status: int, body: bytes, code: str | None
) -> None:
    assert error_code_of(HttpResponse(status, [], body)) == code


def test_pg_dump_is_chosen_to_fit_the_server() -> None:
    copies = pgtools.available("pg_dump")
    if not copies:
        pytest.skip("no pg_dump on this machine")
    newest = copies[0][0]
    chosen = pgtools.find_tool("pg_dump", newest)
    assert pgtools.tool_major(chosen) == newest
    with pytest.raises(BookReaderError) as missing:
        pgtools.find_tool("pg_dump", newest + 1)
    assert missing.value.code == "pg_tool_missing" and "PG_BIN_DIR" in missing.value.message
