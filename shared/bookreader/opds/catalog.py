"""The feeds of one reader's catalogue, built from their library: the root (navigation), the
newest books, all books A–Z, by author, by language, and search results (acquisition feeds,
paged). Only books a reader can open are listed, and only the reader's own.

The same feeds are served twice, one content in two serialisations: OPDS 1.2 (Atom, `atom.py`)
under `/opds` and OPDS 2.0 (JSON, `opds2.py`) under `/opds/v2`; a `Catalog` of `version` 2 only
points its links at the JSON feeds and names the JSON media types. Downloads are one set of
routes for both (`/opds/books/{id}/file`, `…/illustrated.epub`).

Links are absolute paths under the API's mount (`/api/opds/…`), which apps resolve against the
feed's URL; pictures are short-lived presigned URLs of the store, which need no credentials.
Ids are URNs: `urn:uuid:<book id>` for a book, a name-based UUID of (user, feed) for a feed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlencode

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.library import books, keys, views
from bookreader.library.lifecycle import READABLE
from bookreader.library.records import BookImageRecord, BookRecord
from bookreader.opds import acquisition, search
from bookreader.opds.atom import (
    ACQUISITION,
    NAVIGATION,
    OPDS_JSON,
    OPENSEARCH_DESCRIPTION,
    REL_IMAGE,
    REL_SORT_NEW,
    REL_THUMBNAIL,
    Entry,
    Feed,
    Link,
    Paging,
)

PRODUCT = "BookReader AI"
# A publication's own OPDS 2.0 document (`/opds/v2/books/{id}`).
OPDS_PUBLICATION = "application/opds-publication+json"
_URN_NAMESPACE = uuid.UUID("6f0c7a51-3d54-4c3e-9a43-0e9b8f6f1a18")  # this catalogue's own
Locale = Literal["ru", "en"]
Version = Literal[1, 2]

_STRINGS: dict[str, dict[Locale, str]] = {
    "library": {"en": "My library", "ru": "Моя библиотека"},
    "recent": {"en": "Recently added", "ru": "Недавно добавленные"},
    "recent_about": {"en": "The newest books first", "ru": "Сначала новые книги"},
    "all": {"en": "All books A–Z", "ru": "Все книги от А до Я"},
    "all_about": {"en": "Every book by title", "ru": "Все книги по названию"},
    "authors": {"en": "By author", "ru": "По авторам"},
    "authors_about": {"en": "Authors A–Z", "ru": "Авторы по алфавиту"},
    "languages": {"en": "By language", "ru": "По языкам"},
    "languages_about": {"en": "Books in each language", "ru": "Книги на каждом языке"},
    "search": {"en": "Search", "ru": "Поиск"},
    "search_about": {
        "en": "Search your library: titles, authors and the books' text",
        "ru": "Поиск по библиотеке: названия, авторы и текст книг",
    },
    "results": {"en": "Search: {terms}", "ru": "Поиск: {terms}"},
    "books": {"en": "{count} books", "ru": "Книг: {count}"},
    "words": {"en": "{format}, {words} words", "ru": "{format}, слов: {words}"},
    "next": {"en": "Next page", "ru": "Следующая страница"},
}
# Language names in the language itself; other codes are shown as they are.
_LANGUAGE_NAMES = {
    "ru": "Русский",
    "en": "English",
    "uk": "Українська",
    "be": "Беларуская",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "it": "Italiano",
    "pl": "Polski",
    "ja": "日本語",
    "zh": "中文",
    "ar": "العربية",
    "he": "עברית",
}


@dataclass(frozen=True)
class Catalog:
    """One reader's catalogue, as seen at `base` (the API's mount, e.g. `/api`), in OPDS
    `version` 1 (Atom) or 2 (JSON)."""

    user_id: str
    base: str
    locale: Locale = "en"
    version: Version = 1

    @property
    def page_size(self) -> int:
        return get_settings().opds_page_size

    def say(self, key: str, **values: object) -> str:
        return _STRINGS[key][self.locale].format(**values)

    def path(self, name: str) -> str:
        return f"{self.base}/opds{'/v2' if self.version == 2 else ''}{name}"

    @property
    def navigation(self) -> str:
        return OPDS_JSON if self.version == 2 else NAVIGATION

    @property
    def acquisition(self) -> str:
        return OPDS_JSON if self.version == 2 else ACQUISITION

    @property
    def search_param(self) -> str:
        # OpenSearch's template names it `q`; OPDS 2.0's templated link conventionally `query`.
        return "query" if self.version == 2 else "q"

    def twin(self) -> Catalog:
        """The same catalogue in the other OPDS version."""
        return replace(self, version=1 if self.version == 2 else 2)

    def urn(self, name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_URN_NAMESPACE, f'{self.user_id}/{name}')}"

    def common_links(
        self, name: str, kind: str, params: dict[str, str] | None = None, page: int = 1
    ) -> list[Link]:
        """self, start, search, and the feed's twin in the other version (Atom names it an
        alternate; the JSON feeds do not point back at Atom)."""
        params = params or {}
        links = [
            Link(href=self._page_href(name, params, page), rel="self", type=kind),
            Link(href=self.path(""), rel="start", type=self.navigation, title=PRODUCT),
        ]
        if self.version == 2:
            links.append(
                Link(
                    href=self.path("/search") + "{?query}",
                    rel="search",
                    type=OPDS_JSON,
                    title=self.say("search"),
                    templated=True,
                )
            )
            return links
        links.append(
            Link(
                href=self.path("/opensearch.xml"),
                rel="search",
                type=OPENSEARCH_DESCRIPTION,
                title=self.say("search"),
            )
        )
        twin = self.twin()
        twin_params = {
            (twin.search_param if key == self.search_param else key): value
            for key, value in params.items()
        }
        links.append(
            Link(href=twin._page_href(name, twin_params, page), rel="alternate", type=OPDS_JSON)
        )
        return links

    # --- navigation feeds --------------------------------------------------------------------

    def root(self) -> Feed:
        now = datetime.now(UTC)
        sections = [
            ("recent", self.path("/recent"), REL_SORT_NEW, self.acquisition),
            ("all", self.path("/books"), "subsection", self.acquisition),
            ("authors", self.path("/authors"), "subsection", self.navigation),
            ("languages", self.path("/languages"), "subsection", self.navigation),
        ]
        entries = [
            Entry(
                id=self.urn(f"section/{name}"),
                title=self.say(name),
                updated=now,
                content=self.say(f"{name}_about"),
                links=[Link(href=href, rel=rel, type=kind)],
            )
            for name, href, rel, kind in sections
        ]
        return Feed(
            id=self.urn("root"),
            title=f"{PRODUCT}: {self.say('library')}",
            updated=now,
            author=PRODUCT,
            links=self.common_links("", self.navigation),
            entries=entries,
        )

    def authors(self, page: int) -> Feed:
        offset = (page - 1) * self.page_size
        counts, total = books.author_counts(self.user_id, offset=offset, limit=self.page_size)
        now = datetime.now(UTC)
        entries = [
            Entry(
                id=self.urn(f"author/{name}"),
                title=name,
                updated=now,
                content=self.say("books", count=count),
                links=[
                    Link(
                        href=f"{self.path('/books')}?{urlencode({'author': name})}",
                        rel="subsection",
                        type=self.acquisition,
                    )
                ],
            )
            for name, count in counts
        ]
        links = self.common_links("/authors", self.navigation, page=page)
        links += self._paging_links("/authors", {}, page, total, self.navigation)
        return Feed(
            id=self.urn("authors"),
            title=self.say("authors"),
            updated=now,
            author=PRODUCT,
            links=links,
            entries=entries,
            paging=self._paging(page, total),
        )

    def languages(self) -> Feed:
        now = datetime.now(UTC)
        entries = [
            Entry(
                id=self.urn(f"language/{code}"),
                title=_LANGUAGE_NAMES.get(code.split("-")[0], code),
                updated=now,
                content=self.say("books", count=count),
                language=code,
                links=[
                    Link(
                        href=f"{self.path('/books')}?{urlencode({'language': code})}",
                        rel="subsection",
                        type=self.acquisition,
                    )
                ],
            )
            for code, count in books.language_counts(self.user_id)
        ]
        return Feed(
            id=self.urn("languages"),
            title=self.say("languages"),
            updated=now,
            author=PRODUCT,
            links=self.common_links("/languages", self.navigation),
            entries=entries,
        )

    # --- acquisition feeds -------------------------------------------------------------------

    def recent(self, page: int) -> Feed:
        found, total = books.list_books(
            self.user_id, readable_only=True, sort="created", page=page, page_size=self.page_size
        )
        return self._book_feed("recent", self.say("recent"), "/recent", {}, page, found, total)

    def all_books(self, page: int, *, author: str | None, language: str | None) -> Feed:
        found, total = books.list_books(
            self.user_id,
            readable_only=True,
            exact_author=author,
            language=language,
            sort="title",
            descending=False,
            page=page,
            page_size=self.page_size,
        )
        params = {
            name: value for name, value in (("author", author), ("language", language)) if value
        }
        title = author or (
            _LANGUAGE_NAMES.get(language.split("-")[0], language) if language else self.say("all")
        )
        key = "books?" + urlencode(params)
        return self._book_feed(key, title, "/books", params, page, found, total)

    def search(self, terms: str, page: int) -> Feed:
        found, total = search.search_books(self.user_id, terms, page=page, page_size=self.page_size)
        return self._book_feed(
            "search?" + urlencode({"q": terms}),
            self.say("results", terms=terms),
            "/search",
            {self.search_param: terms},
            page,
            found,
            total,
        )

    def publication(self, book_id: str) -> Entry:
        """One book as its catalogue entry (OPDS 2.0's publication document); 404 for anyone
        else's book, 409 for one that cannot be opened yet, as its download answers."""
        book = books.get_book(self.user_id, book_id)
        if book.state not in READABLE:
            raise BookReaderError("book_not_ready", "This book cannot be opened yet.", 409)
        return self._book_entry(book, books.cover_images([book.id]).get(book.id))

    def _book_feed(
        self,
        key: str,
        title: str,
        name: str,
        params: dict[str, str],
        page: int,
        found: list[BookRecord],
        total: int,
    ) -> Feed:
        covers = books.cover_images([book.id for book in found])
        entries = [self._book_entry(book, covers.get(book.id)) for book in found]
        links = self.common_links(name, self.acquisition, params, page)
        links += self._paging_links(name, params, page, total, self.acquisition)
        updated = max((book.updated_at for book in found), default=datetime.now(UTC))
        return Feed(
            id=self.urn(key),
            title=title,
            updated=updated,
            author=PRODUCT,
            links=links,
            entries=entries,
            paging=self._paging(page, total),
        )

    def _paging(self, page: int, total: int) -> Paging:
        return Paging(
            total=total, start_index=(page - 1) * self.page_size + 1, per_page=self.page_size
        )

    def _book_entry(self, book: BookRecord, cover: BookImageRecord | None) -> Entry:
        metadata = book.metadata or {}
        links: list[Link] = []
        if self.version == 2:  # OPDS 2.0 requires a publication's self link
            links.append(
                Link(href=self.path(f"/books/{book.id}"), rel="self", type=OPDS_PUBLICATION)
            )
        if cover is not None:
            cover_key, cover_type = cover.object_key, cover.media_type
            links.append(Link(href=views.presigned(cover_key), rel=REL_IMAGE, type=cover_type))
            if book.has_cover_thumb:
                thumb_key = keys.cover_thumb_key(book.user_id, book.id)
                links.append(
                    Link(href=views.presigned(thumb_key), rel=REL_THUMBNAIL, type="image/webp")
                )
            else:
                links.append(
                    Link(href=views.presigned(cover_key), rel=REL_THUMBNAIL, type=cover_type)
                )
        links += acquisition.acquisition_links(book, self.base)
        links.append(
            Link(href=f"/books/{book.id}", rel="alternate", type="text/html", title=PRODUCT)
        )
        description = metadata.get("description") or None
        words = f"{book.word_count or 0:,}"
        if self.locale == "ru":
            words = words.replace(",", "\u00a0")  # 5 995: Russian groups digits with spaces
        details = self.say("words", format=(book.format or "").upper(), words=words)
        return Entry(
            id=f"urn:uuid:{book.id}",
            title=book.title or book.filename,
            updated=book.updated_at,
            published=book.created_at,
            authors=list(book.authors),
            content=f"{description}\n\n{details}" if description else details,
            language=book.language,
            publisher=metadata.get("publisher") or None,
            categories=[str(subject) for subject in (metadata.get("subjects") or [])][:10],
            links=links,
        )

    def _page_href(self, name: str, params: dict[str, str], page: int) -> str:
        query = {**params, **({"page": str(page)} if page > 1 else {})}
        return self.path(name) + (f"?{urlencode(query)}" if query else "")

    def _paging_links(
        self, name: str, params: dict[str, str], page: int, total: int, kind: str
    ) -> list[Link]:
        last = max(1, -(-total // self.page_size))
        links = [
            Link(href=self._page_href(name, params, 1), rel="first", type=kind),
            Link(href=self._page_href(name, params, last), rel="last", type=kind),
        ]
        if page > 1:
            links.append(
                Link(
                    href=self._page_href(name, params, min(page - 1, last)),
                    rel="previous",
                    type=kind,
                )
            )
        if page < last:
            links.append(
                Link(
                    href=self._page_href(name, params, page + 1),
                    rel="next",
                    type=kind,
                    title=self.say("next"),
                )
            )
        return links
