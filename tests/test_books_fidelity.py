"""Ingest fidelity on the defect classes real books showed (issue 11): each test builds a
small book of its own that reproduces one class and checks what a reader would notice."""

from __future__ import annotations

import pytest

from bookreader.books.model import count_words, reading_minutes
from tests.support.epub import (
    METADATA,
    OPF,
    assert_consistent,
    image_url,
    make_epub,
    parse,
    xhtml,
)
from tests.support.fb2 import assert_consistent as assert_fb2_consistent
from tests.support.fb2 import fb2

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200
NAV_ITEM = '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'


def nav(*entries: tuple[str, str]) -> bytes:
    items = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in entries)
    return xhtml(f'<nav epub:type="toc"><h1>Contents</h1><ol>{items}</ol></nav>').encode()


def book_with_nav(
    chapters: dict[str, str], entries: list[tuple[str, str]], metadata: str = METADATA
) -> bytes:
    return make_epub(
        chapters,
        metadata=metadata,
        extra={"OEBPS/nav.xhtml": nav(*entries)},
        manifest_extra=NAV_ITEM,
    )


# 1. images and covers ------------------------------------------------------------------


def test_image_declared_as_image_jpg_is_kept_and_is_the_cover() -> None:
    book = parse(
        make_epub(
            {"c.xhtml": xhtml('<p>Text.</p><p><img src="pic.jpeg" alt=""/></p>')},
            metadata=METADATA + '<meta name="cover" content="pic"/>',
            extra={"OEBPS/pic.jpeg": JPEG},
            manifest_extra='<item id="pic" href="pic.jpeg" media-type="image/jpg"/>',
        )
    )
    assert [image.media_type for image in book.images] == ["image/jpeg"]
    assert book.cover_image_id == book.images[0].id
    assert f'src="{image_url(book.images[0].id)}"' in book.chapters[0].html


def test_cover_found_through_the_guide_when_the_cover_meta_names_a_missing_id() -> None:
    chapters = {
        "title.xhtml": xhtml('<div><img src="img/front.jpeg" alt="Front"/></div>'),
        "c.xhtml": xhtml("<h1>One</h1><p>Text.</p>"),
    }
    manifest = "".join(
        f'<item id="c{i}" href="{name}" media-type="application/xhtml+xml"/>'
        for i, name in enumerate(chapters)
    )
    opf = OPF.format(
        metadata=METADATA + '<meta name="cover" content="no-such-id"/>',
        manifest=manifest + '<item id="i" href="img/front.jpeg" media-type="image/jpeg"/>',
        spine='<itemref idref="c0"/><itemref idref="c1"/>',
    ).replace("</package>", '<guide><reference type="cover" href="title.xhtml"/></guide></package>')
    book = parse(make_epub(chapters, opf=opf, extra={"OEBPS/img/front.jpeg": JPEG}))
    assert book.cover_image_id is not None and book.cover_image_id == book.images[0].id


# 2. creators with several roles ----------------------------------------------------------


def test_creator_refined_by_several_roles_is_an_author_when_one_is_aut() -> None:
    metadata = (
        '<dc:identifier id="uid">x</dc:identifier><dc:title>Roles</dc:title>'
        "<dc:language>en</dc:language>"
        '<dc:creator id="a">Ann Author</dc:creator>'
        '<meta refines="#a" property="role" scheme="marc:relators">ann</meta>'
        '<meta refines="#a" property="role" scheme="marc:relators">aut</meta>'
        '<meta refines="#a" property="role" scheme="marc:relators">wat</meta>'
        '<dc:creator id="i">Ivan Illustrator</dc:creator>'
        '<meta refines="#i" property="role" scheme="marc:relators">ill</meta>'
        '<dc:creator id="t">Tom Translator</dc:creator>'
        '<meta refines="#t" property="role" scheme="marc:relators">aui</meta>'
        '<meta refines="#t" property="role" scheme="marc:relators">trl</meta>'
    )
    book = parse(make_epub({"c.xhtml": xhtml("<p>Text.</p>")}, metadata=metadata))
    assert book.metadata.authors == ["Ann Author"]
    assert book.metadata.translators == ["Tom Translator"]


# 3. block elements the sanitiser does not know -------------------------------------------

