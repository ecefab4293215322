"""The stuck-work sweeper, run by the local runtime from its Schedule event (every second here),
against the production template: abandoned uploads, stuck books, the leaking illustration
cache and orphaned objects. Time is moved by backdating rows and object metadata.

The same runtime's log shows the access line's `error_code` for 4xx answers.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bookreader import db
from bookreader.storage.disk import DiskStore
from local.launcher import RunningRuntime
from tests.support.epub import make_epub, xhtml
from tests.support.library import FIXTURES, Reader, wait_for_state

pytestmark = pytest.mark.slow
KASHTANKA = FIXTURES / "epub" / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub"
BUCKET = "bookreader-books-000000000000"  # the template's bucket, as the runtime names it
HOURS_AGO = timedelta(hours=5)


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    with services.product_runtime(
        tmp_path_factory.mktemp("sweeper"), LOCAL_SCHEDULE_INTERVAL_SECONDS="1"
    ) as runtime:
        yield runtime


def sql(rt: RunningRuntime, statement: str, **params: Any) -> list[list[Any]]:
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        return conn.run(statement, **params)


def store(rt: RunningRuntime) -> DiskStore:
    """The runtime's disk store, written behind its back (no events)."""
    return DiskStore(rt.data_dir / "objects", "unused", rt.url, notify=False)


def exists(rt: RunningRuntime, key: str) -> bool:
    return (rt.data_dir / "objects" / BUCKET / key).exists()


def backdate_object(rt: RunningRuntime, key: str) -> None:
    """The object was written hours ago (its metadata says so, as S3's LastModified would)."""
    meta = rt.data_dir / "objects" / ".meta" / BUCKET / f"{key}.json"
    info = json.loads(meta.read_text())
    info["last_modified"] = (datetime.now(UTC) - HOURS_AGO).isoformat()
    meta.write_text(json.dumps(info))


def eventually(check: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"the sweeper did not {what} within {timeout} s")


@pytest.fixture(scope="module")
def reader(rt: RunningRuntime) -> Reader:
    return Reader(rt)


@pytest.fixture(scope="module")
def ready_book(rt: RunningRuntime, reader: Reader) -> str:
    book_id = reader.upload("Каштанка.epub", KASHTANKA.read_bytes())
    assert wait_for_state(reader, book_id, ("ready",))["state"] == "ready"
    return book_id


def test_an_abandoned_upload_is_expired_and_its_object_removed(
    rt: RunningRuntime, reader: Reader
) -> None:
    started = reader.request("POST", "/uploads", json={"filename": "late.epub", "size": 4096})
    assert started.status_code == 201, started.text
    book_id = started.json()["book"]["id"]
    (key,) = sql(rt, "SELECT object_key FROM books WHERE id = CAST(:b AS uuid)", b=book_id)[0]
    store(rt).put(BUCKET, key, b"half a book")  # arrived, but never announced
    sql(
        rt,
        "UPDATE books SET created_at = now() - interval '2 hours' WHERE id = CAST(:b AS uuid)",
        b=book_id,
    )
    eventually(lambda: not exists(rt, key), "remove the abandoned upload's object")
    # Read the row, not the API: listing would expire it lazily and prove nothing.
    ((state, code, details),) = sql(
        rt,
        "SELECT state, error_code, error_details FROM books WHERE id = CAST(:b AS uuid)",
        b=book_id,
    )
    assert (state, code, details["objects_removed"]) == ("failed", "upload_expired", True)
    book = reader.request("GET", f"/books/{book_id}").json()
    assert book["state"] == "failed" and book["error"]["code"] == "upload_expired"


def test_a_book_stuck_in_extracting_is_redriven_and_finishes(
    rt: RunningRuntime, reader: Reader, ready_book: str
) -> None:
    sql(
        rt,
        "UPDATE books SET state = 'extracting', updated_at = now() - interval '5 hours'"
        " WHERE id = CAST(:b AS uuid)",
        b=ready_book,
    )
    eventually(
        lambda: sql(
            rt,
            "SELECT 1 FROM books WHERE id = CAST(:b AS uuid) AND redriven_at IS NOT NULL",
            b=ready_book,
        ),
        "re-drive the stuck extraction",
    )
    book = wait_for_state(reader, ready_book, ("ready",))
    assert book["state"] == "ready", book
    assert reader.request("GET", f"/books/{ready_book}/descriptions").json()["items"]


