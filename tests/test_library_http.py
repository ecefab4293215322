"""Upload → parse → read, end to end over HTTP through the local runtime, real PostgreSQL,
Redis and object store; and a user only ever reaches their own books."""

from __future__ import annotations

import hashlib
import io
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local.launcher import RunningRuntime

FIXTURES = Path(__file__).parent / "fixtures" / "books"
PARSED = ("parsed", "extracting", "ready")  # parse done; extraction may already be running
PUSHKIN = FIXTURES / "fb2" / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2"
PUSHKIN_ZIP = FIXTURES / "fb2" / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2.zip"


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    with services.product_runtime(tmp_path_factory.mktemp("library")) as runtime:
        yield runtime


class Reader:
    """A signed-in user of the running product."""

    def __init__(self, runtime: RunningRuntime) -> None:
        self.url = runtime.api_url
        email = f"reader-{uuid.uuid4().hex[:8]}@example.org"
        # Each reader comes from its own address, so registration limits stay per test.
        self.ip = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
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


@pytest.fixture
def reader(rt: RunningRuntime) -> Reader:
    return Reader(rt)


def test_upload_parse_and_read_a_book(reader: Reader) -> None:
    book_id = reader.upload(
        "Капитанская дочка.fb2", PUSHKIN.read_bytes(), "application/x-fictionbook+xml"
    )
    book = reader.wait(book_id)
    assert book["state"] in PARSED, book["error"]
    assert book["title"] == "Капитанская дочка" and book["authors"][0].endswith("Пушкин")
    assert book["language"] == "ru" and book["format"] == "fb2"
    assert book["chapter_count"] == len(book["chapters"]) > 5
    assert book["word_count"] > 20_000 and book["reading_minutes"] > 60
    assert book["toc"] and book["toc"][0]["chapter"] >= 0

    first = next(chapter for chapter in book["chapters"] if chapter["word_count"] > 0)
    chapter = reader.request("GET", f"/books/{book_id}/chapters/{first['index']}").json()
    assert chapter["html"] and chapter["paragraphs"]
    assert "<script" not in chapter["html"]
    start, end = chapter["paragraphs"][0]
    assert 0 <= start < end

    listed = reader.request("GET", "/books").json()
    assert [item["id"] for item in listed["items"]] == [book_id] and listed["total"] == 1


def test_same_file_again_is_the_same_book(reader: Reader) -> None:
    data = PUSHKIN_ZIP.read_bytes()
    first = reader.upload("dochka.fb2.zip", data, "application/zip")
    assert reader.wait(first)["state"] in PARSED
    digest = hashlib.sha256(data).hexdigest()
    again = reader.request(
        "POST", "/uploads", json={"filename": "copy.fb2.zip", "size": len(data), "sha256": digest}
    )
    assert again.status_code == 200
    assert again.json()["book"]["id"] == first and again.json()["existing"] is True
    assert again.json()["upload"] is None
    direct = reader.request(
        "POST", "/books", files={"file": ("copy.fb2.zip", data, "application/zip")}
    )
    assert direct.status_code == 200
    assert direct.json()["book"]["id"] == first and direct.json()["existing"] is True
    # Without a checksum up front, parse finds the duplicate and says which book it is.
    second = reader.upload("another-name.fb2.zip", data)
    failed = reader.wait(second)
    assert failed["state"] == "failed" and failed["error"]["code"] == "duplicate"
    assert failed["error"]["details"]["book_id"] == first


