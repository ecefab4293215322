"""The last step of every chapter's HTML: an allow-list sanitiser (nh3).

No scripts, no event handlers, no `style` (so no expressions), no external or `javascript:`
URLs. Parsers first rewrite every `src`/`href` into one of our own URLs — a same-site path
(`/books/…`) or a fragment (`#pos-…`, `#note-…`); any other URL is removed here.
"""

from __future__ import annotations

import re

import nh3

from bookreader.books.epub_content import BLOCK_TAGS

# A book's ids and classes share the page with the app's: a book must not be able to clobber
# the app's names (`id="root"`, DOM clobbering of globals) or pick up its styles. Ids become
# `bk-<id>` over a safe charset, and internal `#id` links with them; classes are kept only from
# the structural vocabulary the reader styles (FB2's and the block tags we unwrap), prefixed
# too. `data-*` holds only the reader's own attributes, numeric where they are positions.
PREFIX = "bk-"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")
_NUMERIC = re.compile(r"\d{1,9}")

TAGS = {
    "p",
    "div",
    "span",
    "section",
    "article",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "big",
    "blockquote",
    "cite",
    "q",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "img",
    "a",
    "figure",
    "figcaption",
    "pre",
    "code",
    "abbr",
    "time",
    "ruby",
    "rt",
    "rp",
}
REMOVED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
}
COMMON_ATTRIBUTES = {
    "lang",
    "dir",
    "title",
    "id",
    "data-p",
    "data-note",
    "data-chapter",
    "data-offset",
    "class",
}
ATTRIBUTES = {
    "*": COMMON_ATTRIBUTES,
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Our own URLs have no scheme; nothing with one survives.
URL_SCHEMES: set[str] = set()
OUR_FRAGMENTS = re.compile(r"#(pos-\d+-\d+|note-.*)")
_FB2_CLASSES = {"title", "subtitle", "text-author", "v", "date", "image", "epigraph", "cite"}
CLASSES = {*_FB2_CLASSES, "annotation", "poem", "stanza", *BLOCK_TAGS}


def is_own_url(value: str) -> bool:
    """A fragment, or a path on our own site (not `//host/…`)."""
    return value.startswith("#") or (value.startswith("/") and not value.startswith("//"))


def scoped_name(value: str) -> str:
    """A book-supplied id as it appears in our HTML."""
    return PREFIX + _UNSAFE_NAME.sub("_", value.strip())[:64]


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        value = value.strip()
        if not is_own_url(value):
            return None
        if value.startswith("#") and not OUR_FRAGMENTS.fullmatch(value):
            return "#" + scoped_name(value[1:]) if len(value) > 1 else None
        return value
    if attribute == "id":
        return scoped_name(value) if value.strip() else None
    if attribute == "class":
        kept = [PREFIX + name for name in value.split() if name in CLASSES]
        return " ".join(dict.fromkeys(kept)) or None
    if attribute in ("data-p", "data-chapter", "data-offset"):
        return value if _NUMERIC.fullmatch(value) else None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
