"""Bookmarks, highlights and notes over HTTP against the real runtime and PostgreSQL: the quote
is checked against the book, notes stay text, other readers see 404, limits hold, exports
parse back, a re-parse that moves the text moves the annotations (or keeps them detached),
and any chosen passage can be illustrated."""

from __future__ import annotations

import csv
import io
import re
import time
import uuid
from typing import Any

import pytest
import requests

from bookreader import db
from bookreader.storage.disk import DiskStore
from local.launcher import RunningRuntime
from tests.support.epub import METADATA, make_epub, xhtml
from tests.support.library import PARSED, Reader, wait_image

LIGHTHOUSE = (
    "The old lighthouse stood on the black cliff above the bay, its white tower streaked with"
    " rust and salt."
)
STAIRS = (
    "Mary climbed the narrow stairs every evening to light the great lamp, counting the steps"
    " as her father had taught her."
)
STORM_BEFORE = "That night the storm came early and tore the shutters from the keeper's house."
STORM_AFTER = "The storm held off until the spring."
EDITOR = "A note from the editor: this chapter was revised for the second printing."
HARBOUR = "In the morning the harbour was full of broken boats and grey, heavy water."


def book_file(first_chapter: list[str], title: str = "The Keeper") -> bytes:
    body = "".join(f"<p>{text}</p>" for text in first_chapter)
    metadata = METADATA.replace("<dc:title>Generated</dc:title>", f"<dc:title>{title}</dc:title>")
    return make_epub(
        {
            "one.xhtml": xhtml(f"<h1>The Light</h1>{body}"),
            "two.xhtml": xhtml(f"<h1>The Morning</h1><p>{HARBOUR}</p>"),
        },
        metadata=metadata,
    )


BUCKET = "bookreader-books-000000000000"  # the template's bucket, as the runtime names it
FIRST_PRINTING = [LIGHTHOUSE, STAIRS, STORM_BEFORE]
SECOND_PRINTING = [EDITOR, LIGHTHOUSE, STAIRS, STORM_AFTER]


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    return product_runtime


def upload_book(reader: Reader, data: bytes, name: str = "keeper.epub") -> str:
    book_id = reader.upload(name, data, "application/epub+zip")
    assert reader.wait(book_id)["state"] in PARSED
    return book_id


def chapter_text(reader: Reader, book_id: str, index: int) -> str:
    return reader.request("GET", f"/books/{book_id}/chapters/{index}").json()["text"]


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def highlight(
    reader: Reader, book_id: str, chapter: int, quote: str, **extra: Any
) -> requests.Response:
    start, end = span_of(chapter_text(reader, book_id, chapter), quote)
    body = {"chapter": chapter, "start": start, "end": end, "quote": quote, **extra}
    return reader.request("POST", f"/books/{book_id}/highlights", json=body)