def test_a_book_still_stuck_after_its_redrive_fails_with_a_code(
    rt: RunningRuntime, reader: Reader
) -> None:
    book = make_epub({"c1.xhtml": xhtml("<h1>One</h1><p>The grey sea rolled under the moon.</p>")})
    book_id = reader.upload("stuck.epub", book)
    assert wait_for_state(reader, book_id, ("ready", "extraction_unsupported_language"))
    # A parse that died: the book says `parsing`, and nothing has touched it for hours.
    sql(
        rt,
        "UPDATE books SET state = 'parsing', updated_at = now() - interval '5 hours'"
        " WHERE id = CAST(:b AS uuid)",
        b=book_id,
    )
    eventually(
        lambda: sql(
            rt,
            "SELECT 1 FROM books WHERE id = CAST(:b AS uuid) AND redriven_at IS NOT NULL"
            " AND state = 'parsing' AND progress > 0.5",
            b=book_id,
        ),
        "re-drive the stuck parse",
    )
    # The re-driven parse found its work already recorded and stopped: still stuck, hours on.
    time.sleep(1.5)
    sql(
        rt,
        "UPDATE books SET updated_at = now() - interval '5 hours' WHERE id = CAST(:b AS uuid)",
        b=book_id,
    )
    failed = eventually(
        lambda: (b := reader.request("GET", f"/books/{book_id}").json())["state"] == "failed" and b,
        "fail the book stuck after its re-drive",
    )
    assert failed["error"]["code"] == "parse_stuck" and failed["error"]["message"]


def test_a_picture_whose_invocation_was_lost_is_drawn_and_one_asked_for_long_ago_fails(
    rt: RunningRuntime, reader: Reader, ready_book: str
) -> None:
    items = reader.request("GET", f"/books/{ready_book}/descriptions", params={"limit": "20"})
    lost, abandoned = items.json()["items"][-2:]
    ids = []
    for item in (lost, abandoned):
        asked = reader.request("POST", f"/descriptions/{item['id']}/illustrations")
        assert asked.status_code in (200, 202), asked.text
        ids.append(asked.json()["id"])
    for image_id in ids:
        eventually(
            lambda image_id=image_id: (
                reader.request("GET", f"/illustrations/{image_id}").json()["state"] == "ready"
            ),
            "see the illustration drawn",
        )
    # Both back to `queued` with nothing on their way to generate (retries spent, dead-lettered):
    # the first untouched for 20 minutes, the second asked for hours ago.
    sql(
        rt,
        "UPDATE images SET state = 'queued', updated_at = now() - interval '20 minutes'"
        " WHERE id = CAST(:i AS uuid)",
        i=ids[0],
    )
    sql(
        rt,
        "UPDATE images SET state = 'queued', created_at = now() - interval '5 hours',"
        " updated_at = now() - interval '5 hours' WHERE id = CAST(:i AS uuid)",
        i=ids[1],
    )
    redrawn = eventually(
        lambda: (
            (p := reader.request("GET", f"/illustrations/{ids[0]}").json())["state"] == "ready"
            and p
        ),
        "draw the picture whose invocation was lost",
    )
    assert redrawn["state"] == "ready"
    failed = eventually(
        lambda: (
            (p := reader.request("GET", f"/illustrations/{ids[1]}").json())["state"] == "failed"
            and p
        ),
        "fail the picture asked for hours ago",
    )
    assert failed["error"]["code"] == "generation_stuck" and failed["error"]["message"]


def test_an_export_whose_invocation_was_lost_is_built_and_one_asked_for_long_ago_fails(
    rt: RunningRuntime, reader: Reader, ready_book: str
) -> None:
    asked = reader.request("POST", f"/books/{ready_book}/exports", json={"format": "epub"})
    assert asked.status_code in (200, 202), asked.text
    export_id = asked.json()["id"]

    def export(state: str) -> dict[str, Any] | None:
        found = reader.request("GET", f"/exports/{export_id}").json()
        return found if found["state"] == state else None

    eventually(lambda: export("ready"), "see the export built")
    # Back to `queued` with nothing on its way to the export function (a dead letter), untouched
    # for 20 minutes: the sweeper hands it over again and the reader gets the file.
    sql(
        rt,
        "UPDATE exports SET state = 'queued', progress = 0, object_key = NULL,"
        " updated_at = now() - interval '20 minutes' WHERE id = CAST(:i AS uuid)",
        i=export_id,
    )
    rebuilt = eventually(lambda: export("ready"), "build the export whose invocation was lost")
    assert rebuilt["url"] and rebuilt["bytes"] > 0
    # Asked for hours ago and still not built: failed with a reason, and asking again builds it.
    sql(
        rt,
        "UPDATE exports SET state = 'running', created_at = now() - interval '5 hours',"
        " updated_at = now() - interval '5 hours' WHERE id = CAST(:i AS uuid)",
        i=export_id,
    )
    failed = eventually(lambda: export("failed"), "fail the export asked for hours ago")
    assert failed["error"]["code"] == "export_stuck" and failed["error"]["message"]
    again = reader.request("POST", f"/books/{ready_book}/exports", json={"format": "epub"})
    assert again.json()["id"] == export_id
    assert eventually(lambda: export("ready"), "build the export asked for again")["url"]


