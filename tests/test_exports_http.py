"""Illustrated EPUB export over HTTP on the running product: a reader's FB2 novel with pictures
drawn by the offline sketch provider → POST an export → the export function builds it → the
download URL gives an EPUB that EPUBCheck passes, that parses back to the book's chapters, with
each picture after its passage; the same request again is the cached file, a new picture makes
a new one; bad requests, books not read in yet, failed builds and other readers' ids."""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
import requests
from lxml import etree
from PIL import Image

from bookreader import db
from bookreader.books import parse_book
from bookreader.ops.references import referenced_keys
from local.launcher import RunningRuntime
from tests.support.epubcheck import epubcheck, errors
from tests.support.exported import alt_text_of
from tests.support.library import PARSED, Reader, wait_for_state, wait_image

KASHTANKA = (
    Path(__file__).parent / "fixtures/books/epub/ru-gen-chekhov-kashtanka.epub3-nav-only.epub"
)
NS = {"x": "http://www.w3.org/1999/xhtml"}
# The shared novel's other tests draw in other styles: this one's pictures are the only ones
# in this style, so an export in it holds exactly them.
STYLE = "photo-real"


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    return product_runtime


@pytest.fixture(scope="module")
def illustrated(extracted_book) -> tuple[Reader, str, list[dict]]:
    """The session's novel (an FB2) with three passages drawn in this module's style."""
    reader, book_id, items = extracted_book
    chosen = [items[6], items[9], items[14]]
    drawn = []
    for item in chosen:
        made = reader.request(
            "POST", f"/descriptions/{item['id']}/illustrations", json={"style": STYLE}
        )
        assert made.status_code in (200, 202), made.text
        image = wait_image(reader, made.json()["id"])
        assert image["state"] == "ready", image
        drawn.append({**image, "description": item})
    return reader, book_id, drawn


def wait_export(reader: Reader, export_id: str, timeout: float = 120) -> dict:
    deadline, seen = time.time() + timeout, []
    while time.time() < deadline:
        export = reader.request("GET", f"/exports/{export_id}").json()
        seen.append(export["progress"])
        if export["state"] in ("ready", "failed"):
            assert seen == sorted(seen), "progress never goes back"
            return export
        time.sleep(0.2)
    raise AssertionError(f"export {export_id} stuck in {export['state']}")


