"""The reading position, illustration settings and automatic illustration over HTTP: pictures
are drawn for the current chapter and the next N only (spoiler-safe), once per description,
within the reader's daily quota; and the admin's quota route."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest

from local.launcher import RunningRuntime
from tests.support.auth_client import AuthClient, Session, make_admin
from tests.support.library import PUSHKIN, Reader, wait_for_state, wait_image

MIN_CONFIDENCE = 0.6  # what automatic mode considers (bookreader.images.auto)


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    """The session's shared runtime: the tests here bring users of their own."""
    return product_runtime


@pytest.fixture(scope="module")
def admin(rt: RunningRuntime) -> Session:
    return make_admin(AuthClient(rt))


def reader_with_book(rt: RunningRuntime) -> tuple[Reader, str, dict[int, list[dict]]]:
    """A new reader with the Pushkin novel extracted, and its eligible descriptions by chapter."""
    reader = Reader(rt)
    book_id = reader.upload("Капитанская дочка.fb2", PUSHKIN.read_bytes())
    assert wait_for_state(reader, book_id, ("ready",))["state"] == "ready"
    items = reader.request(
        "GET",
        f"/books/{book_id}/descriptions",
        params={"limit": "500", "min_confidence": str(MIN_CONFIDENCE)},
    ).json()["items"]
    by_chapter: dict[int, list[dict]] = defaultdict(list)
    for item in items:
        by_chapter[item["chapter"]].append(item)
    return reader, book_id, by_chapter


@pytest.fixture(scope="module")
def book(rt: RunningRuntime) -> tuple[Reader, str, dict[int, list[dict]]]:
    return reader_with_book(rt)


def turn_on_automatic(reader: Reader, *, chapters_ahead: int, per_chapter: int) -> None:
    settings = {
        "auto_illustrate": True,
        "chapters_ahead": chapters_ahead,
        "per_chapter": per_chapter,
    }
    response = reader.request("PATCH", "/settings/illustrations", json=settings)
    assert response.status_code == 200, response.text


def illustrated_chapters(reader: Reader, book_id: str, by_chapter: dict[int, list[dict]]) -> dict:
    """{chapter: number of images} for the reader's images in the book."""
    chapter_of = {item["id"]: ch for ch, items in by_chapter.items() for item in items}
    gallery = reader.request("GET", f"/books/{book_id}/illustrations").json()["items"]
    counts: dict[int, int] = defaultdict(int)
    for image in gallery:
        counts[chapter_of[image["description_id"]]] += 1
    return dict(counts)


def start_chapter(by_chapter: dict[int, list[dict]], ahead: int) -> int:
    """A chapter from which the window and the next chapter all have candidates, and a later
    chapter has some too (so "never beyond" is tested against pictures that could be drawn)."""
    chapters = sorted(by_chapter)
    for chapter in chapters:
        window = range(chapter, chapter + ahead + 2)
        if all(c in by_chapter for c in window) and max(chapters) > window[-1]:
            return chapter
    raise AssertionError(f"no run of {ahead + 2} chapters with descriptions in {chapters}")


def test_position_is_saved_read_back_and_checked(book) -> None:
    reader, book_id, _ = book
    # A book not started yet is an ordinary answer (200 null), not a failed request.
    missing = reader.request("GET", f"/books/{book_id}/position")
    assert missing.status_code == 200 and missing.json() is None, missing.text
    saved = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": 2, "offset": 150})
    assert saved.status_code == 200, saved.text
    assert saved.json()["illustrating"] == []  # automatic illustration is off by default
    read = reader.request("GET", f"/books/{book_id}/position").json()
    assert (read["chapter"], read["offset"]) == (2, 150)

    chapters = reader.request("GET", f"/books/{book_id}").json()["chapter_count"]
    beyond = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": chapters})
    assert beyond.status_code == 422
    assert beyond.json()["error"]["details"]["fields"][0]["field"] == "chapter"
    for body in ({"chapter": -1}, {"offset": 3}, {"chapter": 1, "page": 4}, {"chapter": "x"}):
        response = reader.request("PUT", f"/books/{book_id}/position", json=body)
        assert response.status_code == 422, body
    assert reader.request("GET", f"/books/{book_id}/position").json()["chapter"] == 2


