"""Position sync over HTTP against the running product and real PostgreSQL: every save has a
version, a save made from an older view of the book than another device's later save is refused
with both places (409 `position_conflict`), the reader's choice goes through, nothing a device
saved is lost from "where was I on each device", and the library still knows how far they read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from local.launcher import RunningRuntime
from tests.support.library import FIXTURES, Reader

KASHTANKA = FIXTURES / "epub" / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub"


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    return product_runtime


def parsed_book(reader: Reader, path: Path = KASHTANKA) -> tuple[str, dict[str, Any]]:
    book_id = reader.upload(path.name, path.read_bytes())
    book = reader.wait(book_id)
    assert (book["chapter_count"] or 0) >= 3, book
    return book_id, book


@pytest.fixture
def reading(rt: RunningRuntime) -> tuple[Reader, str, dict[str, Any]]:
    reader = Reader(rt)
    book_id, book = parsed_book(reader)
    return reader, book_id, book


class Device:
    """One of the reader's devices, as the web app saves from it."""

    def __init__(self, reader: Reader, book_id: str, device_id: str, name: str) -> None:
        self.reader, self.book_id, self.id, self.name = reader, book_id, device_id, name
        self.seen = 0  # the version of the position this device last saw

    def put(self, chapter: int, offset: int = 0, based_on: int | None = None) -> requests.Response:
        body = {
            "chapter": chapter,
            "offset": offset,
            "percentage": 10.0 * chapter,
            "device_id": self.id,
            "device_name": self.name,
            "based_on": self.seen if based_on is None else based_on,
        }
        answer = self.reader.request("PUT", f"/books/{self.book_id}/position", json=body)
        if answer.status_code == 200:
            self.seen = answer.json()["version"]
        return answer

    def open(self) -> dict[str, Any]:
        """Opens the book: learns the server's position and its version."""
        answer = self.reader.request("GET", f"/books/{self.book_id}/position")
        assert answer.status_code == 200, answer.text
        self.seen = answer.json()["version"]
        return answer.json()


def position(reader: Reader, book_id: str) -> dict[str, Any]:
    answer = reader.request("GET", f"/books/{book_id}/position")
    assert answer.status_code == 200, answer.text
    return answer.json()


def conflict_of(answer: requests.Response) -> dict[str, Any]:
    assert answer.status_code == 409, answer.text
    error = answer.json()["error"]
    assert error["code"] == "position_conflict", error
    return error["details"]


def test_one_device_moves_on_without_conflicts_and_versions_grow(reading) -> None:
    reader, book_id, _ = reading
    laptop = Device(reader, book_id, "laptop-1", "Chromium on Linux")
    first = laptop.put(1, 10)
    assert first.status_code == 200, first.text
    assert (first.json()["version"], first.json()["device_name"]) == (1, "Chromium on Linux")
    assert laptop.put(2, 5).json()["version"] == 2
    # Its previous answer was lost (a keepalive save while the page closed): still its own view.
    again = laptop.put(2, 40, based_on=1)
    assert again.status_code == 200, again.text
    held = position(reader, book_id)
    assert (held["chapter"], held["offset"], held["version"]) == (2, 40, 3)
    assert held["percentage"] == pytest.approx(20.0)


def test_another_device_moved_on_since_so_the_save_is_refused_with_both_places(reading) -> None:
    reader, book_id, _ = reading
    laptop = Device(reader, book_id, "laptop-1", "Chromium on Linux")
    phone = Device(reader, book_id, "phone-1", "Chrome on Android")
    laptop.put(1)
    phone.open()
    assert phone.put(3, 120).status_code == 200

    refused = laptop.put(1, 300)  # the laptop never saw the phone's place
    details = conflict_of(refused)
    assert details["current"]["device_name"] == "Chrome on Android"
    assert (details["current"]["chapter"], details["current"]["offset"]) == (3, 120)
    assert details["current"]["version"] == phone.seen
    assert (details["yours"]["chapter"], details["yours"]["offset"]) == (1, 300)
    assert details["yours"]["based_on"] == 1
    # The server's place is untouched, and the laptop's own place is kept for it.
    held = position(reader, book_id)
    assert (held["chapter"], held["offset"], held["device_id"]) == (3, 120, "phone-1")
    laptop_place = [item for item in held["devices"] if item["device_id"] == "laptop-1"]
    assert [(item["chapter"], item["offset"], item["current"]) for item in laptop_place] == [
        (1, 300, False)
    ]


def test_a_stale_offline_save_asks_and_the_choice_goes_through(reading) -> None:
    reader, book_id, _ = reading
    laptop = Device(reader, book_id, "laptop-1", "Chromium on Linux")
    phone = Device(reader, book_id, "phone-1", "Chrome on Android")
    laptop.put(0, 50)
    phone.open()
    offline_view = phone.seen  # the phone goes offline here; its saves wait in its queue
    laptop.put(1)
    laptop.put(2, 10)

    queued = phone.put(1, 700, based_on=offline_view)  # the queue is sent, back online
    details = conflict_of(queued)
    assert (details["current"]["chapter"], details["current"]["offset"]) == (2, 10)

    # "Stay here": the phone saves again, based on the place it was shown.
    stay = phone.put(1, 700, based_on=details["current"]["version"])
    assert stay.status_code == 200, stay.text
    assert (stay.json()["chapter"], stay.json()["device_id"]) == (1, "phone-1")
    # The laptop in turn has not seen that: it is asked, not overwritten.
    conflict_of(laptop.put(2, 400))
    # "Continue there": the laptop goes to the phone's place and reads on from it.
    laptop.seen = details_version = position(reader, book_id)["version"]
    assert details_version == stay.json()["version"]
    on = laptop.put(1, 900)
    assert on.status_code == 200 and on.json()["version"] == details_version + 1