def fields_of(response: requests.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {item["field"] for item in response.json()["error"]["details"]["fields"]}


@pytest.fixture(scope="module")
def keeper(rt: RunningRuntime) -> tuple[Reader, str]:
    reader = Reader(rt)
    return reader, upload_book(reader, book_file(FIRST_PRINTING))


def test_a_highlight_with_a_note_is_created_listed_changed_and_deleted(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    book_id = upload_book(reader, book_file(FIRST_PRINTING))
    note = '<script>alert("x")</script> **salt** <img src=x onerror=alert(1)>'
    created = highlight(reader, book_id, 0, "white tower", color="blue", note=note)
    assert created.status_code == 201, created.text
    made = created.json()
    assert uuid.UUID(made["id"]) and made["color"] == "blue" and not made["detached"]
    assert made["note"] == note  # stored as the text the reader wrote, never cleaned into HTML
    assert made["anchor"]["exact"] == "white tower"
    assert made["anchor"]["prefix"].endswith("above the bay, its ")

    listed = reader.request("GET", f"/books/{book_id}/highlights").json()["items"]
    assert [item["id"] for item in listed] == [made["id"]] and listed[0]["note"] == note

    changed = reader.request("PATCH", f"/highlights/{made['id']}", json={"color": "green"})
    assert changed.status_code == 200 and changed.json()["color"] == "green"
    assert changed.json()["note"] == note  # untouched fields stay
    cleared = reader.request("PATCH", f"/highlights/{made['id']}", json={"note": ""}).json()
    assert cleared["note"] == "" and cleared["color"] == "green"

    assert reader.request("DELETE", f"/highlights/{made['id']}").status_code == 204
    assert reader.request("GET", f"/books/{book_id}/highlights").json()["items"] == []
    assert reader.request("DELETE", f"/highlights/{made['id']}").status_code == 404


def test_bookmarks_are_created_listed_and_deleted(keeper) -> None:
    reader, book_id = keeper
    offset = chapter_text(reader, book_id, 0).index("Mary")
    created = reader.request(
        "POST", f"/books/{book_id}/bookmarks", json={"chapter": 0, "offset": offset, "label": "M"}
    )
    assert created.status_code == 201, created.text
    mark = created.json()
    assert mark["offset"] == offset and mark["anchor"]["exact"].startswith("Mary climbed")
    items = reader.request("GET", f"/books/{book_id}/bookmarks").json()["items"]
    assert mark["id"] in [item["id"] for item in items]
    assert reader.request("DELETE", f"/bookmarks/{mark['id']}").status_code == 204
    items = reader.request("GET", f"/books/{book_id}/bookmarks").json()["items"]
    assert mark["id"] not in [item["id"] for item in items]


def test_a_quote_or_offsets_that_do_not_match_the_book_are_refused_naming_the_field(
    keeper,
) -> None:
    reader, book_id = keeper
    text = chapter_text(reader, book_id, 0)
    start, end = span_of(text, "white tower")
    url = f"/books/{book_id}/highlights"

    def post(**changes: Any) -> requests.Response:
        body = {"chapter": 0, "start": start, "end": end, "quote": "white tower", **changes}
        return reader.request("POST", url, json=body)

    assert fields_of(post(quote="black tower")) == {"quote"}
    assert fields_of(post(start=start + 1, end=end + 1)) == {"quote"}
    assert fields_of(post(end=len(text) + 5)) == {"end"}
    assert fields_of(post(start=end, end=start)) == {"end"}
    assert fields_of(post(chapter=40)) == {"chapter"}
    assert fields_of(post(color="octarine")) == {"color"}
    assert fields_of(post(note="ж" * 6000)) == {"note"}  # 12 kB in UTF-8: over 10 kB
    assert post(note="ж" * 5000).status_code == 201  # 10,000 bytes: allowed
    bookmark = {"chapter": 0, "offset": len(text) + 1}
    assert fields_of(reader.request("POST", f"/books/{book_id}/bookmarks", json=bookmark)) == {
        "offset"
    }


def test_another_readers_book_and_annotations_answer_404(rt: RunningRuntime, keeper) -> None:
    owner, book_id = keeper
    made = highlight(owner, book_id, 1, "broken boats").json()
    mark = owner.request(
        "POST", f"/books/{book_id}/bookmarks", json={"chapter": 1, "offset": 3}
    ).json()
    stranger = Reader(rt)
    for method, path, body in [
        ("GET", f"/books/{book_id}/highlights", None),
        (
            "POST",
            f"/books/{book_id}/highlights",
            {"chapter": 1, "start": 0, "end": 2, "quote": "In"},
        ),
        ("GET", f"/books/{book_id}/bookmarks", None),
        ("POST", f"/books/{book_id}/bookmarks", {"chapter": 1, "offset": 0}),
        ("PATCH", f"/highlights/{made['id']}", {"note": "mine now"}),
        ("DELETE", f"/highlights/{made['id']}", None),
        ("DELETE", f"/bookmarks/{mark['id']}", None),
        ("GET", f"/books/{book_id}/annotations/export", None),
        ("POST", f"/books/{book_id}/illustrations", {"chapter": 1, "start": 0, "end": 20}),
    ]:
        answer = stranger.request(method, path, json=body)
        assert answer.status_code == 404, f"{method} {path}: {answer.text}"
    everything = stranger.request("GET", "/annotations/export", params={"format": "json"})
    assert everything.json()["books"] == []
    mine = owner.request("GET", f"/books/{book_id}/highlights").json()["items"]
    assert next(item for item in mine if item["id"] == made["id"])["note"] == ""


def test_a_book_holds_at_most_5000_highlights(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    book_id = upload_book(reader, book_file(FIRST_PRINTING))
    first = highlight(reader, book_id, 0, "lighthouse").json()
    with db.connect(rt.env["DATABASE_URL"]) as conn:  # 4,998 more, as if made one by one
        conn.run(
            "INSERT INTO highlights (user_id, book_id, chapter, start_offset, end_offset, exact,"
            " color) SELECT user_id, book_id, 0, start_offset, end_offset, exact, 'yellow'"
            " FROM highlights, generate_series(1, 4998) WHERE id = CAST(:h AS uuid)",
            h=first["id"],
        )
    assert highlight(reader, book_id, 0, "lighthouse").status_code == 201  # the 5,000th
    refused = highlight(reader, book_id, 0, "lighthouse")
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "too_many_highlights"
    assert refused.json()["error"]["details"]["limit"] == 5000


def test_exports_parse_back_as_markdown_json_and_readwise_csv(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    keeper_id = upload_book(reader, book_file(FIRST_PRINTING))
    other_id = upload_book(reader, book_file([STAIRS], title="Another Book"), "another.epub")
    note = "## Why\nThe *rust* and the salt.\n<b>not bold</b>"
    made = highlight(reader, keeper_id, 0, "white tower streaked with rust", note=note).json()
    highlight(reader, keeper_id, 1, "broken boats", color="pink")
    highlight(reader, other_id, 0, "narrow stairs")
    reader.request("POST", f"/books/{keeper_id}/bookmarks", json={"chapter": 1, "offset": 0})

    markdown = reader.request("GET", f"/books/{keeper_id}/annotations/export")
    assert markdown.status_code == 200
    assert markdown.headers["Content-Type"].startswith("text/markdown")
    assert markdown.headers["Content-Disposition"].startswith("attachment;")
    assert 'filename="The Keeper.md"' in markdown.headers["Content-Disposition"]
    lines = markdown.text.splitlines()
    headings = [line for line in lines if re.match(r"#{1,6} ", line)]
    assert headings == ["# The Keeper", "## The Light", "## The Morning"]
    light = lines[lines.index("## The Light") : lines.index("## The Morning")]
    assert "> white tower streaked with rust" in light
    assert "\\## Why" in light and "<b>not bold</b>" in light  # the note, never a heading
    morning = lines[lines.index("## The Morning") :]
    assert "> broken boats" in morning and any(line.startswith("- Bookmark") for line in morning)

    exported = reader.request(
        "GET", f"/books/{keeper_id}/annotations/export", params={"format": "json"}
    )
    assert exported.headers["Content-Type"] == "application/json"
    (book,) = exported.json()["books"]
    assert book["title"] == "The Keeper" and book["authors"] == ["Tester"]
    first = next(item for item in book["highlights"] if item["id"] == made["id"])
    text = chapter_text(reader, keeper_id, 0)
    assert text[first["start"] : first["end"]] == first["quote"] == made["quote"]
    assert first["note"] == note and first["chapter_title"] == "The Light"
    assert len(book["bookmarks"]) == 1

    table = reader.request("GET", "/annotations/export", params={"format": "csv"})
    assert table.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert list(rows[0]) == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
    assert {(row["Highlight"], row["Title"]) for row in rows} == {
        ("white tower streaked with rust", "The Keeper"),
        ("broken boats", "The Keeper"),
        ("narrow stairs", "Another Book"),
    }
    rust = next(row for row in rows if row["Highlight"].startswith("white tower"))
    assert rust["Note"] == note and rust["Author"] == "Tester"
    morning_row = next(row for row in rows if row["Highlight"] == "broken boats")
    assert int(morning_row["Location"]) > int(rust["Location"])  # book-wide, in reading order
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rust["Date"])

    bad = reader.request("GET", "/annotations/export", params={"format": "pdf"})
    assert fields_of(bad) == {"format"}


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_start_with_an_apostrophe(
    rt: RunningRuntime,
) -> None:
    reader = Reader(rt)
    formula = "=HYPERLINK(A1) was chalked on the lighthouse door."
    book_id = upload_book(reader, book_file([formula, STAIRS], title="+Storm Log"), "log.epub")
    highlight(reader, book_id, 0, formula, note="@SUM(1+1)")
    highlight(reader, book_id, 0, "narrow stairs", note="-2+3")
    highlight(reader, book_id, 1, "broken boats", note="\tindented\r\n=1")

    table = reader.request("GET", f"/books/{book_id}/annotations/export", params={"format": "csv"})
    assert table.status_code == 200, table.text
    rows = {row["Highlight"]: row for row in csv.DictReader(io.StringIO(table.text))}
    assert set(rows) == {f"'{formula}", "narrow stairs", "broken boats"}
    assert rows[f"'{formula}"]["Note"] == "'@SUM(1+1)"
    assert rows["narrow stairs"]["Note"] == "'-2+3"
    assert rows["broken boats"]["Note"] == "'\tindented\r\n=1"  # only a cell's start counts
    assert {row["Title"] for row in rows.values()} == {"'+Storm Log"}
    assert rows["narrow stairs"]["Author"] == "Tester"  # text cells stay as they are
    # The other formats are not spreadsheets: they keep the text exactly.
    exported = reader.request(
        "GET", f"/books/{book_id}/annotations/export", params={"format": "json"}
    ).json()
    assert exported["books"][0]["title"] == "+Storm Log"
    assert {item["note"] for item in exported["books"][0]["highlights"]} >= {"@SUM(1+1)", "-2+3"}


def admin_headers(rt: RunningRuntime, reader: Reader) -> dict[str, str]:
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


def wait_done(reader: Reader, book_id: str, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        book = reader.request("GET", f"/books/{book_id}").json()
        if book["state"] in ("ready", "extraction_unsupported_language", "failed"):
            return book
        time.sleep(0.25)
    raise AssertionError(f"book {book_id} stuck in {book['state']}")


def wait_extracted_after_reparse(rt: RunningRuntime, book_id: str, timeout: float = 120) -> None:
    """Until the extraction the re-parse started has finished: the re-parse stamps
    `parsed_at` and `updated_at` alike, each extraction step moves `updated_at` on."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with db.connect(rt.env["DATABASE_URL"]) as conn:
            ((state, later),) = conn.run(
                "SELECT state, updated_at > parsed_at FROM books WHERE id = CAST(:b AS uuid)",
                b=book_id,
            )
        if state == "ready" and later:
            return
        time.sleep(0.25)
    raise AssertionError(f"book {book_id} not extracted again")


def test_a_reparse_that_moves_the_text_moves_the_annotations_or_keeps_them_detached(
    rt: RunningRuntime,
) -> None:
    reader = Reader(rt)
    book_id = upload_book(reader, book_file(FIRST_PRINTING))
    assert wait_done(reader, book_id)["state"] == "ready"
    old = chapter_text(reader, book_id, 0)
    tower = highlight(reader, book_id, 0, "white tower streaked with rust", note="rust").json()
    storm = highlight(reader, book_id, 0, "the storm came early").json()
    boats = highlight(reader, book_id, 1, "broken boats").json()
    mark = reader.request(
        "POST", f"/books/{book_id}/bookmarks", json={"chapter": 0, "offset": old.index("Mary")}
    ).json()
    chosen_start, chosen_end = span_of(old, STAIRS)
    picture = reader.request(
        "POST",
        f"/books/{book_id}/illustrations",
        json={"chapter": 0, "start": chosen_start, "end": chosen_end},
    ).json()

    # A parser fix: the same file now reads with more text before the passages, and less after.
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        key = conn.run("SELECT object_key FROM books WHERE id = CAST(:b AS uuid)", b=book_id)[0][0]
    DiskStore(rt.data_dir / "objects", "unused", rt.url, notify=False).put(
        BUCKET, key, book_file(SECOND_PRINTING), "application/epub+zip"
    )
    headers = admin_headers(rt, Reader(rt))
    queued = requests.post(f"{rt.api_url}/admin/books/{book_id}/parse", headers=headers, timeout=10)
    assert queued.status_code == 202, queued.text

    deadline = time.time() + 60
    while chapter_text(reader, book_id, 0) == old and time.time() < deadline:
        time.sleep(0.25)
    new = chapter_text(reader, book_id, 0)
    assert EDITOR in new

    items = {
        item["id"]: item
        for item in reader.request("GET", f"/books/{book_id}/highlights").json()["items"]
    }
    assert set(items) == {tower["id"], storm["id"], boats["id"]}  # none dropped
    moved = items[tower["id"]]
    assert moved["start"] == new.index("white tower") != tower["start"]
    assert new[moved["start"] : moved["end"]] == moved["quote"] and not moved["detached"]
    assert moved["note"] == "rust"
    assert items[boats["id"]]["start"] == boats["start"]  # chapter 2 did not change
    lost = items[storm["id"]]
    assert lost["detached"] and lost["quote"] == "the storm came early"
    (bookmark,) = reader.request("GET", f"/books/{book_id}/bookmarks").json()["items"]
    assert bookmark["id"] == mark["id"] and bookmark["offset"] == new.index("Mary")

    markdown = reader.request("GET", f"/books/{book_id}/annotations/export").text
    assert "## Not found in the current text" in markdown
    assert markdown.index("> the storm came early") > markdown.index("## Not found")

    # The reader's chosen passage keeps its picture through the re-parse and the extraction
    # re-run after it, at its new place.
    wait_extracted_after_reparse(rt, book_id)
    gallery = reader.request("GET", f"/books/{book_id}/illustrations").json()["items"]
    kept = next(item for item in gallery if item["id"] == picture["id"])
    assert kept["passage"]["start"] == new.index(STAIRS)
    assert kept["passage"]["text"] == STAIRS


def test_any_chosen_passage_is_illustrated_once_through_the_same_pipeline(keeper) -> None:
    reader, book_id = keeper
    text = chapter_text(reader, book_id, 1)
    start, end = span_of(text, HARBOUR)
    body = {"chapter": 1, "start": start, "end": end}
    first = reader.request("POST", f"/books/{book_id}/illustrations", json=body)
    assert first.status_code == 202, first.text
    again = reader.request("POST", f"/books/{book_id}/illustrations", json=body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    image = wait_image(reader, first.json()["id"])
    assert image["state"] == "ready", image
    gallery = reader.request("GET", f"/books/{book_id}/illustrations").json()["items"]
    passage = next(item for item in gallery if item["id"] == image["id"])["passage"]
    assert (passage["chapter"], passage["start"], passage["end"]) == (1, start, end)

    url = f"/books/{book_id}/illustrations"
    assert fields_of(reader.request("POST", url, json={**body, "end": len(text) + 1})) == {"end"}
    assert fields_of(reader.request("POST", url, json={**body, "chapter": 9})) == {"chapter"}
    quota = reader.request("GET", "/settings/illustrations").json()["quota"]
    assert quota["used_today"] >= 1  # counted like any other picture
