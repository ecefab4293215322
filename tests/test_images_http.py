"""Illustrations end to end over HTTP with the offline sketch provider: upload a corpus book →
parse → extract → request an image for a description → generate (async) → the image is served
and its record complete; idempotent requests, regenerate, gallery, delete, other users."""

from __future__ import annotations

import pytest
import requests

from local.launcher import RunningRuntime
from tests.support import library as support_library
from tests.support.library import Reader, wait_image

# Tests written before tests/support import these from here: kept until they are moved.
ready_book_with_passages = support_library.ready_book_with_passages
wait_for_state = support_library.wait_for_state


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    """The session's shared runtime: the tests here bring users of their own."""
    return product_runtime


@pytest.fixture(scope="module")
def book(extracted_book: tuple[Reader, str, list[dict]]) -> tuple[Reader, str, list[dict]]:
    """The session's extracted novel: each test here illustrates passages no other test does."""
    return extracted_book


def test_requested_image_is_drawn_stored_and_served(book) -> None:
    reader, _, items = book
    queued = reader.request(
        "POST", f"/descriptions/{items[0]['id']}/illustrations", json={"style": "engraving"}
    )
    assert queued.status_code == 202, queued.text
    assert queued.json()["state"] == "queued"
    image = wait_image(reader, queued.json()["id"])
    assert image["state"] == "ready", image["error"]
    assert image["made_by"] == "sketch" and image["style"] == "engraving"
    assert image["width"] > 0 and image["height"] > 0 and image["bytes"] > 0
    assert image["prompt"] and all(not ("а" <= ch <= "я") for ch in image["prompt"].lower())
    picture = requests.get(image["url"], timeout=10)
    assert (
        picture.status_code == 200
        and picture.content[:4] == b"RIFF"
        and picture.content[8:12] == b"WEBP"
    )
    assert len(picture.content) == image["bytes"]
    thumb = requests.get(image["thumbnail_url"], timeout=10)
    assert thumb.status_code == 200 and len(thumb.content) < len(picture.content)


def test_the_same_request_twice_is_one_image_and_regenerate_makes_another(book) -> None:
    reader, _, items = book
    first = reader.request("POST", f"/descriptions/{items[1]['id']}/illustrations")
    again = reader.request("POST", f"/descriptions/{items[1]['id']}/illustrations")
    assert first.status_code == 202 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    wait_image(reader, first.json()["id"])
    fresh = reader.request("POST", f"/illustrations/{first.json()['id']}/regenerate")
    assert fresh.status_code == 202 and fresh.json()["id"] != first.json()["id"]
    assert fresh.json()["generation"] == 1
    assert wait_image(reader, fresh.json()["id"])["state"] == "ready"


def test_gallery_lists_and_filters_the_books_images(book) -> None:
    reader, book_id, items = book
    made = reader.request("POST", f"/descriptions/{items[2]['id']}/illustrations").json()
    wait_image(reader, made["id"])
    gallery = reader.request("GET", f"/books/{book_id}/illustrations").json()["items"]
    assert made["id"] in [item["id"] for item in gallery]
    chapter = reader.request(
        "GET", f"/books/{book_id}/illustrations", params={"chapter": str(items[2]["chapter"])}
    ).json()["items"]
    assert made["id"] in [item["id"] for item in chapter]
    bad = reader.request("GET", f"/books/{book_id}/illustrations", params={"type": "smell"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_failed"


def test_unknown_style_is_refused(book) -> None:
    reader, _, items = book
    response = reader.request(
        "POST", f"/descriptions/{items[0]['id']}/illustrations", json={"style": "crayon"}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "style_unknown"


def test_delete_removes_the_image(book) -> None:
    reader, _, items = book
    made = reader.request(
        "POST", f"/descriptions/{items[3]['id']}/illustrations", json={"style": "anime"}
    ).json()
    image = wait_image(reader, made["id"])
    assert reader.request("DELETE", f"/illustrations/{made['id']}").status_code == 204
    assert reader.request("GET", f"/illustrations/{made['id']}").status_code == 404
    assert requests.get(image["url"], timeout=10).status_code == 404


def test_another_user_reaches_none_of_it(rt: RunningRuntime, book) -> None:
    reader, book_id, items = book
    made = reader.request(
        "POST", f"/descriptions/{items[0]['id']}/illustrations", json={"style": "engraving"}
    ).json()
    stranger = Reader(rt)
    for method, path in [
        ("POST", f"/descriptions/{items[0]['id']}/illustrations"),
        ("GET", f"/books/{book_id}/illustrations"),
        ("GET", f"/illustrations/{made['id']}"),
        ("POST", f"/illustrations/{made['id']}/regenerate"),
        ("DELETE", f"/illustrations/{made['id']}"),
    ]:
        response = stranger.request(method, path)
        assert response.status_code == 404, (method, path, response.text)
    assert reader.request("GET", f"/illustrations/{made['id']}").status_code == 200
