"""Extraction end to end: upload → parse → extract (invoked asynchronously) → descriptions and
cast over HTTP; offsets slice the stored chapter text exactly; unsupported languages stay
readable; an admin rerun replaces, never duplicates."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
import requests

from bookreader import db
from local.launcher import RunningRuntime
from tests.support.library import Reader, wait_for_state

ARABIC = (
    Path(__file__).parent
    / "fixtures"
    / "books"
    / "epub"
    / "ar-idpf-regime-anticancer.epub3-rtl.epub"
)


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    """The session's shared runtime: the tests here bring users of their own."""
    return product_runtime


@pytest.fixture(scope="module")
def database(rt: RunningRuntime) -> str:
    return rt.env["DATABASE_URL"]


@pytest.fixture(scope="module")
def extracted(extracted_book: tuple[Reader, str, list[dict]]) -> tuple[Reader, str]:
    """The session's extracted novel (tests/test_images_http.py illustrates the same book)."""
    reader, book_id, _ = extracted_book
    return reader, book_id


def test_progress_never_goes_back_from_upload_to_ready(
    extracted, extraction_progress_seen: list[tuple[str, float]]
) -> None:
    progress_seen = extraction_progress_seen
    states = [state for state, _ in progress_seen]
    progress = [value for _, value in progress_seen]
    assert "extracting" in states, "a novel takes more than one poll to extract"
    assert progress == sorted(progress), progress_seen
    assert progress_seen[-1] == ("ready", 1)
    # Extraction takes over where parsing ended instead of starting from 0 again.
    assert all(value >= 0.2 for state, value in progress_seen if state == "extracting")


def all_descriptions(reader: Reader, book_id: str, **query: str) -> list[dict]:
    items, cursor = [], None
    while True:
        params = {**query, "limit": "37", **({"cursor": cursor} if cursor else {})}
        page = reader.request("GET", f"/books/{book_id}/descriptions", params=params).json()
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items


def test_descriptions_are_exact_spans_of_the_stored_text(extracted, database) -> None:
    reader, book_id = extracted
    book = reader.request("GET", f"/books/{book_id}").json()
    assert book["extraction"]["chapters_done"] == book["extraction"]["chapters_total"] > 0
    assert book["extraction"]["language"] == "ru"
    items = all_descriptions(reader, book_id)
    assert len(items) >= 10, "a novel has many passages worth illustrating"
    assert len({item["id"] for item in items}) == len(items), "pages never repeat an item"
    with db.connect(database) as conn:
        texts = dict(
            conn.run("SELECT index, text FROM chapters WHERE book_id = CAST(:b AS uuid)", b=book_id)
        )
    for item in items:
        assert texts[item["chapter"]][item["start"] : item["end"]] == item["text"]
        assert item["type"] in ("location", "character", "atmosphere", "object", "action")
        assert 0 <= item["confidence"] <= 1 and 0 <= item["priority"] <= 1
        assert isinstance(item["summary"]["subjects"], list)
    order = [(item["chapter"], item["start"]) for item in items]
    assert order == sorted(order), "reading order"


