"""Upload → parse → read, end to end over HTTP through the local runtime, real PostgreSQL,
Redis and object store; and a user only ever reaches their own books."""

from __future__ import annotations

import hashlib
import io
import re
import time
import uuid
import zipfile
from collections.abc import Iterator

import pytest
import requests

from bookreader import db
from local.launcher import RunningRuntime
from tests.support import library as support_library
from tests.support.epub import METADATA, make_epub, xhtml
from tests.support.library import PARSED, PUSHKIN, PUSHKIN_ZIP, Reader

# Tests written before tests/support import FIXTURES from here: kept until they are moved.
FIXTURES = support_library.FIXTURES


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    # A runtime of its own: the many books uploaded here keep its extractor busy long after,
    # which would hold up the extractions other modules wait for on the shared one.
    with services.product_runtime(tmp_path_factory.mktemp("library")) as runtime:
        yield runtime


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
    # clients anchor marks and positions in the plain text, never rebuilt from the HTML
    paragraphs = [chapter["text"][s:e] for s, e in chapter["paragraphs"]]
    assert "\n\n".join(paragraphs) == chapter["text"] and paragraphs[0].strip()
    assert book["direction"] == chapter["direction"] == "ltr"

    listed = reader.request("GET", "/books").json()
    assert [item["id"] for item in listed["items"]] == [book_id] and listed["total"] == 1


def test_right_to_left_book_says_so_in_the_api(reader: Reader) -> None:
    body = xhtml("<h1>פרק</h1><p>שלום עולם.</p>").replace("<body>", '<body dir="rtl">')
    data = make_epub({"c.xhtml": body}, metadata=METADATA.replace(">en<", ">he<"))
    book_id = reader.upload("hebrew.epub", data, "application/epub+zip")
    book = reader.wait(book_id)
    assert book["state"] in PARSED, book["error"]
    assert book["direction"] == "rtl" and book["chapters"][0]["direction"] == "rtl"
    chapter = reader.request("GET", f"/books/{book_id}/chapters/0").json()
    assert chapter["direction"] == "rtl" and chapter["html"].startswith('<div dir="rtl">')
    assert chapter["text"] == "פרק\n\nשלום עולם."


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


