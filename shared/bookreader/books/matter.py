"""Which parts of a book are the story: notes, glossaries, tables of contents, indexes,
copyright pages and Project Gutenberg's licence stay readable but are not extracted from or
illustrated (an editor's endnote is not a scene).

Structure decides first (EPUB `epub:type`/`role`, guide and landmarks, spine `linear="no"`;
FB2 note bodies never become chapters), then a conservative rule on a chapter's whole title,
then, inside a chapter, a back-matter heading standing alone as a paragraph ("Примечания")
ends the story there — books made from plain text often carry their notes at the end of the
last chapter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# epub:type values (EPUB 3 Structural Semantics) and their DPUB-ARIA `doc-` roles.
NON_STORY_TYPES = frozenset(
    {
        "toc",
        "landmarks",
        "loi",
        "lot",
        "endnotes",
        "rearnotes",
        "footnotes",
        "copyright-page",
        "colophon",
        "index",
        "glossary",
        "bibliography",
        "errata",
        "acknowledgments",
    }
)
# EPUB 2 <guide> reference types with the same meaning.
NON_STORY_GUIDE_TYPES = frozenset(
    {"toc", "notes", "glossary", "index", "copyright-page", "colophon", "bibliography"}
)

GUTENBERG_END = re.compile(r"(?i)^\*{3} ?END OF (THE|THIS) PROJECT GUTENBERG")
_APOSTROPHE = re.compile("['’`]")
_PUNCTUATION = re.compile(r"[\s.:;,!*\[\]«»\"-]+")
_PARENTHESIS = re.compile(r"\([^)]*\)")
# A whole chapter title, normalised (lower case, no parenthesis, no punctuation at the ends).
_TITLE = re.compile(
    r"(?:(?:editor|translator|transcriber|original transcriber|author)s? )?"
    r"(?:notes|end ?notes|footnotes|comments|commentary|glossary|contents|table of contents"
    r"|brief contents|index|copyright|copyright page|colophon|bibliography|etymology|extracts"
    r"|(?:the )?(?:full )?project gutenberg licen[cs]e)"
    r"|(?:notes|comments) (?:on|to) the text"
    r"|примечания|комментарии|примечания и комментарии|словарь|глоссарий|оглавление"
    r"|содержание|(?:именной |предметный )?указатель|библиография|список литературы"
    r"|выходные данные"
    r"|(?:примечания|комментарии) (?:автора|редактора|переводчика|к тексту)"
)
# A paragraph standing alone inside a chapter that starts its notes (narrower than titles:
# "Contents" or "Index" alone in a chapter could be a word of the story).
_NOTES_HEADING = re.compile(
    r"(?:notes|end ?notes|footnotes|comments|glossary|примечания|комментарии"
    r"|примечания и комментарии|словарь|глоссарий)"
)
_THE_END = re.compile(r"(?:the end|finis|конец|конец романа|конец повести)")
# A table of contents inside a chapter: this heading standing alone, then only short lines
# (Project Gutenberg's title pages: the title, the author, "Contents", the chapters' titles).
_CONTENTS_HEADING = re.compile(r"(?:contents|table of contents|оглавление|содержание)")
_LINE = 100  # characters: a title's or a contents entry's line, not a paragraph of the story
_CONTENTS_ENTRIES = 3


def _normal(title: str) -> str:
    bare = _APOSTROPHE.sub("", _PARENTHESIS.sub(" ", title.lower()))
    return _PUNCTUATION.sub(" ", bare).strip()


def is_non_story_type(types: Iterable[str]) -> bool:
    """`types`: a document's or section's epub:type values and role."""
    return any(t.removeprefix("doc-") in NON_STORY_TYPES for t in types)


def is_non_story_title(title: str) -> bool:
    """The whole title names back matter or a table of contents ("Примечания", "Notes",
    "EXTRACTS (Supplied by a Sub-Sub-Librarian).")."""
    return bool(_TITLE.fullmatch(_normal(title)))


def story_paragraphs(
    title: str,
    text: str,
    paragraphs: list[tuple[int, int]],
    *,
    story: bool = True,
    linear: bool = True,
) -> list[tuple[int, int]]:
    """The paragraphs of a chapter to extract descriptions from: none for a chapter that is not
    the story (`story` from the parser's structure, non-linear, a back-matter title, Project
    Gutenberg's licence), else those before an in-chapter notes heading — or before the
    "Конец"/"The End" that precedes one (an editor's afterword sits between). A title page
    with its table of contents has none."""
    first = text[paragraphs[0][0] : paragraphs[0][1]] if paragraphs else ""
    if not story or not linear or is_non_story_title(title) or GUTENBERG_END.match(first):
        return []
    end_mark = None
    for number, (start, end) in enumerate(paragraphs):
        paragraph = text[start:end]
        if GUTENBERG_END.match(paragraph):
            return paragraphs[:number]
        if end - start > 60 or number == 0:
            continue
        normal = _normal(paragraph)
        if _THE_END.fullmatch(normal) and end_mark is None:
            end_mark = number
        elif _NOTES_HEADING.fullmatch(normal):
            return paragraphs[: end_mark if end_mark is not None else number]
        elif _CONTENTS_HEADING.fullmatch(normal) and _contents(paragraphs[number + 1 :]):
            before = paragraphs[:number]
            return [] if _lines(before) else before  # a title page, or the story before it
    return paragraphs


def _lines(paragraphs: list[tuple[int, int]]) -> bool:
    return all(end - start <= _LINE for start, end in paragraphs)


def _contents(paragraphs: list[tuple[int, int]]) -> bool:
    return len(paragraphs) >= _CONTENTS_ENTRIES and _lines(paragraphs)