def test_descriptions_filter_by_chapter_type_and_confidence(extracted) -> None:
    reader, book_id = extracted
    everything = all_descriptions(reader, book_id)
    chapter = everything[0]["chapter"]
    in_chapter = all_descriptions(reader, book_id, chapter=str(chapter))
    assert in_chapter and all(item["chapter"] == chapter for item in in_chapter)
    kind = everything[0]["type"]
    assert all(item["type"] == kind for item in all_descriptions(reader, book_id, type=kind))
    confident = all_descriptions(reader, book_id, min_confidence="0.8")
    assert all(item["confidence"] >= 0.8 for item in confident)
    assert len(confident) <= len(everything)
    bad = reader.request("GET", f"/books/{book_id}/descriptions", params={"type": "smell"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_failed"
    bad = reader.request("GET", f"/books/{book_id}/descriptions", params={"cursor": "x"})
    assert (
        bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["field"] == "cursor"
    )


def test_cast_lists_the_main_characters(extracted) -> None:
    reader, book_id = extracted
    everyone = {"unread": "true"}  # the whole cast, not cut at a reading position
    cast = reader.request("GET", f"/books/{book_id}/cast", params=everyone).json()["items"]
    characters = [member for member in cast if member["kind"] == "character"]
    assert characters, cast
    names = " ".join(
        member["name"] + " " + " ".join(member["aliases"]) for member in characters[:10]
    )
    assert "Пугач" in names or "Савельич" in names or "Гринев" in names or "Гринёв" in names
    assert characters[0]["mentions"] >= 5
    # the book's verbs say who is a man and who a woman («Марья Ивановна покраснела»)
    sexes = {member["name"]: member["gender"] for member in characters}
    assert sexes.get("Марья Ивановна") == "femn" and sexes.get("Пугачев") == "masc", sexes
    assert all(member["gender"] is None for member in cast if member["kind"] == "place")
    # "also called": each other name once, in the nominative — «Маша», not «Марьи Ивановны»
    masha = next(member for member in characters if member["name"] == "Марья Ивановна")
    assert "Маша" in masha["names"] and "Марьи Ивановны" in masha["aliases"], masha
    assert not {"Маши", "Марьи Ивановны", "Марья Ивановна"} & set(masha["names"]), masha


def test_the_cast_keeps_the_chapters_each_garment_is_said_in(extracted, database) -> None:
    reader, book_id = extracted
    with db.connect(database) as conn:  # the pictures' own: the API does not show it
        rows = conn.run(
            "SELECT name, appearance, worn_in FROM cast_members WHERE book_id = CAST(:b AS uuid)",
            b=book_id,
        )
    dressed = {name: (looks["clothing"], worn) for name, looks, worn in rows if "clothing" in looks}
    # Пугачев's fur cap and coat, Марья Ивановна's dress: each said in chapters of the book
    assert dressed, rows
    for clothing, worn in dressed.values():
        assert set(clothing) <= set(worn) and all(worn.values()), dressed
    cast = reader.request("GET", f"/books/{book_id}/cast", params={"unread": "true"}).json()
    assert all("worn_in" not in member for member in cast["items"])


def test_another_user_reaches_neither_descriptions_nor_cast(rt: RunningRuntime, extracted) -> None:
    _, book_id = extracted
    stranger = Reader(rt)
    for path in (f"/books/{book_id}/descriptions", f"/books/{book_id}/cast"):
        response = stranger.request("GET", path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "book_not_found"


def test_admin_rerun_replaces_descriptions(rt: RunningRuntime, extracted, database) -> None:
    reader, book_id = extracted
    before = all_descriptions(reader, book_id)
    # The last passage: the first ones are the images tests' to illustrate.
    picture = reader.request("POST", f"/descriptions/{before[-1]['id']}/illustrations").json()
    owner = "SELECT user_id FROM books WHERE id = CAST(:b AS uuid)"
    with db.connect(database) as conn:  # what `make admin` does
        conn.run(f"UPDATE users SET role = 'admin' WHERE id = ({owner})", b=book_id)
        email = conn.run(f"SELECT email FROM users WHERE id = ({owner})", b=book_id)[0][0]
    login = requests.post(  # the role reaches the token with the next sign-in
        f"{rt.api_url}/auth/login",
        json={"email": email, "password": "a long enough passphrase 42"},
        headers={"X-Forwarded-For": reader.ip},
        timeout=10,
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    queued = requests.post(
        f"{rt.api_url}/admin/books/{book_id}/extract", headers=headers, timeout=10
    )
    assert queued.status_code == 202, queued.text
    time.sleep(0.5)
    assert wait_for_state(reader, book_id, ("ready",))["state"] == "ready"
    # The same extractor finds the same spans: same ids, and the reader's picture stays.
    assert [d["id"] for d in all_descriptions(reader, book_id)] == [d["id"] for d in before]
    assert reader.request("GET", f"/illustrations/{picture['id']}").status_code == 200
    missing = requests.post(
        f"{rt.api_url}/admin/books/{uuid.uuid4()}/extract", headers=headers, timeout=10
    )
    assert missing.status_code == 404


def test_unsupported_language_stays_readable(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    book_id = reader.upload(ARABIC.name, ARABIC.read_bytes())
    book = wait_for_state(reader, book_id, ("extraction_unsupported_language", "ready"))
    assert book["state"] == "extraction_unsupported_language"
    assert reader.request("GET", f"/books/{book_id}/chapters/0").status_code == 200
    assert reader.request("GET", f"/books/{book_id}/descriptions").json()["items"] == []


NOTES_EPUB = ARABIC.parent / "ru-gen-chekhov-kashtanka-notes.epub3-endnotes.epub"


def test_notes_chapters_stay_readable_but_give_no_descriptions(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    book_id = reader.upload(NOTES_EPUB.name, NOTES_EPUB.read_bytes())
    assert wait_for_state(reader, book_id, ("ready",))["state"] == "ready"
    chapters = {item["chapter"] for item in all_descriptions(reader, book_id)}
    assert chapters == {0, 1}  # the story's two chapters; not the endnotes nor the comments
    for index in (2, 3):
        page = reader.request("GET", f"/books/{book_id}/chapters/{index}")
        assert page.status_code == 200 and page.json()["text"]
