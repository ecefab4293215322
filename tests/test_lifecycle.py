"""A book's lifecycle has one owner: every move is a compare-and-set, so the same upload event
delivered twice at once (events arrive at least once) parses the book exactly once and never
leaves it stuck in `parsing`. The real parse handler runs in threads against real PostgreSQL,
Redis and a disk object store."""

from __future__ import annotations

import importlib.util
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import bookreader.db
import bookreader.redis_conn
from bookreader import bus
from bookreader.config import get_settings
from bookreader.db.leases import session_lease
from bookreader.events import object_created_record
from bookreader.library import books, keys
from bookreader.library.extraction import extract_book
from bookreader.library.lifecycle import (
    PARSED_PROGRESS,
    READABLE,
    TRANSITIONS,
    BookState,
    move,
)
from bookreader.library.records import BookRecord
from bookreader.storage import get_store
from tests.support.domain import domain_environment

ROOT = Path(__file__).parent.parent
BOOKS = Path(__file__).parent / "fixtures" / "books" / "epub"
KASHTANKA = BOOKS / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub"
ARABIC = BOOKS / "ar-idpf-regime-anticancer.epub3-rtl.epub"
EXTRACT = "ExtractFunction"


def load_handler(function: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"{function}_handler", ROOT / "functions" / function / "handler.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def env(services, database_url, redis_prefix, tmp_path, monkeypatch) -> Iterator[None]:
    yield from domain_environment(
        monkeypatch,
        database_url,
        services.redis_url,
        redis_prefix,
        tmp_path,
        EXTRACT_FUNCTION_NAME=EXTRACT,
    )


def sql(statement: str, **params: Any) -> list[list[Any]]:
    with bookreader.db.get_pool().connection() as conn:
        return conn.run(statement, **params)


def uploaded_book(path: Path) -> tuple[str, dict[str, Any]]:
    """A book whose file has just landed: its id and the S3 event the store would send."""
    user_id = sql(
        "INSERT INTO users (email, password_hash) VALUES (:e, 'x') RETURNING id::text",
        e=f"{uuid.uuid4().hex[:10]}@example.org",
    )[0][0]
    book_id = str(uuid.uuid4())
    key = keys.upload_key(user_id, book_id, path.name)
    data = path.read_bytes()
    books.create_book(user_id, book_id, path.name, key, len(data), None)
    bucket = get_settings().books_bucket
    get_store().put(bucket, key, data, "application/epub+zip")
    info = get_store().head(bucket, key)
    record = object_created_record(bucket, key, info.size, info.etag, sequencer="0A1B2C")
    return book_id, {"Records": [record]}


def extract_invocations(book_id: str) -> int:
    """How many times parse queued extraction of this book."""
    entries = bookreader.redis_conn.redis_client().xrange(bus.function_stream(EXTRACT))
    return sum(1 for _, fields in entries if f'"{book_id}"' in fields["event"])


def deliver_at_once(handler: ModuleType, event: dict[str, Any], times: int = 2) -> None:
    """The same event handed to `times` workers at the same moment."""
    start = threading.Barrier(times)
    errors: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            handler.handle(event, None)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def book_row(book_id: str) -> BookRecord:
    found = books.get_book_by_id(book_id)
    assert found is not None
    return found


def chapters(book_id: str) -> tuple[int, int]:
    """(rows, distinct chapter indexes) stored for the book."""
    total, distinct = sql(
        "SELECT count(*), count(DISTINCT index) FROM chapters WHERE book_id = CAST(:b AS uuid)",
        b=book_id,
    )[0]
    return total, distinct


def test_the_same_event_delivered_twice_at_once_parses_the_book_exactly_once(env) -> None:
    parse = load_handler("parse")
    # The race needs the second delivery to read the book before the first has stored it; a
    # few books at once make both orders (and the overlap) happen.
    for _ in range(4):
        book_id, event = uploaded_book(KASHTANKA)
        deliver_at_once(parse, event)
        book = book_row(book_id)
        assert book.state == BookState.PARSED, book.state
        assert book.progress == pytest.approx(PARSED_PROGRESS)
        total, distinct = chapters(book_id)
        assert total == distinct == book.chapter_count > 0
        # A delivery that finds the book parsed hands it to extract again (the first hand-off
        # may be what failed); extraction after parse starts only from `parsed`, so once.
        assert extract_invocations(book_id) in (1, 2)


def test_a_late_redelivery_leaves_a_parsed_book_as_it_is(env) -> None:
    parse = load_handler("parse")
    book_id, event = uploaded_book(KASHTANKA)
    parse.handle(event, None)
    before = book_row(book_id)
    parse.handle(event, None)
    after = book_row(book_id)
    assert after.state == BookState.PARSED
    assert after.updated_at == before.updated_at, "a redelivery must not touch the book"
    assert extract_invocations(book_id) == 2, "handed to extract again, in case it was lost"


def test_progress_only_grows_from_parse_to_the_end_of_extraction(env) -> None:
    parse = load_handler("parse")
    book_id, event = uploaded_book(ARABIC)  # no extractor for Arabic: no models to load
    assert book_row(book_id).progress == 0
    parse.handle(event, None)
    parsed = book_row(book_id)
    assert parsed.state == BookState.PARSED
    assert extract_book(book_id, after_parse=True) == BookState.EXTRACTION_UNSUPPORTED_LANGUAGE
    assert extract_book(book_id, after_parse=True) is None, "parse's hand-off runs once"
    done = book_row(book_id)
    assert 0 < parsed.progress < done.progress == 1


def test_the_retry_of_an_extraction_that_died_takes_the_book_over(env) -> None:
    parse = load_handler("parse")
    book_id, event = uploaded_book(ARABIC)
    parse.handle(event, None)
    # A first run started and died (its worker killed): the book is left `extracting`.
    assert move(book_id, BookState.EXTRACTING, [BookState.PARSED])
    assert extract_book(book_id, after_parse=True) == BookState.EXTRACTION_UNSUPPORTED_LANGUAGE


def test_a_second_extraction_meeting_a_live_run_leaves_the_book_to_it(env) -> None:
    parse = load_handler("parse")
    book_id, event = uploaded_book(ARABIC)
    parse.handle(event, None)
    # A live run holds the book's lease for as long as it works on it.
    with session_lease(f"extract:{book_id}") as held:
        assert held
        assert extract_book(book_id, after_parse=True) is None
        assert book_row(book_id).state == BookState.PARSED, "the live run's book, untouched"
    assert extract_book(book_id, after_parse=True) == BookState.EXTRACTION_UNSUPPORTED_LANGUAGE


def test_a_state_moves_only_from_where_the_table_allows(env) -> None:
    book_id, _ = uploaded_book(ARABIC)
    # An upload that never parsed cannot become extracting, nor ready.
    assert not move(book_id, BookState.EXTRACTING)
    assert not move(book_id, BookState.READY)
    assert extract_book(book_id) is None, "nothing to extract before the book is parsed"
    assert book_row(book_id).state == BookState.UPLOADING
    assert move(book_id, BookState.PARSING, progress=0.1)
    # Staying in a state never lowers progress.
    assert move(book_id, BookState.PARSING, progress=0.05)
    assert book_row(book_id).progress == pytest.approx(0.1)
    # Only from the states named: a failure meant for `uploading` does not hit a parsing book.
    assert not move(book_id, BookState.FAILED, [BookState.UPLOADING])
    assert book_row(book_id).state == BookState.PARSING
    assert set(TRANSITIONS) == set(BookState)
    assert all(BookState.EXTRACTING in TRANSITIONS[state] for state in READABLE)
