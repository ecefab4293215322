"""The book's gallery and the library's recent pictures (with where each passage is), the cast
without spoilers (cut at the saved reading position), and the administrators' overview."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
import requests

from bookreader import db
from local.launcher import RunningRuntime
from tests.support.library import Reader, ready_book_with_passages, wait_image


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    with services.product_runtime(tmp_path_factory.mktemp("gallery")) as runtime:
        yield runtime


@pytest.fixture(scope="module")
def book(rt: RunningRuntime) -> tuple[Reader, str, list[dict]]:
    return ready_book_with_passages(rt)


def admin_of(rt: RunningRuntime, reader: Reader) -> dict[str, str]:
    """What `make admin` does (the role in the database), then a sign-in for a token with it."""
    me = reader.request("GET", "/auth/me").json()
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        conn.run("UPDATE users SET role = 'admin' WHERE id = CAST(:u AS uuid)", u=me["id"])
    login = requests.post(
        f"{rt.api_url}/auth/login",
        json={"email": me["email"], "password": "a long enough passphrase 42"},
        headers={"X-Forwarded-For": reader.ip},
        timeout=10,
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def test_gallery_items_say_where_their_passage_is(book) -> None:
    reader, book_id, items = book
    made = reader.request("POST", f"/descriptions/{items[1]['id']}/illustrations").json()
    assert wait_image(reader, made["id"])["state"] == "ready"
    gallery = reader.request("GET", f"/books/{book_id}/illustrations").json()["items"]
    item = next(item for item in gallery if item["id"] == made["id"])
    assert item["passage"] == {
        "chapter": items[1]["chapter"],
        "start": items[1]["start"],
        "end": items[1]["end"],
        "text": items[1]["text"],
    }
    # One illustration alone does not carry it (nor need to).
    assert reader.request("GET", f"/illustrations/{made['id']}").json()["passage"] is None


def test_recent_illustrations_are_the_users_newest_ready_ones(rt: RunningRuntime, book) -> None:
    reader, book_id, items = book
    older = reader.request("POST", f"/descriptions/{items[2]['id']}/illustrations").json()
    wait_image(reader, older["id"])
    newer = reader.request("POST", f"/descriptions/{items[0]['id']}/illustrations").json()
    wait_image(reader, newer["id"])
    recent = reader.request("GET", "/illustrations").json()["items"]
    ids = [item["id"] for item in recent]
    assert ids.index(newer["id"]) < ids.index(older["id"])
    assert all(item["state"] == "ready" and item["thumbnail_url"] for item in recent)
    first = recent[0]
    assert first["book_title"] == "Капитанская дочка" and first["book_id"] == book_id
    assert first["passage"]["chapter"] == items[0]["chapter"]
    assert first["passage"]["start"] == items[0]["start"]
    one = reader.request("GET", "/illustrations", params={"limit": "1"}).json()["items"]
    assert [item["id"] for item in one] == ids[:1]
    # Another user's library has none of them.
    assert Reader(rt).request("GET", "/illustrations").json()["items"] == []
    for bad in ("0", "51", "x"):
        response = reader.request("GET", "/illustrations", params={"limit": bad})
        assert response.status_code == 422, bad
        assert response.json()["error"]["details"]["fields"][0]["field"] == "limit"


def test_cast_shows_only_who_the_reader_has_met(book) -> None:
    reader, book_id, _ = book
    everyone = reader.request("GET", f"/books/{book_id}/cast", params={"unread": "true"}).json()
    members = everyone["items"]
    assert everyone["hidden"] == 0 and len(members) >= 2
    firsts = sorted({member["first_chapter"] for member in members})
    assert len(firsts) >= 2, "the test needs members first met in different chapters"

    before = reader.request("GET", f"/books/{book_id}/cast").json()
    assert before == {"items": [], "hidden": len(members), "reached_chapter": None}

    reached = firsts[0]
    saved = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": reached})
    assert saved.status_code == 200, saved.text
    cut = reader.request("GET", f"/books/{book_id}/cast").json()
    met = [member for member in members if member["first_chapter"] <= reached]
    assert cut["items"] == met and cut["reached_chapter"] == reached
    assert cut["hidden"] == len(members) - len(met) > 0
    names = {member["name"] for member in cut["items"]}
    assert all(member["name"] not in names for member in members if member not in met)


def test_overview_is_for_administrators_only(rt: RunningRuntime, book) -> None:
    reader, _, _ = book
    refused = reader.request("GET", "/admin/overview")
    assert refused.status_code == 403
    assert set(refused.json()) == {"error"} and refused.json()["error"]["code"] == "forbidden"
    anonymous = requests.get(f"{rt.api_url}/admin/overview", timeout=10)
    assert anonymous.status_code == 401


def test_overview_counts_users_books_images_and_dead_letters(rt: RunningRuntime, book) -> None:
    reader, _, items = book
    made = reader.request("POST", f"/descriptions/{items[3]['id']}/illustrations").json()
    wait_image(reader, made["id"])
    headers = admin_of(rt, Reader(rt))
    # A dead letter as the local bus leaves one after the last retry (what `make dlq` lists).
    client = redis.Redis.from_url(rt.env["REDIS_URL"], decode_responses=True)
    stream = f"{rt.env['REDIS_PREFIX']}:dlq:ExtractFunction"
    client.xadd(stream, {"function": "ExtractFunction", "event": "{}", "error": "boom"})

    overview = requests.get(f"{rt.api_url}/admin/overview", headers=headers, timeout=10)
    assert overview.status_code == 200, overview.text
    body = overview.json()
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        users = conn.run("SELECT count(*) FROM users")[0][0]
        images = conn.run("SELECT count(*) FROM images WHERE state = 'ready'")[0][0]
    assert body["users"] == {"total": users, "admins": 1, "disabled": 0}
    assert body["books_by_state"]["ready"] == 1 and body["books_by_state"]["failed"] == 0
    ready = [row for row in body["images_today"] if row["state"] == "ready"]
    assert ready == [{"state": "ready", "provider": "sketch", "count": images}] and images >= 1
    assert body["dead_letters"] == [{"function": "ExtractFunction", "count": 1}]