def test_direct_multipart_upload(reader: Reader) -> None:
    response = reader.request(
        "POST",
        "/books",
        files={"file": ("Дочка.fb2", PUSHKIN.read_bytes(), "application/x-fictionbook+xml")},
    )
    assert response.status_code == 201, response.text
    assert response.json()["existing"] is False and response.json()["upload"] is None
    assert reader.wait(response.json()["book"]["id"])["state"] in PARSED


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"filename": "book.pdf", "size": 10}, 422, "unsupported_extension"),
        ({"filename": "book.epub", "size": 51 * 2**20}, 413, "file_too_large"),
        (
            {"filename": "book.epub", "size": 10, "content_type": "text/html"},
            415,
            "unsupported_media_type",
        ),
        ({"filename": "book.epub"}, 422, "validation_failed"),
        ({"filename": "book.epub", "size": -1}, 422, "validation_failed"),
    ],
)
def test_upload_requests_are_validated(reader: Reader, body: dict, status: int, code: str) -> None:
    response = reader.request("POST", "/uploads", json=body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", "<container/>")
        archive.writestr("OEBPS/bomb.xhtml", b"\0" * (200 * 2**20))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("renamed.epub", b"%PDF-1.7\n" + b"x" * 2000, "unsupported_format"),
        ("bomb.epub", None, "archive_ratio"),
        ("truncated.fb2.zip", None, "archive_corrupt"),
    ],
)
def test_bad_files_fail_with_a_reason_and_the_next_book_parses(
    reader: Reader, name, data, code
) -> None:
    if name == "bomb.epub":
        data = _zip_bomb()
    if name == "truncated.fb2.zip":
        whole = PUSHKIN_ZIP.read_bytes()
        data = whole[: len(whole) // 2]
    failed = reader.wait(reader.upload(name, data))
    assert failed["state"] == "failed"
    assert failed["error"]["code"] in (
        code,
        "archive_too_large" if code == "archive_ratio" else code,
    )
    assert failed["error"]["message"] and "Traceback" not in failed["error"]["message"]
    good = reader.upload("good.fb2", PUSHKIN.read_bytes())
    assert reader.wait(good)["state"] in PARSED
    assert reader.request("DELETE", f"/books/{good}").status_code == 204


def test_a_user_never_reaches_another_users_book(rt: RunningRuntime) -> None:
    owner, other = Reader(rt), Reader(rt)
    book_id = owner.upload("dochka.fb2", PUSHKIN.read_bytes())
    assert owner.wait(book_id)["state"] in PARSED
    for method, path in [
        ("GET", f"/books/{book_id}"),
        ("GET", f"/books/{book_id}/chapters/0"),
        ("GET", f"/books/{book_id}/cover"),
        ("GET", f"/books/{book_id}/images/anything.jpg"),
        ("DELETE", f"/books/{book_id}"),
    ]:
        response = other.request(method, path)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"]["code"] == "book_not_found"
    assert other.request("GET", "/books").json()["items"] == []
    assert owner.request("GET", f"/books/{book_id}").status_code == 200


def test_delete_removes_rows_and_stored_objects(rt: RunningRuntime, reader: Reader) -> None:
    book_id = reader.upload("dochka.fb2", PUSHKIN.read_bytes())
    assert reader.wait(book_id)["state"] in PARSED
    objects = rt.data_dir / "objects"
    assert any(book_id in str(path) for path in objects.rglob("*") if path.is_file())
    assert reader.request("DELETE", f"/books/{book_id}").status_code == 204
    assert reader.request("GET", f"/books/{book_id}").status_code == 404
    assert not any(book_id in str(path) for path in objects.rglob("*") if path.is_file())


def test_listing_filters_sorts_and_pages(reader: Reader) -> None:
    first = reader.upload("a.fb2", PUSHKIN.read_bytes())
    reader.wait(first)
    assert reader.request("GET", "/books?language=ru").json()["total"] == 1
    assert reader.request("GET", "/books?state=failed").json()["total"] == 0
    assert reader.request("GET", "/books?author=Пушкин").json()["total"] == 1
    assert reader.request("GET", "/books?author=Tolstoy").json()["total"] == 0
    page = reader.request("GET", "/books?sort=title&order=asc&page=1&page_size=1").json()
    assert page["page_size"] == 1 and len(page["items"]) == 1
    bad = reader.request("GET", "/books?sort=nonsense")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_failed"
    assert [field["field"] for field in bad.json()["error"]["details"]["fields"]] == ["sort"]
