"""EPUB parsing: the corpus with golden values, the model's offset invariants, and hostile
archives generated here (each fails with its own code, and a good book parses right after)."""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from bookreader.books.epub_toc import toc_depth
from bookreader.books.limits import ParseLimits
from bookreader.books.model import ParsedBook
from bookreader.books.sanitize import sanitize_html
from bookreader.errors import BookReaderError
from tests.support.epub import (
    CONTAINER,
    METADATA,
    OPF,
    assert_consistent,
    flat_toc,
    image_url,
    make_epub,
    parse,
    xhtml,
)

FIXTURES = Path(__file__).parent / "fixtures" / "books" / "epub"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus"  # the repo is cloned next to shared/
KASHTANKA = FIXTURES / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub"


# --- the corpus -------------------------------------------------------------------------


@dataclass
class Golden:
    file: str
    title: str
    author: str | None
    language: str
    chapters: int
    toc_depth: int
    first_words: str
    cover: bool
    footnotes: int


GOLDEN = [
    Golden(
        "ar-idpf-regime-anticancer.epub3-rtl.epub",
        "Le Vrai Régime anti-cancer",
        "Pr David Khayat",
        "ar",
        1,
        1,
        "الفصل الثاني ما هو",
        True,
        1,
    ),
    Golden(
        "en-gutenberg-alice-pg11.epub2.epub",
        "Alice's Adventures in Wonderland",
        "Lewis Carroll",
        "en",
        13,
        1,
        "Alice’s Adventures in Wonderland",
        True,
        0,
    ),
    Golden(
        "en-gutenberg-sherlock-pg1661.epub2.epub",
        "The Adventures of Sherlock Holmes",
        "Arthur Conan Doyle",
        "en",
        14,
        2,
        "THERE IS AN ILLUSTRATED",
        True,
        0,
    ),
    Golden(
        "en-idpf-childrens-literature.epub3.epub",
        "Children's Literature",
        "Charles Madison Curry",
        "en",
        1,
        4,
        "SECTION IV FAIRY STORIES—MODERN",
        True,
        3,
    ),
    Golden(
        "en-idpf-georgia-cfi.epub3-footnotes.epub",
        "Georgia",
        "Various",
        "en-us",
        1,
        2,
        "GEORGIA GEORGIA, a southern",
        True,
        16,
    ),
    Golden(
        "en-idpf-hefty-water.epub3-minimal.epub",
        "Hefty Water",
        None,
        "en",
        1,
        2,
        "Hefty Water This document",
        False,
        0,
    ),
    Golden(
        "en-idpf-moby-dick.epub3-nav-only.epub",
        "Moby-Dick",
        "Herman Melville",
        "en-us",
        141,  # the nav document's leftover "Contents" heading is not a chapter
        1,
        "Brief Contents Title Page",
        True,
        1,
    ),
    # the title page is the nav document: once its nav is gone only the heading "Trees" is left
    Golden(
        "en-idpf-trees.epub3-scripted-nav.epub",
        "Trees",
        None,
        "en",
        2,
        1,
        "Classification",
        True,
        0,
    ),
    Golden(
        "en-idpf-wasteland.epub3-rearnotes.epub",
        "The Waste Land",
        "T.S. Eliot",
        "en-us",
        1,
        1,
        "The Waste Land T.S.",
        True,
        50,
    ),
    Golden(
        "en-w3c-link-leaking-relative.epub3.epub",
        "ocf-url_link-leaking-relative",
        "Ivan Herman",
        "en",
        1,
        1,
        "Test passes if the",
        False,
        0,
    ),
    Golden(
        "en-w3c-nav-not-in-spine.epub3.epub",
        "nav-spine_not-in-spine",
        "Dave Cramer",
        "en",
        2,
        1,
        "Test passes if you",
        False,
        0,
    ),
    Golden(
        "en-w3c-spine-nonlinear.epub3.epub",
        "pkg-spine-nonlinear-activation",
        "Dave Cramer",
        "en",
        2,
        1,
        "Test passes if clicking",
        False,
        0,
    ),
    Golden(
        "ru-gen-chekhov-kashtanka.epub3-nav-only.epub",
        "Каштанка",
        "Антон Чехов",
        "ru",
        7,
        1,
        "Глава первая. Дурное поведение",
        False,
        0,
    ),
    Golden(
        "ru-gen-gogol-taras-bulba.epub2-no-toc-single-file.epub",
        "Тарас Бульба",
        "Николай Гоголь",
        "ru",
        1,
        2,
        "Тарас Бульба I —",
        False,
        0,
    ),
    Golden(
        "bench/tolstoy-voina-i-mir-1.epub",
        "Война и мир. Том 1",
        "Лев Толстой",
        "ru",
        65,
        1,
        "Часть первая. I —",
        False,
        365,  # «[1]» … «[365]» in the text, numbered paragraphs at the end (`epub_plain_notes`)
    ),
]
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def corpus_book(name: str) -> ParsedBook:
    return parse((CORPUS / name).read_bytes())


