"""Faults survived, nothing lost: PostgreSQL and Redis restarted, the object store refusing
writes, workers and the whole runtime killed — each while books and pictures are in flight
(bench/faults.py injects them; `make bench-faults` records the same scenarios' times)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench import faults
from bench.faults import Account, FaultLab, Outcome

pytestmark = [pytest.mark.runtime, pytest.mark.slow]


@pytest.fixture(scope="module")
def lab() -> Iterator[FaultLab]:
    with faults.fault_lab() as running:
        yield running


@pytest.fixture(scope="module")
def ready_book(lab: FaultLab) -> tuple[Account, str]:
    return faults.ready_book(lab)


def assert_nothing_lost(outcome: Outcome) -> None:
    for book_id, state in outcome.books.items():
        name, _, code = state.partition(":")
        assert name in ("ready", "failed"), (book_id, state)
        assert name == "ready" or code, f"book {book_id} failed without a code"
    for image_id, state in outcome.images.items():
        assert state.split(":")[0] in ("ready", "failed"), (image_id, state)
    assert outcome.duplicates == [], "something was stored twice"


def test_postgres_restarted_mid_parse_extract_and_generate(lab, ready_book) -> None:
    outcome = faults.postgres_restart(lab, ready_book)
    assert_nothing_lost(outcome)
    assert all(state == "ready" for state in outcome.books.values()), outcome.books
    assert all(state == "ready" for state in outcome.images.values()), outcome.images
    assert "postgres" in outcome.health_down


def test_redis_killed_with_messages_in_flight(lab, ready_book) -> None:
    outcome = faults.redis_restart(lab, ready_book)
    assert_nothing_lost(outcome)
    assert all(state == "ready" for state in outcome.books.values()), outcome.books
    assert all(state == "ready" for state in outcome.images.values()), outcome.images
    assert "redis" in outcome.health_down


def test_object_store_refusing_writes(lab, ready_book) -> None:
    outcome = faults.store_failing(lab, ready_book)
    assert_nothing_lost(outcome)
    assert all(state == "ready" for state in outcome.books.values()), outcome.books
    assert "object_store" in outcome.health_down
    refused, retried = outcome.notes
    assert refused.endswith("HTTP 503") and retried.endswith("HTTP 200"), outcome.notes


def test_generate_workers_killed_mid_picture(lab, ready_book) -> None:
    outcome = faults.worker_killed(lab, ready_book)
    assert_nothing_lost(outcome)
    assert all(state == "ready" for state in outcome.images.values()), outcome.images


def test_runtime_killed_with_sigkill_and_restarted(lab, ready_book) -> None:
    outcome = faults.runtime_killed(lab, ready_book)
    assert_nothing_lost(outcome)
    assert all(state == "ready" for state in outcome.books.values()), outcome.books
    assert all(state == "ready" for state in outcome.images.values()), outcome.images
    assert lab.dead_letters() == 0
