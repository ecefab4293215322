"""FB2 body markup → HTML and plain-text paragraphs, driven by declarative tables.

Each table says which FB2 element becomes which HTML element in one context (inside a
section, a title, a poem, a table row, a paragraph); a short walker applies them. Nothing is
copied from the source document except text, so foreign attributes (`onerror`, `style`) and
foreign elements never reach the output; `sanitize_html` is the second line of defence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Literal

from lxml import etree

from bookreader.books.limits import Deadline, ParseLimits, book_error
from bookreader.books.paragraph_text import settle

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class Rule:
    tag: str | None  # HTML element; None = only the children; "h" = the chapter's heading
    css: str = ""  # class attribute
    content: str = "block"  # the table that applies to the children
    paragraph: bool = False  # the element is one paragraph of the chapter's text (data-p)
    kind: Literal["element", "link", "image", "void"] = "element"


_P = Rule("p", paragraph=True, content="inline")
_INNER_TITLE = Rule("div", "title", content="inner-title")

# Block context: every block element FB2 knows, wherever it turns up (invalid nesting is
# common in real books, so the context tables below only override this one).
BLOCK: dict[str, Rule] = {
    "p": _P,
    "subtitle": Rule("p", "subtitle", content="inline", paragraph=True),
    "text-author": Rule("p", "text-author", content="inline", paragraph=True),
    "v": Rule("p", "v", content="inline", paragraph=True),
    "date": Rule("p", "date", content="inline", paragraph=True),
    "empty-line": Rule("br", kind="void"),
    "image": Rule("figure", "image", kind="image"),
    "title": Rule("div", "title", content="title"),
    "epigraph": Rule("blockquote", "epigraph"),
    "cite": Rule("blockquote", "cite"),
    "annotation": Rule("div", "annotation"),
    "poem": Rule("div", "poem", content="poem"),
    "stanza": Rule("div", "stanza", content="poem"),
    "table": Rule("table", content="table"),
    "section": Rule("section"),
}
TABLES: dict[str, dict[str, Rule]] = {
    "block": BLOCK,
    "title": {"p": Rule("h", content="inline", paragraph=True)},
    "inner-title": {"p": Rule("p", "title", content="inline", paragraph=True)},
    "poem": {"title": _INNER_TITLE},
    "table": {"tr": Rule("tr", content="row")},
    "row": {
        "th": Rule("th", content="inline", paragraph=True),
        "td": Rule("td", content="inline", paragraph=True),
    },
    "inline": {
        "strong": Rule("strong", content="inline"),
        "emphasis": Rule("em", content="inline"),
        "strikethrough": Rule("s", content="inline"),
        "sub": Rule("sub", content="inline"),
        "sup": Rule("sup", content="inline"),
        "code": Rule("code", content="inline"),
        "a": Rule("a", content="inline", kind="link"),
        "image": Rule("img", kind="image"),
    },
}
# Dropped with their content wherever they appear (anything else unknown is unwrapped).
REMOVED = frozenset({"script", "iframe", "object", "embed", "noscript", "template", "svg", "math"})

_SPACE = re.compile(r"[ \t\r\n]+")  # XML whitespace only: keep no-break spaces as they are


def collapse(text: str) -> str:
    return _SPACE.sub(" ", text)


@dataclass
class Context:
    """What every writer of one book shares."""

    ns: str  # "{namespace}" of the FictionBook elements
    notes: set[str]  # ids of the footnote sections
    images: dict[str, str]  # binary id → BookImage id
    image_url: Callable[[str], str]
    limits: ParseLimits
    deadline: Deadline
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # FB2 id → position
    # Each element's place as KOReader names it ("/FictionBook/body/section[2]/p[5]").
    sources: dict[etree._Element, str] = field(default_factory=dict)

    def name(self, element: etree._Element) -> str | None:
        """The FB2 local name, or None for comments and elements of foreign namespaces."""
        tag = element.tag
        if not isinstance(tag, str):
            return None
        if tag.startswith(self.ns):
            return tag[len(self.ns) :]
        return None if tag.startswith("{") else tag

    def title_text(self, title: etree._Element | None) -> str:
        """A title as one line: its paragraphs joined, note markers left out."""
        if title is None:
            return ""
        lines = [collapse(self.plain_text(line)).strip() for line in title]
        lines = [line for line in lines if line]
        joined = ""
        for line in lines:
            if joined:
                joined += " " if joined[-1] in ".!?:;…" else ". "
            joined += line
        return joined

    def plain_text(self, element: etree._Element) -> str:
        name = self.name(element)
        if name is None or name in REMOVED or (name == "a" and self.note_id(element)):
            return ""
        inner = "".join(self.plain_text(child) + (child.tail or "") for child in element)
        return (element.text or "") + inner

    def note_id(self, link: etree._Element) -> str | None:
        target = href_target(link)
        return target if target in self.notes else None


def href_target(element: etree._Element) -> str | None:
    """The id an `l:href="#id"` points at (any prefix bound to XLink, or a bare href)."""
    href = (element.get(XLINK_HREF) or element.get("href") or "").strip()
    return href[1:] if href.startswith("#") and len(href) > 1 else None


class HtmlWriter:
    """Renders FB2 elements into one chapter's (or note's) HTML and paragraph texts."""

    def __init__(self, context: Context, chapter: int | None) -> None:
        self.context = context
        self.chapter = chapter  # None for footnotes: their ids are not reading positions
        self.html: list[str] = []
        self.paragraphs: list[str] = []
        self.sources: list[str] = []  # each paragraph's element in the file (KOReader's terms)
        self.length = 0  # length of the chapter text so far
        self._element: etree._Element | None = None  # the innermost element being written
        self.heading = "h1"
        # the open paragraph's text pieces: (index in `html`, raw text), settled at its end
        self._text: list[tuple[int, str]] | None = None
        self._hidden = 0  # inside a note reference: shown, but not part of the text

    @property
    def next_offset(self) -> int:
        return self.length + 2 if self.paragraphs else 0

    def mark(self, fb2_id: str | None) -> None:
        """Remember where an element with an id starts, for internal links."""
        if fb2_id and self.chapter is not None:
            self.context.positions.setdefault(fb2_id, (self.chapter, self.next_offset))

    def title(self, title: etree._Element, level: int) -> None:
        self.heading = f"h{min(level + 1, 6)}"
        self.element(title, "block")

    def element(self, element: etree._Element, table: str) -> None:
        name = self.context.name(element)
        if name is None or name in REMOVED:
            return
        self.mark(element.get("id"))
        outer, self._element = self._element, element
        try:
            self._element_content(element, name, table)
        finally:
            self._element = outer

    def _element_content(self, element: etree._Element, name: str, table: str) -> None:
        rule = TABLES[table].get(name) or (BLOCK.get(name) if table != "inline" else None)
        if rule is None:  # unknown or misplaced: keep its text, drop the wrapper
            self.children(element, table)
        elif rule.kind == "link":
            self._link(element)
        elif rule.kind == "image":
            self._image(element, rule)
        elif rule.kind == "void":
            self.html.append(f"<{rule.tag}>")
        elif rule.paragraph and self._text is None:
            self._paragraph(element, rule)
        elif rule.paragraph or rule.tag is None:  # a paragraph inside a paragraph: unwrap
            self.children(element, rule.content)
        else:
            tag = self._tag(rule)
            self.html.append(f"<{tag}{_class(rule)}>")
            self.children(element, rule.content)
            self.html.append(f"</{tag}>")

    def children(self, element: etree._Element, table: str) -> None:
        self.text(element.text, table)
        for child in element:
            self.element(child, table)
            self.text(child.tail, table)

    def text(self, text: str | None, table: str) -> None:
        if not text:
            return
        if self._text is not None and table == "inline":
            if not self._hidden:
                self._text.append((len(self.html), text))
            self.html.append(escape(collapse(text), quote=False))
        elif text.strip():  # stray text between blocks becomes a paragraph of its own
            _, settled = settle([text])
            data_p = self._add_paragraph(settled)
            self.html.append(f"<p{data_p}>{escape(settled, quote=False)}</p>")

    def _paragraph(self, element: etree._Element, rule: Rule) -> None:
        slot = len(self.html)
        self.html.append("")  # the opening tag, once we know whether it holds any text
        self._text = []
        self.children(element, rule.content)
        pieces, self._text = self._text, None
        outputs, text = settle([raw for _, raw in pieces])
        for (index, _), output in zip(pieces, outputs, strict=True):
            self.html[index] = escape(output, quote=False)  # the HTML's text is the text
        tag = self._tag(rule)
        self.html[slot] = f"<{tag}{_class(rule)}{self._add_paragraph(text)}>"
        self.html.append(f"</{tag}>")

    def _add_paragraph(self, text: str) -> str:
        """Append a paragraph to the text; its data-p attribute ("" when it holds no text)."""
        limits = self.context.limits
        if len(text) > limits.max_paragraph_chars:
            raise book_error("paragraph_too_long", f"{len(text)} characters")
        self.context.deadline.check()
        if not text:
            return ""
        self.length = self.next_offset + len(text)
        if self.length > limits.max_chapter_chars:
            raise book_error("chapter_too_long", f"more than {limits.max_chapter_chars}")
        self.paragraphs.append(text)
        element = self._element
        while element is not None and element not in self.context.sources:
            element = element.getparent()
        self.sources.append(self.context.sources.get(element, "") if element is not None else "")
        return f' data-p="{len(self.paragraphs) - 1}"'

    def _link(self, element: etree._Element) -> None:
        target = href_target(element)
        if target is None:  # external or empty: the text stays, the link goes
            attributes = ""
        elif target in self.context.notes:
            note = escape(target)
            self.html.append(f'<a href="#note-{note}" data-note="{note}">')
            self._hidden += 1  # the marker stays out of the text (paragraph_text)
            self.children(element, "inline")
            self._hidden -= 1
            self.html.append("</a>")
            return
        else:  # resolved to #pos-<chapter>-<offset> once every chapter is known
            attributes = f' href="#@{escape(target)}"'
        self.html.append(f"<a{attributes}>")
        self.children(element, "inline")
        self.html.append("</a>")

    def _image(self, element: etree._Element, rule: Rule) -> None:
        target = href_target(element)
        image_id = self.context.images.get(target or "")
        if image_id is None:  # missing or broken binary: no image, the book goes on
            return
        src = escape(self.context.image_url(image_id))
        alt = escape(element.get("alt") or "")
        title = element.get("title")
        img = f'<img src="{src}" alt="{alt}"' + (f' title="{escape(title)}">' if title else ">")
        if rule.tag == "img":
            self.html.append(img)
        else:
            self.html.append(f"<figure{_class(rule)}>{img}</figure>")

    def _tag(self, rule: Rule) -> str:
        return self.heading if rule.tag == "h" else rule.tag or "span"


def _class(rule: Rule) -> str:
    return f' class="{rule.css}"' if rule.css else ""