def download(export: dict, folder: Path) -> Path:
    answer = requests.get(export["url"], timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/epub+zip"
    assert answer.headers["Content-Disposition"].startswith("attachment")
    path = folder / export["filename"]
    path.write_bytes(answer.content)
    return path


def test_the_illustrated_epub_passes_epubcheck_and_parses_back_to_the_book(illustrated) -> None:
    reader, book_id, drawn = illustrated
    asked = reader.request(
        "POST",
        f"/books/{book_id}/exports",
        json={"format": "epub", "illustrations": "ready", "style": STYLE},
    )
    assert asked.status_code == 202, asked.text
    assert asked.json()["state"] in ("queued", "running") and asked.json()["url"] is None
    export = wait_export(reader, asked.json()["id"])
    assert export["state"] == "ready", export["error"]
    assert export["pictures"] == len(drawn) and export["filename"].endswith(".epub")

    with tempfile.TemporaryDirectory() as folder:
        path = download(export, Path(folder))
        assert export["bytes"] == path.stat().st_size
        assert errors(epubcheck(path)) == []
        data = path.read_bytes()

    book = reader.request("GET", f"/books/{book_id}").json()
    chapters = [
        reader.request("GET", f"/books/{book_id}/chapters/{index}").json()
        for index in range(len(book["chapters"]))
    ]
    again = parse_book(data, image_url=lambda image_id: f"/x/{image_id}")
    assert [chapter.text for chapter in again.chapters] == [c["text"] for c in chapters]
    assert again.metadata.title == book["title"] and again.metadata.authors == book["authors"]
    assert again.metadata.language == book["language"]

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for image in drawn:
            passage = image["description"]
            chapter = chapters[passage["chapter"]]
            root = etree.fromstring(archive.read(f"EPUB/c{passage['chapter']:04d}.xhtml"))
            figure = root.xpath(f"//x:figure[@data-illustration='{image['id']}']", namespaces=NS)
            assert len(figure) == 1, image["id"]
            before = figure[0].xpath("preceding::*[starts-with(@id, 'p-')][1]", namespaces=NS)
            start, end = chapter["paragraphs"][int(before[0].get("id")[2:])]
            assert start <= passage["end"] - 1 < end, "right after the paragraph it ends in"
            assert figure[0].find("x:figcaption", NS).text == passage["text"]
            img = figure[0].find("x:img", NS)
            assert alt_text_of(passage["text"]) == img.get("alt")
            with Image.open(io.BytesIO(archive.read("EPUB/" + img.get("src")))) as shown:
                assert shown.format == "JPEG" and max(shown.size) <= 1600


def test_the_same_request_is_the_cached_file_until_the_pictures_change(
    rt: RunningRuntime, illustrated
) -> None:
    reader, book_id, drawn = illustrated
    body = {"format": "epub", "style": STYLE}
    first = reader.request("POST", f"/books/{book_id}/exports", json=body).json()
    first = wait_export(reader, first["id"])
    again = reader.request("POST", f"/books/{book_id}/exports", json=body)
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert again.json()["state"] == "ready" and again.json()["url"]
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        stored = conn.run(
            "SELECT object_key FROM exports WHERE id = CAST(:i AS uuid)", i=first["id"]
        )[0][0]
        # The sweeper and the backup know the file: it is not taken for an orphan.
        assert stored in referenced_keys(conn)

    plain = reader.request(
        "POST", f"/books/{book_id}/exports", json={**body, "illustrations": "none"}
    )
    assert plain.json()["id"] != first["id"]
    assert wait_export(reader, plain.json()["id"])["pictures"] == 0

    regenerated = reader.request("POST", f"/illustrations/{drawn[0]['id']}/regenerate").json()
    assert wait_image(reader, regenerated["id"])["state"] == "ready"
    changed = reader.request("POST", f"/books/{book_id}/exports", json=body)
    assert changed.status_code == 202 and changed.json()["id"] != first["id"]
    assert wait_export(reader, changed.json()["id"])["state"] == "ready"
    # The file of the old pictures was replaced by the new one.
    assert reader.request("GET", f"/exports/{first['id']}").status_code == 404


def test_bad_requests_are_refused_with_the_field_or_a_code(
    rt: RunningRuntime, extracted_book
) -> None:
    reader, book_id, _ = extracted_book
    pdf = reader.request("POST", f"/books/{book_id}/exports", json={"format": "pdf"})
    assert pdf.status_code == 422 and pdf.json()["error"]["code"] == "validation_failed"
    assert [f["field"] for f in pdf.json()["error"]["details"]["fields"]] == ["format"]
    style = reader.request(
        "POST", f"/books/{book_id}/exports", json={"format": "epub", "style": "crayon"}
    )
    assert style.status_code == 422 and style.json()["error"]["code"] == "style_unknown"

    fresh = Reader(rt)
    started = fresh.request(
        "POST",
        "/uploads",
        json={"filename": "Каштанка.epub", "size": 1000, "content_type": "application/epub+zip"},
    )
    not_yet = started.json()["book"]["id"]  # uploading: never sent
    refused = fresh.request("POST", f"/books/{not_yet}/exports", json={"format": "epub"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "book_not_ready"
    assert refused.json()["error"]["details"]["state"] == "uploading"


def test_a_build_that_cannot_finish_fails_with_a_reason(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    book_id = reader.upload("Каштанка.epub", KASHTANKA.read_bytes())
    assert wait_for_state(reader, book_id, PARSED)["state"] in PARSED
    # The stored book is damaged under the export: one of its chapters is gone.
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        conn.run("DELETE FROM chapters WHERE book_id = CAST(:b AS uuid) AND index = 3", b=book_id)
    asked = reader.request("POST", f"/books/{book_id}/exports", json={"format": "epub"})
    assert asked.status_code == 202, asked.text
    export = wait_export(reader, asked.json()["id"])
    assert export["state"] == "failed" and export["url"] is None
    assert export["error"]["code"] == "chapter_not_found"
    assert "chapter 3" in export["error"]["message"]


def test_another_reader_reaches_no_export(rt: RunningRuntime, illustrated) -> None:
    reader, book_id, _ = illustrated
    mine = reader.request("POST", f"/books/{book_id}/exports", json={"format": "epub"}).json()
    stranger = Reader(rt)
    for method, path, body in [
        ("POST", f"/books/{book_id}/exports", {"format": "epub"}),
        ("GET", f"/exports/{mine['id']}", None),
    ]:
        response = stranger.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
    assert reader.request("GET", f"/exports/{mine['id']}").status_code == 200
