"""A signed-in reader of the running product over HTTP, the books the tests upload, and waits
for the asynchronous steps (parse, extract, draw) a reader would see finish."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import requests

from local.launcher import RunningRuntime
from tests.support.auth_client import fake_ip

FIXTURES = Path(__file__).parents[1] / "fixtures" / "books"
PARSED = ("parsed", "extracting", "ready")  # parse done; extraction may already be running
PUSHKIN = FIXTURES / "fb2" / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2"
PUSHKIN_ZIP = FIXTURES / "fb2" / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2.zip"


class Reader:
    """A signed-in user of the running product."""

    def __init__(self, runtime: RunningRuntime) -> None:
        self.url = runtime.api_url
        email = f"reader-{uuid.uuid4().hex[:8]}@example.org"
        # Each reader comes from its own address, so registration limits stay per test.
        self.ip = fake_ip()
        response = requests.post(
            f"{self.url}/auth/register",
            json={"email": email, "password": "a long enough passphrase 42"},
            headers={"X-Forwarded-For": self.ip},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def upload(self, name: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        started = self.request(
            "POST",
            "/uploads",
            json={"filename": name, "size": len(data), "content_type": content_type},
        )
        assert started.status_code == 201, started.text
        upload = started.json()["upload"]
        assert upload["method"] == "PUT"
        put = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30)
        assert put.status_code == 200, put.text
        return started.json()["book"]["id"]

    def wait(self, book_id: str, timeout: float = 60) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline:
            book = self.request("GET", f"/books/{book_id}").json()
            if book["state"] not in ("uploading", "parsing"):
                return book
            time.sleep(0.1)
        raise AssertionError(f"book {book_id} stuck in {book['state']}")


def wait_for_state(
    reader: Reader,
    book_id: str,
    states: tuple[str, ...],
    timeout: float = 180,
    seen: list[tuple[str, float]] | None = None,
) -> dict:
    """Poll the book until it is in one of `states` (or failed); `seen` collects every
    (state, progress) on the way."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        book = reader.request("GET", f"/books/{book_id}").json()
        if seen is not None:
            seen.append((book["state"], book["progress"]))
        if book["state"] in states or book["state"] == "failed":
            return book
        time.sleep(0.25)
    raise AssertionError(f"book stuck in {book['state']}")


def ready_book_with_passages(rt: RunningRuntime) -> tuple[Reader, str, list[dict]]:
    """A new reader with The Captain's Daughter extracted, and its first passages."""
    reader = Reader(rt)
    book_id = reader.upload("Капитанская дочка.fb2", PUSHKIN.read_bytes())
    assert wait_for_state(reader, book_id, ("ready",))["state"] == "ready"
    items = reader.request("GET", f"/books/{book_id}/descriptions", params={"limit": "50"}).json()[
        "items"
    ]
    assert len(items) >= 3
    return reader, book_id, items


def wait_image(reader: Reader, image_id: str, timeout: float = 60) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        image = reader.request("GET", f"/illustrations/{image_id}").json()
        if image["state"] in ("ready", "failed"):
            return image
        time.sleep(0.1)
    raise AssertionError(f"image {image_id} stuck in {image['state']}")