def test_a_failed_file_uploaded_again_replaces_its_failed_card(
    rt: RunningRuntime, reader: Reader
) -> None:
    # the library showed one card per attempt, each with the same "The archive is damaged."
    whole = PUSHKIN_ZIP.read_bytes()
    broken = whole[: len(whole) // 2]
    first = reader.upload("dochka.fb2.zip", broken)
    assert reader.wait(first)["state"] == "failed"
    stranger = Reader(rt)  # another user's failed copy of the same file is theirs
    theirs = stranger.upload("dochka.fb2.zip", broken)
    assert stranger.wait(theirs)["state"] == "failed"
    second = reader.upload("dochka.fb2.zip", broken)
    assert reader.wait(second)["state"] == "failed"
    failed = reader.request("GET", "/books?state=failed").json()["items"]
    assert [book["id"] for book in failed] == [second]
    assert reader.request("GET", f"/books/{first}").status_code == 404
    objects = rt.data_dir / "objects"
    assert not any(first in str(path) for path in objects.rglob("*") if path.is_file())
    assert stranger.request("GET", f"/books/{theirs}").json()["state"] == "failed"
    # another file that fails is another card
    other = reader.upload("renamed.epub", b"%PDF-1.7\n" + b"x" * 2000)
    assert reader.wait(other)["state"] == "failed"
    assert reader.request("GET", "/books?state=failed").json()["total"] == 2


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
    deadline = time.time() + 60
    while (book := reader.request("GET", f"/books/{book_id}").json())["state"] not in PARSED:
        assert time.time() < deadline, f"the late file was not read: {book}"
        time.sleep(0.1)
    assert book["error"] is None and book["title"] == "Капитанская дочка"
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


def test_search_matches_title_author_or_file_name_literally_or_by_stem(reader: Reader) -> None:
    reader.wait(reader.upload("dochka_100%.fb2", PUSHKIN.read_bytes()))

    def found(text: str) -> int:
        answer = reader.request("GET", "/books", params={"q": text})
        assert answer.status_code == 200, answer.text
        return answer.json()["total"]

    assert found("капитанская") == 1  # title, any case
    assert found("Пушкин") == 1  # author
    assert found("_100%") == 1  # the file name, wildcards taken literally
    assert found("%") == 1 and found("x%") == 0
    assert found("Толстой") == 0
    assert found("пушкин дочка") == 1 and found("пушкин толстой") == 0  # every word
    assert found("ПУШКИН") == 1 and found("Капитанская Дочка") == 1
    # Other forms of a title's words find it too, as a reader types them in a sentence.
    assert found("капитанскую дочку") == 1 and found("пушкина") == 1
    assert found("дочерью") == 0  # a stem, not a guess


def test_reading_progress_follows_the_saved_position(reader: Reader) -> None:
    book_id = reader.upload("dochka.fb2", PUSHKIN.read_bytes())
    book = reader.wait(book_id)
    assert book["reading_progress"] is None, "nothing read before the book is opened"
    last = book["chapter_count"] - 1
    start = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": 0, "offset": 0})
    assert start.status_code == 200, start.text
    assert reader.request("GET", f"/books/{book_id}").json()["reading_progress"] == 0
    saved = reader.request("PUT", f"/books/{book_id}/position", json={"chapter": last, "offset": 0})
    assert saved.status_code == 200, saved.text
    halfway = reader.request("GET", f"/books/{book_id}").json()["reading_progress"]
    listed = reader.request("GET", "/books").json()["items"]
    assert [item["reading_progress"] for item in listed if item["id"] == book_id] == [halfway]
    words = [chapter["word_count"] for chapter in book["chapters"]]
    assert halfway == pytest.approx(sum(words[:last]) / sum(words), abs=1e-3)


def backdate(rt: RunningRuntime, book_id: str, state: str | None = None) -> None:
    """The book was created an hour ago (and is in `state`): long past its upload's expiry."""
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        conn.run(
            "UPDATE books SET created_at = now() - interval '1 hour',"
            " state = COALESCE(CAST(:s AS text), state) WHERE id = CAST(:b AS uuid)",
            b=book_id,
            s=state,
        )


def start_upload(reader: Reader, data: bytes) -> tuple[str, dict]:
    started = reader.request("POST", "/uploads", json={"filename": "dochka.fb2", "size": len(data)})
    assert started.status_code == 201, started.text
    return started.json()["book"]["id"], started.json()["upload"]


def test_an_abandoned_upload_expires_and_says_so(rt: RunningRuntime, reader: Reader) -> None:
    data = PUSHKIN.read_bytes()
    book_id, upload = start_upload(reader, data)
    assert reader.request("GET", f"/books/{book_id}").json()["state"] == "uploading"

    backdate(rt, book_id)  # the file never came
    waiting = reader.request("GET", "/books", params={"state": "uploading"}).json()
    assert waiting["items"] == [] and waiting["total"] == 0, "listing expires it too"
    book = reader.request("GET", f"/books/{book_id}").json()
    assert book["state"] == "failed"
    assert book["error"]["code"] == "upload_expired"
    assert "again" in book["error"]["message"]
    failed = reader.request("GET", "/books", params={"state": "failed"}).json()
    assert [item["id"] for item in failed["items"]] == [book_id]

    # The presigned URL was still valid after all (the clock was moved, not time): a file
    # that does land is read, not ignored.
    put = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30)
    assert put.status_code == 200, put.text
    deadline = time.time() + 60
    while (book := reader.request("GET", f"/books/{book_id}").json())["state"] not in PARSED:
        assert time.time() < deadline, f"the late file was not read: {book}"
        time.sleep(0.1)
    assert book["error"] is None and book["title"] == "Капитанская дочка"


def test_only_uploads_still_waiting_expire(rt: RunningRuntime, reader: Reader) -> None:
    """Compare-and-set from `uploading`: a book whose parse has begun is left alone."""
    book_id, _ = start_upload(reader, PUSHKIN.read_bytes())
    backdate(rt, book_id, state="parsing")
    assert reader.request("GET", f"/books/{book_id}").json()["state"] == "parsing"
    listed = reader.request("GET", "/books").json()["items"]
    assert [item["state"] for item in listed if item["id"] == book_id] == ["parsing"]