def test_golden_table_covers_every_corpus_epub() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    on_disk = {p.name for p in CORPUS.glob("*.epub")} | {"bench/tolstoy-voina-i-mir-1.epub"}
    assert on_disk == {golden.file for golden in GOLDEN}


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize("golden", GOLDEN, ids=[g.file for g in GOLDEN])
def test_corpus_epub_parses_to_its_golden_values(golden: Golden) -> None:
    book = corpus_book(golden.file)
    assert book.format == "epub"
    assert book.metadata.title == golden.title
    assert (book.metadata.authors or [None])[0] == golden.author
    assert book.metadata.language == golden.language
    assert len(book.chapters) == golden.chapters
    assert toc_depth(book.toc) == golden.toc_depth
    assert " ".join(book.chapters[0].text.split()[:4]).startswith(golden.first_words)
    assert (book.cover_image_id is not None) == golden.cover
    assert len(book.footnotes) == golden.footnotes
    assert_consistent(book)


@needs_corpus
@pytest.mark.parametrize(
    "name", ["en-idpf-georgia-cfi.epub3-footnotes.epub", "en-idpf-wasteland.epub3-rearnotes.epub"]
)
def test_note_references_link_to_notes_kept_out_of_the_text(name: str) -> None:
    book = corpus_book(name)
    html = "".join(chapter.html for chapter in book.chapters)
    text = "".join(chapter.text for chapter in book.chapters)
    for note in book.footnotes:
        if note.id.startswith(("ft", "note-")):
            assert f'data-note="{note.id}"' in html
            assert note.text not in text


@needs_corpus
def test_drop_cap_span_does_not_split_the_first_word() -> None:
    book = corpus_book("en-gutenberg-sherlock-pg1661.epub2.epub")
    chapter = book.chapters[1]
    assert chapter.title == "I. A SCANDAL IN BOHEMIA"
    assert "To Sherlock Holmes she is always the woman." in chapter.text


@needs_corpus
def test_single_file_book_maps_fragment_toc_entries_inside_the_chapter() -> None:
    book = corpus_book("en-idpf-childrens-literature.epub3.epub")
    entries = flat_toc(book.toc)
    assert len(entries) > 20 and {entry.chapter for entry in entries} == {0}
    offsets = [entry.offset for entry in entries]
    assert offsets == sorted(offsets) and offsets[-1] > 100_000
    text = book.chapters[0].text
    clover = next(e for e in entries if e.title == "190 A FOUR-LEAVED CLOVER")
    assert text[clover.offset :].startswith("190\n\nThe rabbis of old")


@needs_corpus
def test_book_without_toc_gets_one_from_its_headings() -> None:
    book = corpus_book("ru-gen-gogol-taras-bulba.epub2-no-toc-single-file.epub")
    (root,) = book.toc
    assert root.title == "Тарас Бульба"
    assert [child.title for child in root.children][:3] == ["I", "II", "III"]
    text = book.chapters[0].text
    assert all(text[c.offset : c.offset + len(c.title)] == c.title for c in root.children)


@needs_corpus
def test_nav_title_page_left_with_its_heading_is_dropped_and_scripts_are_gone() -> None:
    book = corpus_book("en-idpf-trees.epub3-scripted-nav.epub")
    assert [chapter.title for chapter in book.chapters] == ["Classification", "Morphology"]
    assert "Reading System does not support canvas" not in book.chapters[0].text