UNKNOWN_BLOCKS = [
    "address",
    "center",
    "header",
    "footer",
    "main",
    "hgroup",
    "nav",
    "form",
    "dialog",
    "fieldset",
]


def test_unknown_block_elements_keep_their_paragraph_identity() -> None:
    body = "".join(f"<{tag}>In {tag}.</{tag}>" for tag in UNKNOWN_BLOCKS) + (
        "<details><summary>Summary line.</summary><p>Details body.</p></details>"
        "<fieldset><legend>Legend line.</legend>Field text.</fieldset>"
    )
    book = parse(make_epub({"c.xhtml": xhtml(f"<h1>Blocks</h1>{body}")}))
    paragraphs = book.chapters[0].text.split("\n\n")
    assert paragraphs[1 : len(UNKNOWN_BLOCKS) + 1] == [f"In {tag}." for tag in UNKNOWN_BLOCKS]
    assert paragraphs[-4:] == ["Summary line.", "Details body.", "Legend line.", "Field text."]
    assert_consistent(book)  # every paragraph still has its data-p element, same text


# 4. note reference labels ---------------------------------------------------------------


def test_note_reference_labels_stay_in_the_html_but_not_in_the_text() -> None:
    body = (
        '<p>Goodbye<a epub:type="noteref" href="#n3">3</a> my fancy.</p>'
        '<p>Sortie<sup>[<a href="#fn4">4</a>]</sup> - he said.</p>'
        '<aside epub:type="footnote" id="n3"><p>Third.</p></aside>'
        '<p id="fn4">Fourth note.</p>'
    )
    book = parse(make_epub({"c.xhtml": xhtml(body)}))
    chapter = book.chapters[0]
    assert chapter.text == "Goodbye my fancy.\n\nSortie - he said."
    assert 'data-note="n3">3</a>' in chapter.html
    assert {note.id: note.text for note in book.footnotes} == {
        "n3": "Third.",
        "fn4": "Fourth note.",
    }
    assert_consistent(book)


def test_fb2_note_reference_labels_stay_out_of_the_text() -> None:
    book = parse(
        fb2(
            '<body><section><p>sortie<a l:href="#n1" type="note">4</a> - отвечал он.</p>'
            "</section></body>"
            '<body name="notes"><section id="n1"><title><p>4</p></title><p>Вылазка.</p>'
            "</section></body>"
        )
    )
    assert book.chapters[0].text == "sortie - отвечал он."
    assert 'data-note="n1">4</a>' in book.chapters[0].html
    assert_fb2_consistent(book)


# 5. <q> ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "He said “go ‘now’ home”."),
        ("ru", "Он сказал «иди „сейчас“ домой»."),
    ],
)
def test_q_elements_put_the_languages_quotes_in_the_text(language: str, expected: str) -> None:
    words = {"en": ("He said", "go", "now", "home"), "ru": ("Он сказал", "иди", "сейчас", "домой")}
    said, go, now, home = words[language]
    body = f"<p>{said} <q>{go} <q>{now}</q> {home}</q>.</p>"
    metadata = METADATA.replace(">en<", f">{language}<")
    book = parse(make_epub({"c.xhtml": xhtml(body)}, metadata=metadata))
    assert book.chapters[0].text == expected
    assert "<q>" not in book.chapters[0].html  # the marks are written once, as text
    assert_consistent(book)


# 6. back-links in notes -----------------------------------------------------------------


def test_back_links_are_not_part_of_a_notes_text() -> None:
    body = (
        '<p>Text<a id="r1" epub:type="noteref" href="#n1">1</a> and'
        '<a id="r2" epub:type="noteref" href="#n2">2</a>.</p>'
        '<aside epub:type="footnote" id="n1"><p>One. <a href="#r1">↩︎</a></p></aside>'
        '<aside epub:type="footnote" id="n2"><p>Two.'
        ' <a href="#r2" role="doc-backlink">Back</a></p></aside>'
    )
    book = parse(make_epub({"c.xhtml": xhtml(body)}))
    assert [note.text for note in book.footnotes] == ["One.", "Two."]


# 7. chapters split across files ----------------------------------------------------------