def test_an_id_in_another_spelling_is_simply_not_found(rt: RunningRuntime, reader: Reader) -> None:
    book_id = reader.upload("dochka.fb2", PUSHKIN.read_bytes())
    assert reader.wait(book_id)["state"] in PARSED
    hex_id = uuid.UUID(book_id).hex
    for spelling in (f"urn:uuid:{book_id}", f"{{{book_id}}}", hex_id, book_id.upper()[:-1] + "g"):
        response = reader.request("GET", f"/books/{requests.utils.quote(spelling, safe='')}")
        assert response.status_code == 404, (spelling, response.text)
        assert response.json()["error"]["code"] == "book_not_found"
    assert reader.request("GET", f"/books/{book_id.upper()}").status_code == 200


def _webp() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "WEBP")
    return buffer.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
    b'<rect width="8" height="8"/></svg>'
)


def test_webp_and_svg_pictures_inside_a_book_are_served_as_they_are(reader: Reader) -> None:
    webp = _webp()
    body = '<p>A red square:</p><img src="red.webp" alt="red"/><img src="box.svg" alt="box"/>'
    book = make_epub(
        {"c.xhtml": xhtml(body)},
        extra={"OEBPS/red.webp": webp, "OEBPS/box.svg": SVG},
        manifest_extra=(
            '<item id="w" href="red.webp" media-type="image/webp"/>'
            '<item id="s" href="box.svg" media-type="image/svg+xml"/>'
        ),
    )
    book_id = reader.upload("pictures.epub", book)
    assert reader.wait(book_id)["state"] in PARSED
    html = reader.request("GET", f"/books/{book_id}/chapters/0").json()["html"]
    sources = re.findall(r"/images/([0-9a-f]+\.(?:webp|svg))", html)
    assert len(sources) == 2, html
    served = {}
    for image_id in sources:
        response = reader.request("GET", f"/books/{book_id}/images/{image_id}")
        assert response.status_code == 200, response.text
        served[response.headers["Content-Type"]] = response.content
    assert served["image/webp"] == webp
    assert b"<rect" in served["image/svg+xml"]


def test_an_upload_url_replayed_after_parsing_is_409_and_the_book_stays(reader: Reader) -> None:
    data = PUSHKIN.read_bytes()
    book_id, upload = start_upload(reader, data)
    put = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30)
    assert put.status_code == 200, put.text
    assert reader.wait(book_id)["state"] in PARSED
    replay = requests.put(
        upload["url"], data=b"<FictionBook/>", headers=upload["headers"], timeout=30
    )
    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "object_exists"
    book = reader.request("GET", f"/books/{book_id}").json()
    assert book["title"] == "Капитанская дочка" and book["error"] is None


def test_picture_urls_in_chapters_force_the_safe_headers(reader: Reader) -> None:
    hostile = SVG.replace(b"</svg>", b"<script>alert(1)</script></svg>")
    body = '<p>Pictures:</p><img src="red.webp" alt="red"/><img src="box.svg" alt="box"/>'
    book = make_epub(
        {"c.xhtml": xhtml(body)},
        extra={"OEBPS/red.webp": _webp(), "OEBPS/box.svg": hostile},
        manifest_extra=(
            '<item id="w" href="red.webp" media-type="image/webp"/>'
            '<item id="s" href="box.svg" media-type="image/svg+xml"/>'
        ),
    )
    book_id = reader.upload("pictures-urls.epub", book)
    assert reader.wait(book_id)["state"] in PARSED
    html = reader.request("GET", f"/books/{book_id}/chapters/0").json()["html"]
    urls = [u.replace("&amp;", "&") for u in re.findall(r'src="([^"]+)"', html)]
    answers = {url.split("?")[0].rsplit(".", 1)[-1]: requests.get(url, timeout=10) for url in urls}
    assert answers["svg"].headers["Content-Type"] == "image/svg+xml"
    assert answers["svg"].headers["Content-Disposition"] == "attachment"
    assert b"<rect" in answers["svg"].content and b"alert" not in answers["svg"].content
    assert answers["webp"].headers["Content-Type"] == "image/webp"
    assert answers["webp"].headers["Content-Disposition"] == "inline"
    for answer in answers.values():
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