@needs_corpus
def test_link_escaping_the_archive_resolves_to_nothing() -> None:
    book = corpus_book("en-w3c-link-leaking-relative.epub3.epub")
    assert book.images == [] and "<img" not in book.chapters[0].html


@needs_corpus
def test_metadata_of_an_epub3_with_roles() -> None:
    metadata = corpus_book("ar-idpf-regime-anticancer.epub3-rtl.epub").metadata
    assert metadata.authors == ["Pr David Khayat", "Nathalie Hutter-Lardeau"]
    assert metadata.translators == ["Marina Khalil Fayad"]
    assert metadata.publisher == "Hachette Antoine"


# --- fixtures (run without the corpus) --------------------------------------------------


def test_kashtanka_fixture_parses_with_toc_and_offsets() -> None:
    book = parse(KASHTANKA.read_bytes())
    assert book.metadata.title == "Каштанка" and book.metadata.language == "ru"
    assert len(book.chapters) == 7 and len(book.toc) == 7
    assert book.chapters[0].text.startswith("Глава первая. Дурное поведение")
    assert book.chapters[0].word_count > 500
    assert_consistent(book)


def test_nonlinear_spine_item_is_a_chapter_outside_the_main_flow() -> None:
    book = parse((FIXTURES / "en-w3c-spine-nonlinear.epub3.epub").read_bytes())
    assert [chapter.linear for chapter in book.chapters] == [True, False]
    assert "#pos-1-0" in book.chapters[0].html  # the link to it becomes our own position


def test_minimal_epub3_with_epub_switch_keeps_only_the_fallback() -> None:
    book = parse((FIXTURES / "en-idpf-hefty-water.epub3-minimal.epub").read_bytes())
    assert book.metadata.title == "Hefty Water"
    assert 'href="http' not in book.chapters[0].html  # external links lose their URL
    assert_consistent(book)


# --- generated books --------------------------------------------------------------------


def test_scripts_event_handlers_and_javascript_links_are_removed() -> None:
    body = (
        "<p>Before<script>alert(1)</script> after.</p>"
        '<p><img src="x.png" onerror="alert(2)"/>Image <a href="javascript:alert(3)">link</a>'
        ' and <a href="https://evil.example/">away</a>.</p>'
    )
    book = parse(make_epub({"c.xhtml": xhtml(body, head="<script>alert(0)</script>")}))
    assert book.chapters[0].text == "Before after.\n\nImage link and away."
    assert "evil.example" not in book.chapters[0].html
    assert_consistent(book)


def test_character_references_escaped_twice_are_read_as_their_characters() -> None:
    # War and Peace (corpus copy): «G&amp;#234;nes» showed the reader «G&#234;nes» 45 times
    body = (
        "<p>— Eh bien, mon prince. G&amp;#234;nes et Lucques, voil&amp;#xE0; tout.</p>"
        "<p>Write <code>&amp;#233;</code> for é; &amp;#1; stays.</p>"
    )
    book = parse(make_epub({"c.xhtml": xhtml(body)}))
    text = book.chapters[0].text
    assert "— Eh bien, mon prince. Gênes et Lucques, voilà tout." in text
    assert "Write &#233; for é; &#1; stays." in text  # code keeps it; no control character
    assert "Gênes" in book.chapters[0].html
    assert_consistent(book)