def test_going_back_on_purpose_is_allowed(reading) -> None:
    reader, book_id, _ = reading
    laptop = Device(reader, book_id, "laptop-1", "Chromium on Linux")
    laptop.put(2, 500)
    back = laptop.put(0, 0)  # e.g. from the contents, having seen the latest place
    assert back.status_code == 200, back.text
    assert (position(reader, book_id)["chapter"], position(reader, book_id)["offset"]) == (0, 0)
    # Another device that saw the later place may go back too.
    phone = Device(reader, book_id, "phone-1", "Chrome on Android")
    phone.open()
    assert phone.put(0, 0).status_code == 200


def test_an_older_place_of_the_same_device_never_replaces_its_newer_one(reading) -> None:
    reader, book_id, _ = reading
    laptop = Device(reader, book_id, "laptop-1", "Chromium on Linux")
    phone = Device(reader, book_id, "phone-1", "Chrome on Android")
    laptop.put(0, 10)
    early_view = laptop.seen  # a save made now is still waiting in the laptop's queue
    phone.open()
    phone.put(1)
    conflict_of(laptop.put(2, 0))
    stay = laptop.put(2, 0, based_on=phone.seen)
    assert stay.status_code == 200

    late = laptop.put(0, 20, based_on=early_view)  # the queued save, made before all that
    assert conflict_of(late)["current"]["chapter"] == 2
    held = position(reader, book_id)
    assert (held["chapter"], held["offset"]) == (2, 0)
    mine = next(item for item in held["devices"] if item["device_id"] == "laptop-1")
    assert (mine["chapter"], mine["offset"], mine["current"]) == (2, 0, True)


def test_where_was_i_on_each_device(reading) -> None:
    reader, book_id, _ = reading
    names = ["Firefox on Windows", "Safari on iPhone", "Chrome on Android", "Edge on Windows"]
    devices = [Device(reader, book_id, f"device-{n}", name) for n, name in enumerate(names)]
    for chapter, device in enumerate(devices):
        if chapter:
            device.open()
        saved = device.put(chapter, 3)
        assert saved.status_code == 200, saved.text
    listed = position(reader, book_id)["devices"]
    assert [item["device_name"] for item in listed] == list(reversed(names))  # latest first
    assert [item["chapter"] for item in listed] == [3, 2, 1, 0]
    assert [item["current"] for item in listed] == [True, False, False, False]

    for n in range(4, 7):  # more devices than the list keeps
        extra = Device(reader, book_id, f"device-{n}", f"Tablet {n}")
        extra.open()
        extra.put(0)
    listed = position(reader, book_id)["devices"]
    assert [item["device_name"] for item in listed] == [
        "Tablet 6",
        "Tablet 5",
        "Tablet 4",
        "Edge on Windows",
        "Chrome on Android",
    ]


def test_clients_that_name_no_device_still_save_as_before(reading) -> None:
    reader, book_id, book = reading
    assert reader.request("GET", f"/books/{book_id}/position").json() is None  # not started
    for chapter in (0, 2, 1):
        saved = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": chapter})
        assert saved.status_code == 200, saved.text
    held = position(reader, book_id)
    assert (held["chapter"], held["version"], held["device_id"]) == (1, 3, "")
    # The library's "Continue reading" and progress follow the saved place.
    listed = reader.request("GET", "/books").json()["items"]
    progress = next(item["reading_progress"] for item in listed if item["id"] == book_id)
    words = [chapter["word_count"] for chapter in book["chapters"]]
    assert progress == pytest.approx(words[0] / sum(words), abs=1e-3)


def test_bad_positions_are_refused_naming_the_field(reading) -> None:
    reader, book_id, book = reading
    length = len(reader.request("GET", f"/books/{book_id}/chapters/1").json()["text"])
    base = {"chapter": 1, "offset": 0, "device_id": "laptop-1", "device_name": "Laptop"}
    cases = [
        ({**base, "offset": length + 1}, "offset"),
        ({**base, "chapter": book["chapter_count"]}, "chapter"),
        ({**base, "percentage": 100.5}, "percentage"),
        ({**base, "based_on": -1}, "based_on"),
        ({**base, "device_id": "a/b"}, "device_id"),
        ({**base, "device_id": "x" * 65}, "device_id"),
        ({**base, "device_name": "evil\nname"}, "device_name"),
        ({**base, "device_name": ""}, "device_name"),
        ({**base, "page": 3}, "page"),
    ]
    for body, field in cases:
        answer = reader.request("PUT", f"/books/{book_id}/position", json=body)
        assert answer.status_code == 422, (body, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "validation_failed"
        assert [item["field"] for item in error["details"]["fields"]] == [field], body
    assert reader.request("GET", f"/books/{book_id}/position").json() is None  # none was saved
    at_end = reader.request("PUT", f"/books/{book_id}/position", json={**base, "offset": length})
    assert at_end.status_code == 200, at_end.text


def test_another_users_book_is_not_found(rt: RunningRuntime, reading) -> None:
    owner, book_id, _ = reading
    Device(owner, book_id, "laptop-1", "Laptop").put(1)
    stranger = Reader(rt)
    body = {"chapter": 0, "device_id": "x", "device_name": "X", "based_on": 1}
    for answer in (
        stranger.request("GET", f"/books/{book_id}/position"),
        stranger.request("PUT", f"/books/{book_id}/position", json=body),
    ):
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "book_not_found"
    held = position(owner, book_id)
    assert held["chapter"] == 1 and [item["device_id"] for item in held["devices"]] == ["laptop-1"]