def test_orphaned_cache_entries_and_objects_are_removed_and_nothing_else(
    rt: RunningRuntime, reader: Reader, ready_book: str
) -> None:
    items = reader.request("GET", f"/books/{ready_book}/descriptions", params={"limit": "5"})
    first, second = items.json()["items"][:2]
    images = []
    for item in (first, second):
        queued = reader.request("POST", f"/descriptions/{item['id']}/illustrations")
        assert queued.status_code in (200, 202), queued.text
        images.append(queued.json()["id"])
    for image_id in images:
        eventually(
            lambda image_id=image_id: (
                reader.request("GET", f"/illustrations/{image_id}").json()["state"] == "ready"
            ),
            "see the illustration drawn",
        )
    cache = {
        image_id: sql(
            rt,
            "SELECT c.cache_key, c.object_key, c.thumbnail_key FROM images i"
            " JOIN image_cache c ON c.cache_key = i.cache_key WHERE i.id = CAST(:i AS uuid)",
            i=image_id,
        )[0]
        for image_id in images
    }
    # The reader deletes the first picture: its shared cache entry is referenced by nothing.
    assert reader.request("DELETE", f"/illustrations/{images[0]}").status_code in (200, 204)
    sql(rt, "UPDATE image_cache SET created_at = now() - interval '5 hours'")
    for _, object_key, thumbnail_key in cache.values():
        backdate_object(rt, object_key)
        backdate_object(rt, thumbnail_key)

    owner = reader.request("GET", "/auth/me").json()["id"]
    orphan = f"books/{owner}/{uuid.uuid4()}/images/lost.png"
    young_orphan = f"books/{owner}/{uuid.uuid4()}/images/in-flight.png"
    foreign = "notes/kept-by-the-operator.txt"
    for key in (orphan, young_orphan, foreign):
        store(rt).put(BUCKET, key, b"bytes")
    backdate_object(rt, orphan)
    backdate_object(rt, foreign)

    deleted_key, deleted_object, deleted_thumb = cache[images[0]]
    eventually(
        lambda: not exists(rt, orphan) and not exists(rt, deleted_object),
        "remove the orphaned objects",
    )
    assert not exists(rt, deleted_thumb)
    assert not sql(rt, "SELECT 1 FROM image_cache WHERE cache_key = :k", k=deleted_key)
    kept_key, kept_object, kept_thumb = cache[images[1]]
    assert sql(rt, "SELECT 1 FROM image_cache WHERE cache_key = :k", k=kept_key)
    assert exists(rt, kept_object) and exists(rt, kept_thumb)
    assert exists(rt, young_orphan) and exists(rt, foreign)
    picture = reader.request("GET", f"/illustrations/{images[1]}").json()
    assert picture["state"] == "ready"
    # The book's own objects (its upload, its pictures) are all referenced: still there.
    (upload_key,) = sql(
        rt, "SELECT object_key FROM books WHERE id = CAST(:b AS uuid)", b=ready_book
    )[0]
    assert exists(rt, upload_key)


def test_each_sweep_is_one_log_line_and_adds_to_the_totals(rt: RunningRuntime) -> None:
    totals = dict(sql(rt, "SELECT name, total FROM sweeper_totals"))
    assert totals["sweeps"] >= 1
    for name in (
        "uploads_expired",
        "upload_objects_removed",
        "books_redriven",
        "books_failed_stuck",
        "images_redriven",
        "images_failed_stuck",
        "exports_redriven",
        "exports_failed_stuck",
        "cache_entries_removed",
        "orphaned_objects_removed",
    ):
        assert name in totals
    lines = [json.loads(line) for line in rt.log().splitlines() if line.startswith("{")]
    sweeps = [line for line in lines if line.get("message") == "sweep finished"]
    assert sweeps and all(isinstance(line["orphaned_objects_removed"], int) for line in sweeps)
    assert any(
        line.get("type") == "invocation"
        and line["function"] == "SweeperFunction"
        and line["trigger"] == "schedule"
        and line["status"] == "ok"
        for line in lines
    )


def test_access_log_names_the_error_code_of_4xx_answers(rt: RunningRuntime, reader: Reader) -> None:
    missing = reader.request("GET", f"/books/{uuid.uuid4()}")
    assert missing.status_code == 404
    request_id = missing.headers["x-amzn-RequestId"]

    def logged() -> dict | None:
        for line in rt.log().splitlines():
            if line.startswith("{") and request_id in line and '"invocation"' in line:
                return json.loads(line)
        return None

    line = eventually(logged, "log the answer", timeout=10)
    assert (line["status"], line["error_code"]) == (404, "book_not_found")
