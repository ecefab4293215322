"""Full-text search over HTTP through the running product, real PostgreSQL: Russian and English
morphology, phrases, ё/е and accents, any query text without a 500, hits whose offsets point at
the words found, snippets that cannot carry the book's markup, and only the reader's own books."""

from __future__ import annotations

import re
import uuid

import pytest

from bookreader import db
from local.launcher import RunningRuntime
from tests.support.epub import METADATA, make_epub, xhtml
from tests.support.library import PARSED, PUSHKIN, Reader

RUSSIAN = METADATA.replace(">en<", ">ru<").replace(">Generated<", ">Поиск<")


def _book(reader: Reader, name: str, paragraphs: list[str], metadata: str = METADATA) -> str:
    """Upload a one-chapter EPUB of these paragraphs; its id once parsed."""
    body = "<h1>Глава</h1>" + "".join(f"<p>{text}</p>" for text in paragraphs)
    # A unique identifier: the same bytes twice would be the same book.
    unique = metadata.replace("0b7d7c58-0000-4000-8000-000000000001", str(uuid.uuid4()))
    book_id = reader.upload(name, make_epub({"c.xhtml": xhtml(body)}, metadata=unique))
    book = reader.wait(book_id)
    # A book in a language extraction does not read stays readable and searchable.
    assert book["state"] in (*PARSED, "extraction_unsupported_language"), book["error"]
    return book_id