def test_notes_written_as_plain_numbers_become_footnotes_linked_from_their_brackets() -> None:
    # War and Peace (corpus copy): «— De beaux hommes![359] — сказал Наполеон» and, at the end of
    # the last file, «359» then «Славный народ!»: the reader saw «[359]» and no translation
    story = (
        "<p>— Bonjour[1], — сказала она. — Adieu[2]!</p><p>Он ушел. — Merci[3].</p>"
        "<p>Примечания</p><p>1</p><p>Здравствуйте.</p><p>2</p><p>Прощайте.</p>"
        "<p>Письмо:</p><p>3</p><p>Спасибо.</p><p>Комментарии</p><p>1</p><p>Комментарий.</p>"
    )
    first = "<p>Он сказал: «Bonsoir»[2]. Было [4] часа.</p>"
    book = parse(make_epub({"a.xhtml": xhtml(first), "text/b.xhtml": xhtml(story)}))
    notes = {note.id: note.text for note in book.footnotes}
    assert notes == {
        "plain-note-1": "Здравствуйте.",
        "plain-note-2": "Прощайте.\n\nПисьмо:",
        "plain-note-3": "Спасибо.",
    }
    text = "\n\n".join(chapter.text for chapter in book.chapters)
    assert text.startswith(
        "Он сказал: «Bonsoir». Было [4] часа.\n\n"  # there is no note 4
        "— Bonjour, — сказала она. — Adieu!\n\nОн ушел. — Merci."
    )
    assert "Здравствуйте" not in text and "Комментарий." in text  # the editor's comments stay
    assert 'data-note="plain-note-2"' in "".join(chapter.html for chapter in book.chapters)
    assert_consistent(book)


def test_plain_notes_of_each_chapter_file_are_that_chapter_s() -> None:
    chapters = {
        f"c{n}.xhtml": xhtml(
            f"<p>Глава {n}: oui[1], non[2], merci[3].</p><p>1</p><p>да {n}</p><p>2</p>"
            f"<p>нет {n}</p><p>3</p><p>спасибо {n}</p>"
        )
        for n in (1, 2)
    }
    book = parse(make_epub(chapters))
    notes = {note.id: note.text for note in book.footnotes}
    assert sorted(notes.values()) == ["да 1", "да 2", "нет 1", "нет 2", "спасибо 1", "спасибо 2"]
    html = "".join(chapter.html for chapter in book.chapters)
    firsts = re.findall(r'data-note="([^"]+)"[^>]*>1<', html)
    assert [notes[note] for note in firsts] == ["да 1", "да 2"]  # each file's «[1]» its own
    text = "\n\n".join(chapter.text for chapter in book.chapters)
    assert text == "Глава 1: oui, non, merci.\n\nГлава 2: oui, non, merci."
    assert_consistent(book)


def test_numbered_sections_of_a_story_are_not_notes() -> None:
    sections = "".join(
        f"<p>{n}</p><p>Глава {n} начинается здесь, и в ней много событий.</p>" for n in (1, 2, 3)
    )
    book = parse(make_epub({"c.xhtml": xhtml(sections + "<p>Смотри [2] выше.</p>")}))
    assert book.footnotes == [] and "[2]" in book.chapters[0].text


def test_notes_by_epub_type_and_by_fn_pattern_become_footnotes() -> None:
    body = (
        '<p>Typed<a epub:type="noteref" href="#n1">1</a> and plain<a href="#fn2">[2]</a>.</p>'
        '<aside epub:type="footnote" id="n1"><p>First note.</p></aside>'
        '<div class="footnotes"><p id="fn2"><a href="#back">[2]</a> Second note.</p></div>'
    )
    book = parse(make_epub({"c.xhtml": xhtml(body)}))
    # the reference labels stay in the HTML as links, out of the text
    assert book.chapters[0].text == "Typed and plain."
    assert [(note.id, note.text) for note in book.footnotes] == [
        ("n1", "First note."),
        ("fn2", "[2] Second note."),
    ]
    assert 'href="#note-n1" data-note="n1"' in book.chapters[0].html
    assert_consistent(book)


def test_drop_cap_and_mixed_content_keep_offsets_and_html_in_step() -> None:
    body = (
        '<div>Loose text <em>here</em><p><span class="dropcap">T</span>o Sherlock\u00ad</p>'
        "tail text<br/>second line</div><ul><li>Item <ol><li>Nested</li></ol></li></ul>"
    )
    book = parse(make_epub({"c.xhtml": xhtml(body)}))
    assert book.chapters[0].text.split("\n\n") == [
        "Loose text here",
        "To Sherlock",
        "tail text\nsecond line",
        "Item",
        "Nested",
    ]
    assert_consistent(book)