def test_file_without_toc_entry_or_heading_continues_the_previous_chapter() -> None:
    chapters = {
        "title.xhtml": xhtml("<p>A Book</p><p>by Someone</p>"),
        "c1.xhtml": xhtml('<h1>One</h1><p>First half.</p><p><a href="c1b.xhtml#x">on</a></p>'),
        "c1b.xhtml": xhtml('<p id="x">Second half.</p>'),
        "c2.xhtml": xhtml("<h1>Two</h1><p>Next chapter.</p>"),
    }
    book = parse(book_with_nav(chapters, [("c1.xhtml", "One"), ("c2.xhtml", "Two")]))
    assert [chapter.title for chapter in book.chapters] == ["Title page", "One", "Two"]
    one = book.chapters[1]
    assert one.text == "One\n\nFirst half.\n\non\n\nSecond half."
    assert [(e.title, e.chapter, e.offset) for e in book.toc] == [("One", 1, 0), ("Two", 2, 0)]
    assert f'href="#pos-1-{one.text.index("Second")}"' in one.html
    assert_consistent(book)


def test_untitled_chapters_are_named_in_the_books_language() -> None:
    metadata = METADATA.replace(">en<", ">ru<")
    chapters = {"a.xhtml": xhtml("<p>Начало.</p>"), "b.xhtml": xhtml("<p>Конец.</p>")}
    book = parse(book_with_nav(chapters, [("a.xhtml", ""), ("b.xhtml", "")], metadata=metadata))
    assert [chapter.title for chapter in book.chapters] == ["Глава 1", "Глава 2"]


# 8. chapters left with only a heading ----------------------------------------------------


def test_chapter_left_with_only_its_heading_leaves_the_reading_order() -> None:
    chapters = {
        "c1.xhtml": xhtml(
            '<h1>One</h1><p>Text<a epub:type="noteref" href="notes.xhtml#n1">1</a>.</p>'
        ),
        "notes.xhtml": xhtml(
            '<h1>Endnotes</h1><aside epub:type="endnote" id="n1"><p>A note.</p></aside>'
        ),
    }
    listed = parse(book_with_nav(chapters, [("c1.xhtml", "One"), ("notes.xhtml", "Endnotes")]))
    assert [(c.title, c.linear) for c in listed.chapters] == [("One", True), ("Endnotes", False)]
    unlisted = parse(book_with_nav(chapters, [("c1.xhtml", "One")]))
    assert [c.title for c in unlisted.chapters] == ["One"]
    assert [note.text for note in unlisted.footnotes] == ["A note."]


def test_nav_document_in_the_spine_is_not_a_chapter_once_its_nav_is_gone() -> None:
    opf = OPF.format(
        metadata=METADATA,
        manifest=NAV_ITEM + '<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
        spine='<itemref idref="nav"/><itemref idref="c"/>',
    )
    data = make_epub(
        {"c.xhtml": xhtml("<h1>One</h1><p>Text.</p>")},
        opf=opf,
        extra={"OEBPS/nav.xhtml": nav(("c.xhtml", "One"))},
    )
    assert [chapter.title for chapter in parse(data).chapters] == ["One"]


# 9. direction ---------------------------------------------------------------------------


def _epub_with_spine(metadata: str, spine_attributes: str, body: str) -> bytes:
    opf = OPF.format(
        metadata=metadata,
        manifest='<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
        spine='<itemref idref="c"/>',
    ).replace("<spine>", f"<spine {spine_attributes}>")
    return make_epub({"c.xhtml": body}, opf=opf)


def test_right_to_left_book_records_its_direction() -> None:
    body = xhtml("<p>שלום עולם.</p>").replace("<body>", '<body dir="rtl">')
    data = _epub_with_spine(
        METADATA.replace(">en<", ">he<"), 'page-progression-direction="rtl"', body
    )
    book = parse(data)
    assert book.direction == "rtl" and book.chapters[0].direction == "rtl"
    assert book.chapters[0].html.startswith('<div dir="rtl">')
    assert_consistent(book)


def test_vertical_japanese_paged_right_to_left_is_still_left_to_right_text() -> None:
    data = _epub_with_spine(
        METADATA.replace(">en<", ">ja<"),
        'page-progression-direction="rtl"',
        xhtml("<p>吾輩は猫である。</p>"),
    )
    book = parse(data)
    assert book.direction == "ltr" and book.chapters[0].html.startswith('<div dir="ltr">')