def test_settings_default_off_validate_and_show_the_quota(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    settings = reader.request("GET", "/settings/illustrations").json()
    assert settings["auto_illustrate"] is False and settings["style"] is None
    assert settings["quota"]["used_today"] == 0 and settings["quota"]["daily_limit"] > 0
    # The reader offers these in its "Illustrate" card; each is accepted as a style.
    assert "watercolour" in settings["styles"] and "ink sketch" in settings["styles"]
    changed = reader.request(
        "PATCH", "/settings/illustrations", json={"chapters_ahead": 3, "style": "Engraving"}
    ).json()
    assert changed["chapters_ahead"] == 3 and changed["style"] == "engraving"
    assert changed["auto_illustrate"] is False  # untouched fields keep their values
    bad_style = reader.request("PATCH", "/settings/illustrations", json={"style": "crayon"})
    assert bad_style.status_code == 422 and bad_style.json()["error"]["code"] == "style_unknown"
    too_far = reader.request("PATCH", "/settings/illustrations", json={"chapters_ahead": 11})
    assert too_far.status_code == 422
    cleared = reader.request("PATCH", "/settings/illustrations", json={"style": ""}).json()
    assert cleared["style"] is None and cleared["chapters_ahead"] == 3
    # A client sending null for a setting that always has a value changes nothing.
    nulls = reader.request("PATCH", "/settings/illustrations", json={"chapters_ahead": None})
    assert nulls.status_code == 200 and nulls.json()["chapters_ahead"] == 3


def test_default_style_applies_to_requests_without_one(book) -> None:
    reader, _, by_chapter = book
    reader.request("PATCH", "/settings/illustrations", json={"style": "anime"})
    description = by_chapter[max(by_chapter)][0]
    made = reader.request("POST", f"/descriptions/{description['id']}/illustrations").json()
    assert made["style"] == "anime"
    reader.request("PATCH", "/settings/illustrations", json={"style": ""})
    reader.request("DELETE", f"/illustrations/{made['id']}")


def test_automatic_mode_draws_the_window_and_never_beyond(rt: RunningRuntime) -> None:
    reader, book_id, by_chapter = reader_with_book(rt)
    turn_on_automatic(reader, chapters_ahead=1, per_chapter=1)
    first = start_chapter(by_chapter, ahead=1)
    turned = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": first}).json()
    assert len(turned["illustrating"]) == 2  # one for this chapter, one for the next
    assert illustrated_chapters(reader, book_id, by_chapter) == {first: 1, first + 1: 1}
    # The best description of each chapter is the one drawn.
    for image_id in turned["illustrating"]:
        assert wait_image(reader, image_id)["state"] == "ready"

    # Turning pages inside the chapter draws nothing new.
    again = reader.request(
        "PUT", f"/books/{book_id}/position", json={"chapter": first, "offset": 500}
    ).json()
    assert again["illustrating"] == []

    # One chapter on: only the newly reachable chapter is added.
    moved = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": first + 1}).json()
    assert len(moved["illustrating"]) == 1
    counts = illustrated_chapters(reader, book_id, by_chapter)
    assert counts == {first: 1, first + 1: 1, first + 2: 1}
    assert max(counts) <= first + 1 + 1  # never further ahead than N


def test_the_best_description_of_a_chapter_is_chosen(rt: RunningRuntime) -> None:
    reader, book_id, by_chapter = reader_with_book(rt)
    turn_on_automatic(reader, chapters_ahead=0, per_chapter=1)
    chapter = max(by_chapter, key=lambda c: len(by_chapter[c]))
    turned = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": chapter}).json()
    image = reader.request("GET", f"/illustrations/{turned['illustrating'][0]}").json()
    best = max(by_chapter[chapter], key=lambda item: (item["priority"], -item["start"]))
    assert image["description_id"] == best["id"]


def test_a_deleted_automatic_picture_is_not_drawn_again(rt: RunningRuntime) -> None:
    reader, book_id, by_chapter = reader_with_book(rt)
    turn_on_automatic(reader, chapters_ahead=0, per_chapter=1)
    chapter = min(by_chapter)
    made = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": chapter}).json()
    assert len(made["illustrating"]) == 1
    assert reader.request("DELETE", f"/illustrations/{made['illustrating'][0]}").status_code == 204
    again = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": chapter}).json()
    assert again["illustrating"] == []


def test_automatic_mode_stops_quietly_at_the_quota(rt: RunningRuntime, admin: Session) -> None:
    reader, book_id, by_chapter = reader_with_book(rt)
    me = reader.request("GET", "/auth/me").json()
    client = AuthClient(rt)
    set_quota = client.request(
        "PUT",
        f"/admin/users/{me['id']}/image-quota",
        token=admin.access_token,
        json={"daily_limit": 3},
    )
    assert set_quota.status_code == 200, set_quota.text
    assert set_quota.json() == {"daily_limit": 3, "overridden": True, "used_today": 0}
    turn_on_automatic(reader, chapters_ahead=4, per_chapter=2)
    first = start_chapter(by_chapter, ahead=1)
    turned = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": first})
    assert turned.status_code == 200  # never a 429 for a page turn
    assert len(turned.json()["illustrating"]) == 3
    quota = reader.request("GET", "/settings/illustrations").json()["quota"]
    assert quota == {"daily_limit": 3, "overridden": True, "used_today": 3}
    # A manual request now gets the clear 429.
    spare = next(
        item
        for items in by_chapter.values()
        for item in items
        if item["id"] not in {i["description_id"] for i in _gallery(reader, book_id)}
    )
    refused = reader.request("POST", f"/descriptions/{spare['id']}/illustrations")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def _gallery(reader: Reader, book_id: str) -> list[dict]:
    return reader.request("GET", f"/books/{book_id}/illustrations").json()["items"]


def test_admin_reads_sets_and_clears_a_users_quota(rt: RunningRuntime, admin: Session) -> None:
    reader = Reader(rt)
    me = reader.request("GET", "/auth/me").json()
    client = AuthClient(rt)
    path = f"/admin/users/{me['id']}/image-quota"
    default = client.request("GET", path, token=admin.access_token).json()
    assert default["overridden"] is False and default["daily_limit"] > 0
    raised = client.request("PUT", path, token=admin.access_token, json={"daily_limit": 500})
    assert raised.json()["daily_limit"] == 500
    assert reader.request("GET", "/settings/illustrations").json()["quota"]["daily_limit"] == 500
    cleared = client.request("PUT", path, token=admin.access_token, json={"daily_limit": None})
    assert cleared.json() == default
    for body in ({"daily_limit": -1}, {"limit": 5}, {}):
        assert client.request("PUT", path, token=admin.access_token, json=body).status_code == 422
    ghost = "00000000-0000-4000-8000-000000000000"
    missing = client.request("GET", f"/admin/users/{ghost}/image-quota", token=admin.access_token)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "user_not_found"
    user_try = reader.request("PUT", path, json={"daily_limit": 9999})
    assert user_try.status_code == 403


def test_another_readers_position_is_out_of_reach(rt: RunningRuntime, book) -> None:
    reader, book_id, _ = book
    reader.request("PUT", f"/books/{book_id}/position", json={"chapter": 1})
    stranger = Reader(rt)
    assert stranger.request("GET", f"/books/{book_id}/position").status_code == 404
    put = stranger.request("PUT", f"/books/{book_id}/position", json={"chapter": 0})
    assert put.status_code == 404
    assert reader.request("GET", f"/books/{book_id}/position").json()["chapter"] == 1


def test_a_finished_extraction_illustrates_where_the_reader_already_is(
    rt: RunningRuntime, admin: Session
) -> None:
    reader, book_id, by_chapter = reader_with_book(rt)
    chapter = start_chapter(by_chapter, ahead=1)
    # The reader is already in the book when automatic mode is switched on: nothing is drawn
    # until something moves — here a re-extraction (as after parse, for an early reader).
    reader.request("PUT", f"/books/{book_id}/position", json={"chapter": chapter})
    turn_on_automatic(reader, chapters_ahead=1, per_chapter=1)
    assert _gallery(reader, book_id) == []

    rerun = AuthClient(rt).request(
        "POST", f"/admin/books/{book_id}/extract", token=admin.access_token
    )
    assert rerun.status_code == 202, rerun.text
    deadline = time.time() + 120
    while time.time() < deadline and len(_gallery(reader, book_id)) < 2:
        time.sleep(0.25)
    assert illustrated_chapters(reader, book_id, by_chapter) == {chapter: 1, chapter + 1: 1}