def test_fragment_links_between_files_become_positions() -> None:
    first = xhtml('<p>See <a href="b.xhtml#later">later</a>.</p>')
    second = xhtml('<p>Intro.</p><h2 id="later">Later</h2><p>Text.</p>')
    book = parse(make_epub({"a.xhtml": first, "b.xhtml": second}))
    assert 'href="#pos-1-8"' in book.chapters[0].html
    assert book.chapters[1].text[8:13] == "Later"


def test_series_translators_identifiers_and_description_from_the_opf() -> None:
    metadata = (
        METADATA
        + '<dc:creator id="t"> A  Translator </dc:creator>'
        + '<meta refines="#t" property="role" scheme="marc:relators">trl</meta>'
        + '<meta property="belongs-to-collection" id="s">The Series</meta>'
        + '<meta refines="#s" property="group-position">3</meta>'
        + "<dc:identifier>urn:isbn:9780000000002</dc:identifier>"
        + "<dc:description>&lt;p&gt;Plain &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</dc:description>"
        + "<dc:subject>Fiction</dc:subject><dc:publisher>Pub</dc:publisher>"
    )
    book = parse(make_epub({"c.xhtml": xhtml("<p>Text.</p>")}, metadata=metadata))
    meta = book.metadata
    assert meta.authors == ["Tester"] and meta.translators == ["A Translator"]
    assert (meta.series, meta.series_index) == ("The Series", 3.0)
    assert meta.identifiers == {
        "uuid": "0b7d7c58-0000-4000-8000-000000000001",
        "isbn": "9780000000002",
    }
    assert meta.description == "Plain text"
    assert (meta.subjects, meta.publisher) == (["Fiction"], "Pub")


def test_calibre_series_and_epub2_cover_meta() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    metadata = (
        METADATA
        + '<meta name="calibre:series" content="Saga"/>'
        + '<meta name="calibre:series_index" content="2.5"/><meta name="cover" content="img"/>'
    )
    book = parse(
        make_epub(
            {"c.xhtml": xhtml('<p>Text.</p><img src="pic.png"/>')},
            metadata=metadata,
            extra={"OEBPS/pic.png": png, "OEBPS/broken.jpg": b"not a jpeg"},
            manifest_extra='<item id="img" href="pic.png" media-type="image/png"/>'
            '<item id="bad" href="broken.jpg" media-type="image/jpeg"/>',
        )
    )
    assert (book.metadata.series, book.metadata.series_index) == ("Saga", 2.5)
    assert [image.media_type for image in book.images] == ["image/png"]  # broken one skipped
    assert book.cover_image_id == book.images[0].id
    assert f'src="{image_url(book.images[0].id)}"' in book.chapters[0].html


def test_missing_resources_do_not_fail_the_book() -> None:
    manifest = '<item id="gone" href="gone.xhtml" media-type="application/xhtml+xml"/>'
    opf = OPF.format(
        metadata=METADATA,
        manifest='<item id="c0" href="c.xhtml" media-type="application/xhtml+xml"/>' + manifest,
        spine='<itemref idref="gone"/><itemref idref="c0"/>',
    )
    book = parse(make_epub({"c.xhtml": xhtml("<p>Still here &amp; well.</p>")}, opf=opf))
    assert book.chapters[0].text == "Still here & well."


# --- hostile books ----------------------------------------------------------------------

XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        with archive.open("OEBPS/zeros.xhtml", "w", force_zip64=True) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                entry.write(chunk)
    return buffer.getvalue()


def _many_entries() -> bytes:
    return make_epub(
        {"c.xhtml": xhtml("<p>x</p>")}, extra={f"OEBPS/f{i}.txt": b"x" for i in range(120)}
    )


def _in_opf(prolog: str, body: str) -> bytes:
    opf = OPF.format(metadata=METADATA.replace("Generated", body), manifest="", spine="")
    return make_epub({}, opf=prolog + opf.split("?>", 1)[1])


def _in_chapter(prolog: str, body: str) -> bytes:
    return make_epub({"c.xhtml": prolog + xhtml(f"<p>{body}</p>").split("<!DOCTYPE html>", 1)[1]})