def _search(reader: Reader, path: str, q: str, **params: object) -> dict:
    response = reader.request("GET", path, params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _found_words(reader: Reader, book_id: str, page: dict) -> list[str]:
    """The chapter text at each hit's offsets, as the reader would mark it."""
    texts: dict[int, str] = {}
    found = []
    for hit in page["items"]:
        if hit["chapter"] not in texts:
            chapter = reader.request("GET", f"/books/{book_id}/chapters/{hit['chapter']}")
            texts[hit["chapter"]] = chapter.json()["text"]
        found.append(texts[hit["chapter"]][hit["start"] : hit["end"]])
    return found


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    return product_runtime


@pytest.fixture(scope="module")
def reader(rt: RunningRuntime) -> Reader:
    return Reader(rt)


@pytest.fixture(scope="module")
def russian(reader: Reader) -> str:
    return _book(
        reader,
        "окна.epub",
        [
            "Старик долго смотрел в окно на заснеженный двор.",
            "Из окна тянуло холодом, и Маша закрыла его.",
            "Он постучал окном, но никто не вышел.",
            "Ёлка стояла в углу, и пахло хвоей.",
            "Дверь была тёмной, а окно — светлым.",
            "Тёмное окно смотрело на улицу.",
            "На столе лежала записка: &lt;img src=x onerror=alert(1)&gt; открой окно &amp; жди.",
            "Уда\u0301рение в слове за\u0301мок не мешает.",
        ],
        RUSSIAN,
    )


@pytest.fixture(scope="module")
def english(reader: Reader) -> str:
    return _book(
        reader,
        "running.epub",
        [
            "The dog was running across the field.",
            "Yesterday he ran home before the storm.",
            "She runs every morning along the river.",
            "They met at the Café de Flore in PARIS.",
            "The quick brown fox jumps over the lazy dog.",
            "A lazy afternoon, and the quick rain stopped.",
        ],
    )


def test_parse_indexes_the_book_before_anyone_searches(rt: RunningRuntime, russian: str) -> None:
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        rows = conn.run(
            "SELECT config, count(*) FROM search_passages WHERE book_id = CAST(:b AS uuid)"
            " GROUP BY config",
            b=russian,
        )
        same_transaction = conn.run(
            "SELECT s.indexed_at = b.parsed_at FROM search_books s JOIN books b ON b.id = s.book_id"
            " WHERE b.id = CAST(:b AS uuid)",
            b=russian,
        )
    # Every paragraph (the heading too), stemmed as Russian, stored with the chapters.
    assert rows == [["russian", 9]]
    assert same_transaction == [[True]]


def test_russian_inflected_forms_find_each_other(reader: Reader, russian: str) -> None:
    page = _search(reader, f"/books/{russian}/search", "окном", limit=100)
    found = [word.lower() for word in _found_words(reader, russian, page)]
    assert sorted(found) == ["окна", "окно", "окно", "окно", "окно", "окном"]
    assert page["next"] is None
    for hit in page["items"]:
        assert hit["book_id"] == russian and hit["chapter_title"] == "Глава"
        assert re.search(r"<mark>окн\w*</mark>", hit["snippet"].lower()), hit["snippet"]


def test_english_stemming_finds_runs_but_not_ran(reader: Reader, english: str) -> None:
    # The snowball stemmer strips suffixes; it knows nothing of irregular verbs.
    found = _found_words(reader, english, _search(reader, f"/books/{english}/search", "running"))
    assert sorted(found) == ["running", "runs"]
    ran = _search(reader, f"/books/{english}/search", "ran")
    assert _found_words(reader, english, ran) == ["ran"]


def test_yo_and_ye_match_each_other(reader: Reader, russian: str) -> None:
    for query in ("елка", "ЁЛКА", "ёлка"):
        page = _search(reader, f"/books/{russian}/search", query)
        assert _found_words(reader, russian, page) == ["Ёлка"], query
    dark = _found_words(reader, russian, _search(reader, f"/books/{russian}/search", "темный"))
    assert sorted(dark) == ["Тёмное", "тёмной"]


def test_case_accents_and_stress_marks_are_ignored(
    reader: Reader, russian: str, english: str
) -> None:
    assert _found_words(reader, english, _search(reader, f"/books/{english}/search", "cafe")) == [
        "Café"
    ]
    assert _found_words(reader, english, _search(reader, f"/books/{english}/search", "paris")) == [
        "PARIS"
    ]
    # A stress mark inside a word: the offsets still cover the word as the book writes it.
    found = _found_words(reader, russian, _search(reader, f"/books/{russian}/search", "замок"))
    assert found == ["за\u0301мок"]
    found = _found_words(reader, russian, _search(reader, f"/books/{russian}/search", "ударение"))
    assert found == ["Уда\u0301рение"]


def test_other_languages_match_whole_words_without_stemming(reader: Reader) -> None:
    german = METADATA.replace(">en<", ">de<")
    book = _book(reader, "haus.epub", ["Die Häuser standen still.", "Ein Haus am See."], german)
    path = f"/books/{book}/search"
    assert _found_words(reader, book, _search(reader, path, "hauser")) == ["Häuser"]
    assert _found_words(reader, book, _search(reader, path, "HAUS")) == ["Haus"]
    assert _found_words(reader, book, _search(reader, path, "die")) == ["Die"]  # no stop words


def test_quoted_words_are_a_phrase(reader: Reader, english: str, russian: str) -> None:
    loose = _search(reader, f"/books/{english}/search", "quick lazy")
    assert len(loose["items"]) == 2
    phrase = _search(reader, f"/books/{english}/search", '"lazy dog"')
    assert _found_words(reader, english, phrase) == ["lazy dog"]
    dark_window = _search(reader, f"/books/{russian}/search", '"темное окно"')
    assert _found_words(reader, russian, dark_window) == ["Тёмное окно"]


def test_operators_stop_words_and_stray_quotes_never_fail(reader: Reader, english: str) -> None:
    for query in (
        '"unbalanced quote',
        "the and of",
        "-",
        "or",
        "!!!",
        "a & b | c",
        ":*",
        "(",
        "\\",
    ):
        for path in (f"/books/{english}/search", "/search"):
            page = _search(reader, path, query)
            assert isinstance(page["items"], list), query
    assert _search(reader, f"/books/{english}/search", "the and of")["items"] == []
    excluded = _search(reader, f"/books/{english}/search", "lazy -fox")
    assert _found_words(reader, english, excluded) == ["lazy"]
    either = _search(reader, f"/books/{english}/search", "fox or rain")
    assert len(either["items"]) == 2


def test_the_book_cannot_put_markup_into_a_snippet(reader: Reader, russian: str) -> None:
    page = _search(reader, f"/books/{russian}/search", "записка")
    (hit,) = page["items"]
    assert "<img" not in hit["snippet"] and "&lt;img src=x onerror=alert(1)&gt;" in hit["snippet"]
    assert "&amp; жди" in hit["snippet"]
    assert re.sub(r"</?mark>", "", hit["snippet"]).count("<") == 0


def test_pages_follow_the_cursor(reader: Reader, russian: str) -> None:
    seen = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = _search(reader, f"/books/{russian}/search", "окно", **params)
        seen += [(hit["chapter"], hit["start"]) for hit in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    ordered = _search(reader, f"/books/{russian}/search", "окно", order="position")
    starts = [hit["start"] for hit in ordered["items"]]
    assert starts == sorted(starts)


def test_bad_parameters_name_the_field(reader: Reader, russian: str) -> None:
    for params, field in (
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "окно", "limit": "101"}, "limit"),
        ({"q": "окно", "limit": "0"}, "limit"),
        ({"q": "окно", "cursor": "abc"}, "cursor"),
        ({"q": "окно", "order": "random"}, "order"),
        ({"q": "x" * 201}, "q"),
    ):
        for path in (f"/books/{russian}/search", "/search"):
            response = reader.request("GET", path, params=params)
            assert response.status_code == 422, (params, response.text)
            error = response.json()["error"]
            assert error["code"] == "validation_failed"
            assert [item["field"] for item in error["details"]["fields"]] == [field]


