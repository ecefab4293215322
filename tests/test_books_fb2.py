"""FB2 parsing: the corpus books with golden values, generated edge cases and hostile files.

No services needed. The corpus lives beside the repository (`../shared/corpus`); its tests
skip only when that folder is absent. The Pushkin fixtures make the core tests self-contained.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from bookreader.books.limits import ParseLimits
from bookreader.books.model import ParsedBook, TocEntry
from bookreader.errors import BookReaderError
from tests.support.fb2 import FB2_NS, assert_consistent, fb2, parse

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
FIXTURES = Path(__file__).parent / "fixtures" / "books" / "fb2"
PUSHKIN = "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2"
PNG_1PX = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


GOOD = fb2("<body><section><title><p>Глава</p></title><p>Хороший текст.</p></section></body>")


def toc_depth(entries: list[TocEntry]) -> int:
    return 1 + max(toc_depth(e.children) for e in entries) if entries else 0


def first_words(book: ParsedBook, count: int) -> str:
    return " ".join(book.chapters[0].text.split()[:count])


GOLDEN = {
    "ru-fb2-kaznelson-test-book.utf8.fb2": {
        "title": "Тестовая книга",
        "author": "Иван Иванович Иванов",
        "language": "ru",
        "chapters": 23,
        "toc_depth": 8,
        "first_words": "Эпиграф. Текст. Ударения. Спортсмены!",
        "cover": "cover.jpg",
        "footnotes": 22,
    },
    PUSHKIN: {
        "title": "Капитанская дочка",
        "author": "Александр Пушкин",
        "language": "ru",
        "chapters": 15,
        "toc_depth": 1,
        "first_words": "ГЛАВА I СЕРЖАНТ ГВАРДИИ — Был бы гвардии",
        "cover": "cover.png",
        "footnotes": 1,
    },
    f"{PUSHKIN}.zip": {
        "title": "Капитанская дочка",
        "author": "Александр Пушкин",
        "language": "ru",
        "chapters": 15,
        "toc_depth": 1,
        "first_words": "ГЛАВА I СЕРЖАНТ ГВАРДИИ — Был бы гвардии",
        "cover": "cover.png",
        "footnotes": 1,
    },
    "bench/tolstoy-anna-karenina.fb2": {
        "title": "Анна Каренина",
        "author": "Лев Толстой",
        "language": "ru",
        "chapters": 239,
        "toc_depth": 2,
        "first_words": "Часть первая I Все счастливые семьи",
        "cover": None,
        "footnotes": 0,
    },
}
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


@needs_corpus
def test_every_fb2_in_the_corpus_has_golden_values() -> None:
    found = {
        str(path.relative_to(CORPUS))
        for path in CORPUS.rglob("*")
        if path.name.lower().endswith((".fb2", ".fb2.zip"))
    }
    assert found == set(GOLDEN)


@needs_corpus
@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_corpus_book_parses_with_golden_values(name: str) -> None:
    golden = GOLDEN[name]
    book = parse((CORPUS / name).read_bytes())
    assert book.format == "fb2"
    assert book.metadata.title == golden["title"]
    assert book.metadata.authors[0] == golden["author"]
    assert book.metadata.language == golden["language"]
    assert len(book.chapters) == golden["chapters"]
    assert toc_depth(book.toc) == golden["toc_depth"]
    assert first_words(book, len(golden["first_words"].split())) == golden["first_words"]
    assert book.cover_image_id == golden["cover"]
    if golden["cover"]:
        assert golden["cover"] in {image.id for image in book.images}
    assert len(book.footnotes) == golden["footnotes"]
    # every footnote is referenced from the text or from another note, and every link lands
    pages = [c.html for c in book.chapters] + [note.html for note in book.footnotes]
    linked = {n for page in pages for n in re.findall(r'data-note="([^"]+)"', page)}
    assert linked == {note.id for note in book.footnotes}
    assert_consistent(book)


@needs_corpus
def test_converter_torture_book_keeps_its_structure() -> None:
    book = parse((CORPUS / "ru-fb2-kaznelson-test-book.utf8.fb2").read_bytes())
    meta = book.metadata
    assert [a for a in meta.authors] == [
        "Иван Иванович Иванов",
        "Пётр Петрович Петров",
        "Сидор Сидорович Сидоров",
    ]
    assert (meta.series, meta.series_index, meta.subjects) == ("Тесты", 1.0, ["det_classic"])
    assert meta.description and meta.description.startswith("Здесь полагается быть краткому")
    assert "[17]" not in meta.description  # note markers are not part of the description
    assert meta.identifiers == {"fb2": "BD-A2B81E-20EB-3A4E-EE8F-1664-26E3-BEF744"}
    # 32 binaries: the deliberately broken ones are skipped, the book still parses
    assert len(book.images) == 28
    assert not {i.id for i in book.images} & {"bb_broken.jpg", "bb_broken.gif"}
    assert {i.media_type for i in book.images} == {"image/jpeg", "image/png", "image/gif"}
    html = "".join(chapter.html for chapter in book.chapters)
    for fragment in ('class="bk-poem"', 'class="bk-stanza"', 'class="bk-v"', 'class="bk-epigraph"',
                     'class="bk-cite"', 'class="bk-text-author"', 'class="bk-subtitle"', "<table>",
                     "<sub>", "<sup>", "<s>", "<code>", "<em>", "<strong>",
                     'src="/books/b/images/chicken.jpg"'):  # fmt: skip
        assert fragment in html
    notes = {note.id: note for note in book.footnotes}
    assert {"n_1", "n_20", "c_1", "c_2"} <= set(notes)
    assert notes["n_1"].title == "Примечание 1"
    assert notes["n_1"].text.startswith("Все сноски в первой главе")
    assert 'href="#note-n_2" data-note="n_2"' in notes["n_1"].html
    assert 'href="#note-c_1" data-note="c_1"' in html  # type="comment" links too
    # cross references to sections become positions inside the book
    assert re.search(r'href="#pos-\d+-\d+"', html)
    nested = [chapter.level for chapter in book.chapters if "тестовая секция" in chapter.title]
    assert max(nested) >= 5


@needs_corpus
def test_anna_karenina_parts_are_toc_entries_over_their_chapters() -> None:
    book = parse((CORPUS / "bench" / "tolstoy-anna-karenina.fb2").read_bytes())
    assert [entry.title for entry in book.toc][:2] == ["Часть первая", "Часть вторая"]
    assert sum(len(entry.children) for entry in book.toc) == 239
    part_two = book.toc[1]
    assert (part_two.chapter, part_two.offset) == (part_two.children[0].chapter, 0)
    assert part_two.children[0].offset > 0  # its own title follows the part's title
    # a part's first chapter opens the part: titled and levelled by the outermost section
    first = book.chapters[part_two.chapter]
    assert (first.title, first.level) == ("Часть вторая", 0)
    assert {chapter.level for chapter in book.chapters} == {0, 1}


# --- the fixtures (no corpus needed) ---------------------------------------------------------


def test_windows_1251_book_and_its_zip_parse_alike() -> None:
    plain = parse((FIXTURES / PUSHKIN).read_bytes())
    zipped = parse((FIXTURES / f"{PUSHKIN}.zip").read_bytes())
    assert plain.metadata.title == zipped.metadata.title == "Капитанская дочка"
    assert [c.text for c in plain.chapters] == [c.text for c in zipped.chapters]
    assert len(plain.chapters) == 15
    assert plain.chapters[0].title == "ГЛАВА I. СЕРЖАНТ ГВАРДИИ"
    assert plain.cover_image_id == "cover.png"
    assert plain.images[0].media_type == "image/png"
    assert_consistent(plain)


def test_zip_with_cp866_inner_name_without_utf8_flag() -> None:
    raw = (FIXTURES / PUSHKIN).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("placeholder.fb2", raw)
    # zipfile would store a non-ASCII name as UTF-8 with the flag; DOS archivers did not
    cp866_name = "Пушкин_дочь.fb2".encode("cp866")
    data = buffer.getvalue()
    assert data.count(b"placeholder.fb2") == 2 and len(cp866_name) == len(b"placeholder.fb2")
    data = data.replace(b"placeholder.fb2", cp866_name)
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x800 == 0
    assert parse(data).metadata.title == "Капитанская дочка"


def test_note_link_and_footnote() -> None:
    book = parse((FIXTURES / PUSHKIN).read_bytes())
    (note,) = book.footnotes
    assert note.text
    assert f'data-note="{note.id}"' in "".join(chapter.html for chapter in book.chapters)


# --- generated books -------------------------------------------------------------------------


def test_character_references_escaped_twice_are_read_as_their_characters() -> None:
    book = parse(
        fb2("<body><section><p>G&amp;#234;nes et Lucques, voil&amp;#224;.</p></section></body>")
    )
    assert "Gênes et Lucques, voilà." in book.chapters[0].text
    assert_consistent(book)


def test_nested_sections_become_chapters_with_levels_and_toc() -> None:
    book = parse(
        fb2(
            "<body><title><p>Книга</p></title>"
            '<section id="part1"><title><p>Часть 1</p></title>'
            "<section><title><p>Глава 1</p></title><p>Раз.</p></section>"
            '<section id="ch2"><title><p>Глава 2</p></title><p>Два.</p>'
            '<p>См. <a l:href="#ch2">главу</a> и <a l:href="#part1">часть</a>.</p>'
            "</section></section>"
            "<section><title><p>Эпилог</p></title><epigraph><p>Эпиграф.</p></epigraph>"
            "<p>Конец.</p></section></body>"
        )
    )
    # the first chapter opens "Часть 1" too: the outermost title names it (issue 11 #12)
    assert [(c.title, c.level) for c in book.chapters] == [
        ("Часть 1", 0),
        ("Глава 2", 1),
        ("Эпилог", 0),
    ]
    assert book.chapters[0].text == "Часть 1\n\nГлава 1\n\nРаз."
    assert [(e.title, e.chapter, e.offset) for e in book.toc] == [
        ("Часть 1", 0, 0),
        ("Эпилог", 2, 0),
    ]
    assert [(e.title, e.chapter, e.offset) for e in book.toc[0].children] == [
        ("Глава 1", 0, 9),
        ("Глава 2", 1, 0),
    ]
    assert 'href="#pos-1-0"' in book.chapters[1].html
    assert 'href="#pos-0-0"' in book.chapters[1].html
    assert_consistent(book)


def test_xlink_prefix_is_resolved_by_namespace() -> None:
    body = (
        '<body><section><p>Текст<a xlink:href="#n1" type="note">1</a>.</p>'
        '<image xlink:href="#pic.png"/></section></body>'
        '<body name="notes"><section id="n1"><title><p>1</p></title><p>Сноска.</p></section>'
        "</body>"
    )
    book = parse(
        fb2(
            body,
            prefix="xlink",
            extra=f'<binary id="pic.png" content-type="image/png">{PNG_1PX}</binary>',
        )
    )
    assert 'href="#note-n1" data-note="n1"' in book.chapters[0].html
    assert 'src="/books/b/images/pic.png"' in book.chapters[0].html
    assert book.footnotes[0].text == "Сноска." and book.footnotes[0].title == "1"


@pytest.mark.parametrize("encoding", ["koi8-r", "utf-16", "windows-1251"])
def test_declared_encodings_are_read_from_the_bytes(encoding: str) -> None:
    book = parse(fb2("<body><section><p>Съешь же ещё этих мягких булок.</p></section></body>",
                     encoding=encoding))  # fmt: skip
    assert book.chapters[0].text == "Съешь же ещё этих мягких булок."
    assert book.metadata.authors == ["Тест Тестов"]


def test_script_and_event_handlers_are_removed() -> None:
    book = parse(
        fb2(
            '<body><section><p onclick="evil()">До<script>alert(1)</script>после'
            '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(2)</h:script></p>'
            '<image l:href="#x" onerror="alert(3)"/><p><a l:href="javascript:alert(4)">ссылка</a>'
            '<a l:href="https://evil.example/">внешняя</a></p></section></body>'
        )
    )
    chapter = book.chapters[0]
    assert chapter.text == "Допосле\n\nссылкавнешняя"
    for forbidden in ("script", "alert", "onclick", "onerror", "javascript", "evil.example"):
        assert forbidden not in chapter.html
    assert_consistent(book)


def test_broken_base64_binary_is_skipped() -> None:
    book = parse(
        fb2(
            '<body><section><p>Текст</p><image l:href="#bad.jpg"/></section></body>',
            extra='<binary id="bad.jpg" content-type="image/jpeg">@@@not base64!!</binary>'
            '<binary id="x" content-type="image/jpeg">QUJD</binary>',  # decodes, not a JPEG
        )
    )
    assert book.images == []
    assert "<img" not in book.chapters[0].html


def test_oversized_image_is_skipped() -> None:
    data = fb2("<body><section><p>Текст</p></section></body>",
               extra=f'<binary id="p.png" content-type="image/png">{PNG_1PX}</binary>')  # fmt: skip
    assert len(parse(data).images) == 1
    assert parse(data, ParseLimits(max_image_bytes=10)).images == []


def test_image_ids_are_safe_in_urls_and_keys() -> None:
    binaries = "".join(
        f'<binary id="{name}" content-type="image/png">{PNG_1PX}</binary>'
        for name in ("../../etc/обложка.png", "a b.png", "a_b.png")
    )
    book = parse(fb2("<body><section><p>Текст</p></section></body>", extra=binaries))
    ids = [image.id for image in book.images]
    assert len(set(ids)) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", i) for i in ids)


# --- hostile files ---------------------------------------------------------------------------

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE FictionBook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<FictionBook xmlns="' + FB2_NS.encode() + b'"><body><section><p>&xxe;</p></section>'
    b"</body></FictionBook>"
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE FictionBook [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><FictionBook xmlns="'
    + FB2_NS.encode()
    + b'"><body><section><p>&lol9;</p></section></body></FictionBook>'
)
LYING = fb2("<body><section><p>ЛОЖЬ</p></section></body>", encoding="windows-1251").replace(
    b'encoding="windows-1251"', b'encoding="utf-8"'
)
UNKNOWN = GOOD.replace(b'encoding="utf-8"', b'encoding="x-klingon"')
DEEP = fb2("<body>" + "<section>" * 10_000 + "<p>глубоко</p>" + "</section>" * 10_000 + "</body>")
HUGE_NODE = fb2("<body><section><p>" + "я" * (20 * 1024 * 1024) + "</p></section></body>")
HUGE_INLINE = fb2(
    "<body><section><p>" + "<emphasis>слово </emphasis>" * 300_000 + "</p></section></body>"
)

HOSTILE = {
    "xxe": (XXE, None, "xml_entities_forbidden"),
    "billion_laughs": (LAUGHS, None, "xml_entities_forbidden"),
    "lying_encoding": (LYING, None, "encoding_invalid"),
    "unknown_encoding": (UNKNOWN, None, "encoding_invalid"),
    "nested_10000": (DEEP, None, "nesting_too_deep"),
    "paragraph_20mb": (HUGE_NODE, None, "paragraph_too_long"),
    "paragraph_inline": (
        HUGE_INLINE,
        ParseLimits(max_paragraph_chars=1_000_000),
        "paragraph_too_long",
    ),
    "chapter": (GOOD, ParseLimits(max_chapter_chars=10), "chapter_too_long"),
    "empty": (b"", None, "empty_file"),
    "whitespace": (b"  \n", None, "empty_file"),
    "truncated": (GOOD[: len(GOOD) // 2], None, "xml_malformed"),
    "no_text": (fb2("<body><section><p> </p></section></body>"), None, "no_content"),
    "time_budget": (GOOD, ParseLimits(time_budget_s=0), "time_budget_exceeded"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_fb2_fails_with_its_code_and_the_next_book_parses(name: str) -> None:
    data, limits, code = HOSTILE[name]
    with pytest.raises(BookReaderError) as failure:
        parse(data, limits)
    assert failure.value.code == code
    assert parse(GOOD).chapters[0].text == "Глава\n\nХороший текст."


# Every encoding lxml reads: "<!ENTITY" in UTF-16 or UTF-32 has no ASCII bytes to spot.
# (codec, name in the declaration, byte-order mark written first)
ENCODINGS = [
    ("utf-16-le", "utf-16", True),
    ("utf-16-le", "utf-16", False),
    ("utf-16-be", "utf-16", True),
    ("utf-16-be", "utf-16", False),
    ("utf-32-le", "utf-32", True),
    ("utf-32-be", "utf-32", False),
    ("windows-1251", "windows-1251", False),
    ("koi8-r", "koi8-r", False),
    ("utf-7", "utf-7", False),
]


def _encoded(xml: bytes, codec: str, declared: str, bom: bool) -> bytes:
    text = xml.decode().replace(
        '<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{declared}"?>'
    )
    return ("\ufeff" if bom else "").encode(codec) + text.encode(codec)


@pytest.mark.parametrize(("codec", "declared", "bom"), ENCODINGS)
@pytest.mark.parametrize("attack", ["xxe", "billion_laughs"])
def test_entities_are_refused_in_every_encoding(
    codec: str, declared: str, bom: bool, attack: str
) -> None:
    data = _encoded(XXE if attack == "xxe" else LAUGHS, codec, declared, bom)
    with pytest.raises(BookReaderError) as failure:
        parse(data)
    assert failure.value.code == "xml_entities_forbidden"


@pytest.mark.parametrize(("codec", "declared", "bom"), ENCODINGS)
def test_honest_books_in_those_encodings_still_parse(codec: str, declared: str, bom: bool) -> None:
    xml = fb2("<body><section><p>Съешь же ещё этих мягких булок.</p></section></body>")
    text = xml.decode().replace('encoding="utf-8"', f'encoding="{declared}"')
    data = ("\ufeff" if bom else "").encode(codec) + text.encode(codec)
    assert parse(data).chapters[0].text == "Съешь же ещё этих мягких булок."


def test_a_bare_doctype_in_utf16_is_refused_too() -> None:
    xml = GOOD.decode().replace("?>\n", '?>\n<!DOCTYPE FictionBook SYSTEM "x.dtd">', 1)
    data = xml.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    with pytest.raises(BookReaderError) as failure:
        parse(data)
    assert failure.value.code == "xml_entities_forbidden"