def _huge_paragraph() -> bytes:
    # Random letters so the archive ratio stays honest; spans keep each text node under
    # libxml2's 10 MB node limit — the paragraph itself is 20 MB.
    table = bytes((b"abcdefghijklmnopqrstuvwxyz    "[i % 30]) for i in range(256))
    text = os.urandom(20 * 1024 * 1024).translate(table).decode()
    spans = "".join(f"<span>{text[i : i + 1_000_000]}</span>" for i in range(0, len(text), 10**6))
    return make_epub({"c.xhtml": xhtml(f"<p>{spans}</p>")})


HOSTILE = {
    "zip_bomb": (_bomb, None, {"archive_ratio", "archive_too_large"}),
    "too_many_entries": (_many_entries, ParseLimits(max_entries=100), {"archive_too_many_entries"}),
    "xxe_in_opf": (lambda: _in_opf(XXE, "&xxe;"), None, {"xml_entities_forbidden"}),
    "laughs_in_opf": (lambda: _in_opf(LAUGHS, "&d;"), None, {"xml_entities_forbidden"}),
    "xxe_in_chapter": (lambda: _in_chapter(XXE, "&xxe;"), None, {"xml_entities_forbidden"}),
    "laughs_in_chapter": (lambda: _in_chapter(LAUGHS, "&d;"), None, {"xml_entities_forbidden"}),
    "truncated_zip": (
        lambda: KASHTANKA.read_bytes()[: KASHTANKA.stat().st_size // 2],
        None,
        {"archive_corrupt"},
    ),
    "pdf_renamed": (
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        None,
        {"unsupported_format"},
    ),
    "empty_file": (lambda: b"", None, {"empty_file"}),
    "huge_paragraph": (_huge_paragraph, None, {"paragraph_too_long"}),
    "long_chapter": (
        lambda: make_epub({"c.xhtml": xhtml("<p>word</p>" * 400)}),
        ParseLimits(max_chapter_chars=1000),
        {"chapter_too_long"},
    ),
    "deep_nesting": (
        lambda: make_epub({"c.xhtml": xhtml("<div>" * 300 + "x" + "</div>" * 300)}),
        None,
        {"nesting_too_deep"},
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_epub_fails_with_its_code_and_the_next_book_parses(case: str) -> None:
    build, limits, codes = HOSTILE[case]
    with pytest.raises(BookReaderError) as failure:
        parse(build(), limits)
    assert failure.value.code in codes
    assert parse(KASHTANKA.read_bytes()).metadata.title == "Каштанка"


def test_traversal_entry_names_are_ignored_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    evil = xhtml("<p>EVIL</p>").encode()
    data = make_epub(
        {"c.xhtml": xhtml('<p>Good text.</p><p><a href="../../evil.xhtml">x</a></p>')},
        extra={"../../evil.xhtml": evil, "/abs.xhtml": evil, "OEBPS/../../up.xhtml": evil},
        manifest_extra='<item id="e" href="../../evil.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="a" href="/abs.xhtml" media-type="application/xhtml+xml"/>',
    )
    book = parse(data)
    assert [chapter.text for chapter in book.chapters] == ["Good text.\n\nx"]
    assert 'href="' not in book.chapters[0].html
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b"]


# --- SVG pictures keep only their allow-listed parts --------------------------------------------

SVG_HOSTILE = {
    "entity_encoded_javascript": '<a xlink:href="&#106;avascript:alert(1)"><rect width="5" '
    'height="5"/></a><use xlink:href="&#106;avascript:alert(2)"/>',
    "set_changes_href": '<use id="u" href="#r"><set attributeName="href" '
    'to="javascript:alert(3)"/></use>',
    "animate_adds_handler": '<rect width="5" height="5"><animate attributeName="onclick" '
    'values="alert(4)"/></rect><animateTransform attributeName="transform"/>',
    "style_import": '<style>@import url("https://evil.example/x.css");</style>'
    '<rect width="5" height="5" style="fill:url(https://evil.example/p)"/>',
    "external_image": '<image href="https://evil.example/track.png" width="5" height="5"/>'
    '<image xlink:href="//evil.example/t.png"/><image xlink:href="file:///etc/passwd"/>',
    "script_and_foreign": '<script>alert(5)</script><foreignObject><div xmlns="'
    'http://www.w3.org/1999/xhtml" onclick="alert(6)">x</div></foreignObject>'
    '<rect width="5" height="5" onload="alert(7)"/>',
}


def _svg_book(inner: str) -> bytes:
    picture = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="10" height="10"><rect id="r" width="10" height="10" fill="#c00"/>{inner}</svg>'
    ).encode()
    return make_epub(
        {"c.xhtml": xhtml('<p>A picture:</p><img src="p.svg" alt="p"/>')},
        extra={"OEBPS/p.svg": picture},
        manifest_extra='<item id="p" href="p.svg" media-type="image/svg+xml"/>',
    )


@pytest.mark.parametrize("name", sorted(SVG_HOSTILE))
def test_svg_pictures_keep_nothing_that_runs_or_loads(name: str) -> None:
    book = parse(_svg_book(SVG_HOSTILE[name]))
    [image] = book.images
    kept = image.data.decode()
    assert image.media_type == "image/svg+xml"
    forbidden_parts = ["alert", "javascript", "evil.example", "file:", "<set", "<animate"]
    forbidden_parts += ["<style", "<script", "foreignObject", "onclick", "onload", "@import"]
    for forbidden in forbidden_parts:
        assert forbidden not in kept, (forbidden, kept)
    # the harmless drawing survives, and the picture is still shown in the chapter
    assert '<rect id="r" width="10" height="10" fill="#c00"/>' in kept
    assert f"/images/{image.id}" in book.chapters[0].html


def test_svg_keeps_gradients_inline_bitmaps_and_internal_references() -> None:
    inner = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
        '</defs><circle cx="5" cy="5" r="4" fill="url(#g)" style="stroke:#000;stroke-width:1"/>'
        '<use xlink:href="#r"/><image width="2" height="2" xlink:href="data:image/png;base64,'
        'iVBORw0KGgo="/><text x="1" y="9" font-family="serif">Подпись</text>'
    )
    kept = parse(_svg_book(inner)).images[0].data.decode()
    for survivor in ('fill="url(#g)"', 'style="stroke:#000;stroke-width:1"', 'href="#r"',
                     "data:image/png;base64,", "Подпись", "<linearGradient"):  # fmt: skip
        assert survivor in kept, survivor


def test_svg_in_utf16_is_sanitised_too() -> None:
    picture = (
        '<?xml version="1.0" encoding="utf-16"?><svg xmlns="http://www.w3.org/2000/svg">'
        '<script>alert(1)</script><rect width="1" height="1"/></svg>'
    ).encode("utf-16")
    book = parse(
        make_epub(
            {"c.xhtml": xhtml('<p>A picture:</p><img src="p.svg" alt="p"/>')},
            extra={"OEBPS/p.svg": picture},
            manifest_extra='<item id="p" href="p.svg" media-type="image/svg+xml"/>',
        )
    )
    kept = book.images[0].data.decode()
    assert "alert" not in kept and "<rect" in kept


def test_book_ids_classes_and_data_attributes_cannot_clobber_the_apps_names() -> None:
    body = (
        '<p id="root" class="title a&quot;b calibre1" data-p="x" data-evil="1">Начало '
        '<a href="#part_2">дальше</a>.</p><p id="part 2" class="epigraph">Часть 2.</p>'
    )
    html = parse(make_epub({"c.xhtml": xhtml(body)})).chapters[0].html
    assert 'id="root"' not in html and 'id="bk-root"' in html
    assert 'class="bk-title"' in html and 'class="bk-epigraph"' in html  # the rest dropped
    for dropped in ("calibre1", "a&quot;b", "data-evil", 'data-p="x"'):
        assert dropped not in html
    # the position link still leads to the second paragraph; the id is in the safe charset
    assert 'id="bk-part_2"' in html
    assert re.search(r'href="#pos-0-\d+"', html)


def test_fragment_links_the_parser_keeps_point_at_the_prefixed_ids() -> None:
    html = sanitize_html(
        '<p id="a b">x</p><a href="#a b">1</a><a href="#note-n1" data-note="n1">2</a>'
        '<a href="#pos-1-20">3</a>'
    )
    assert 'id="bk-a_b"' in html and 'href="#bk-a_b"' in html
    assert 'href="#note-n1"' in html and 'href="#pos-1-20"' in html