def test_only_the_readers_own_books_are_searched(rt: RunningRuntime, reader: Reader) -> None:
    mine = reader.upload("Капитанская дочка.fb2", PUSHKIN.read_bytes())
    other = Reader(rt)
    theirs = other.upload("Капитанская дочка.fb2", PUSHKIN.read_bytes())
    assert reader.wait(mine)["state"] in PARSED and other.wait(theirs)["state"] in PARSED

    response = other.request("GET", f"/books/{mine}/search", params={"q": "Пугачев"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "book_not_found"

    page = _search(other, "/search", "капитанская дочка", limit=100)
    assert {hit["book_id"] for hit in page["items"]} == {theirs}
    assert [book["book_id"] for book in page["books"]] == [theirs]
    assert page["books"][0]["title"] == "Капитанская дочка" and page["books"][0]["matches"] == len(
        page["items"]
    )

    mine_page = _search(reader, "/search", "окно", limit=100)
    assert {hit["book_id"] for hit in mine_page["items"]} >= {mine}
    assert theirs not in {hit["book_id"] for hit in mine_page["items"]}
    assert mine_page["books"][0]["matches"] >= 1
    # Pushkin's forms of «Пугачёв» (ё in the book), found with е, offsets on the name.
    pugachev = _search(reader, f"/books/{mine}/search", "пугачевым", limit=5)
    for word in _found_words(reader, mine, pugachev):
        assert word.lower().replace("ё", "е").startswith("пугачев"), word


def test_books_parsed_before_the_index_are_indexed_on_first_search(
    rt: RunningRuntime, reader: Reader
) -> None:
    book_id = _book(reader, "old.epub", ["An old lighthouse keeper counted the waves."])
    # As if the book had been parsed before search existed.
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        conn.run("DELETE FROM search_passages WHERE book_id = CAST(:b AS uuid)", b=book_id)
        conn.run("DELETE FROM search_books WHERE book_id = CAST(:b AS uuid)", b=book_id)
    page = _search(reader, "/search", "lighthouses")
    assert [hit["book_id"] for hit in page["items"]] == [book_id] and page["unindexed"] == 0
    assert _found_words(reader, book_id, page) == ["lighthouse"]
