"""The last step of every chapter's HTML: an allow-list sanitiser (nh3).

No scripts, no event handlers, no `style` (so no expressions), no external or `javascript:`
URLs. Parsers first rewrite every `src`/`href` into one of our own URLs — a same-site path
(`/books/…`) or a fragment (`#pos-…`, `#note-…`); any other URL is removed here.
"""

from __future__ import annotations

import nh3

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


def is_own_url(value: str) -> bool:
    """A fragment, or a path on our own site (not `//host/…`)."""
    return value.startswith("#") or (value.startswith("/") and not value.startswith("//"))


def _keep_own_urls(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return value if is_own_url(value.strip()) else None
    return value


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_own_urls,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