def test_fb2_in_a_right_to_left_language() -> None:
    data = fb2("<body><section><p>مرحبا بالعالم.</p></section></body>").replace(
        b"<lang>ru</lang>", b"<lang>ar</lang>"
    )
    book = parse(data)
    assert book.direction == "rtl" and book.chapters[0].direction == "rtl"
    assert book.chapters[0].html.startswith('<div dir="rtl">')


# 10. CJK word counts --------------------------------------------------------------------


def test_cjk_text_is_counted_by_characters() -> None:
    sentence = "吾輩は猫である。名前はまだ無い。"  # 16 characters, no spaces
    text = sentence * 100
    assert count_words(text) == 1600
    assert reading_minutes(text) == round(1600 / 500)
    assert count_words("Two words " + sentence) == 2 + 16
    book = parse(make_epub({"c.xhtml": xhtml(f"<p>{text}</p>")}))
    assert book.word_count == 1600 and book.reading_minutes == 3


# 11. ruby -------------------------------------------------------------------------------


def test_ruby_annotations_are_shown_but_not_in_the_text() -> None:
    body = "<p><ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rt>じ</rt></ruby>を読む。</p>"
    book = parse(make_epub({"c.xhtml": xhtml(body)}))
    chapter = book.chapters[0]
    assert chapter.text == "漢字を読む。"
    assert "<rt>かん</rt>" in chapter.html and "<ruby>" in chapter.html
    assert_consistent(book)


# 13. whitespace -------------------------------------------------------------------------


def test_html_text_of_each_paragraph_is_exactly_its_plain_text() -> None:
    body = (
        "<p>\n\t  Tabs\tand\n   newlines &#160;and&#160;&#160;no-break\u00adspaces  </p>"
        "<p><br/>First line<br/><br/>  second <em> line </em> <br/></p>"
        "<pre>  code\n\n   indented  </pre>"
    )
    book = parse(make_epub({"c.xhtml": xhtml(body)}))
    chapter = book.chapters[0]
    assert chapter.text.split("\n\n") == [
        "Tabs and newlines and no-breakspaces",
        "First line\nsecond line",
        "code\nindented",
    ]
    assert "\t" not in chapter.html and "\u00a0" not in chapter.html
    assert chapter.html.count("<br>") == 1  # leading, doubled and trailing breaks are gone
    assert_consistent(book)


TRICKY_MARKUP = [
    "<p>text <div>inner block</div> tail</p>",
    "<table><tr><td>cell <b>one</b></td><td>two<br/>lines</td></tr>stray<tr><th>h</th></tr>"
    "</table>",
    "<table>loose in the table<tbody>in the body<tr><td>cell</td></tr></tbody></table>",
    "<ul><li>a<ul><li>b</li></ul>after</li></ul>",
    "<p>x<p>nested p</p>y</p>",
    "<dl><dt>term</dt><dd>def <p>para</p></dd></dl>",
    "<h2>Head <br/> two</h2><a href='#x'><p>link block</p></a>",
    "<div>loose <em>inline</em><table><tr><td>t</td></tr></table>after table</div>",
]


@pytest.mark.parametrize("markup", TRICKY_MARKUP)
def test_invalid_nesting_keeps_each_paragraph_in_its_own_data_p_element(markup: str) -> None:
    # the browser's parser moves or closes some of these; each paragraph must still be found
    # in order with exactly its text
    assert_consistent(parse(make_epub({"c.xhtml": xhtml(markup)})))


def test_fb2_paragraph_html_has_no_stray_spaces() -> None:
    book = parse(
        fb2(
            "<body><section><p>  Начало <emphasis> курсив </emphasis>  конец\u00a0 </p>"
            "</section></body>"
        )
    )
    assert book.chapters[0].text == "Начало курсив конец"
    assert_fb2_consistent(book)


# 15. image alt text ---------------------------------------------------------------------


def test_image_alt_text_is_not_part_of_the_text() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    book = parse(
        make_epub(
            {"c.xhtml": xhtml('<p>Before.</p><p><img src="p.png" alt="A red door"/>After.</p>')},
            extra={"OEBPS/p.png": png},
            manifest_extra='<item id="p" href="p.png" media-type="image/png"/>',
        )
    )
    assert book.chapters[0].text == "Before.\n\nAfter."
    assert 'alt="A red door"' in book.chapters[0].html
