"""The OPDS catalogue as an e-reader app uses it, over HTTP through the real runtime, real
PostgreSQL, Redis and store: HTTP Basic with an app password made in the account page, feeds
that are valid Atom (RFC 4287, checked with a RELAX NG grammar) with OPDS 1.2's links, parsed
back by feedparser as apps parse them, paging, search through the OpenSearch description, and
downloads of the very bytes uploaded. A reader sees only their own books; the account password
and revoked app passwords are refused; guessing is limited."""

from __future__ import annotations

import base64
import io
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser
import pytest
import requests
from lxml import etree

from local.launcher import RunningRuntime
from tests.support.auth_client import AuthClient, Session, assert_error, fake_ip
from tests.support.epub import METADATA, make_epub, xhtml
from tests.support.fb2 import fb2
from tests.support.library import FIXTURES, PARSED, PUSHKIN, PUSHKIN_ZIP

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ATOM_GRAMMAR = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "fixtures" / "atom.rng")))
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUISITION_REL = "http://opds-spec.org/acquisition"
WASTE_LAND = FIXTURES / "epub" / "en-idpf-wasteland.epub3-rearnotes.epub"
KASHTANKA = FIXTURES / "epub" / "ru-gen-chekhov-kashtanka.epub3-nav-only.epub"
HEFTY_WATER = FIXTURES / "epub" / "en-idpf-hefty-water.epub3-minimal.epub"
PAGE_SIZE = 2


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    # A runtime of its own: feeds of two entries a page, so three books make pages.
    base = tmp_path_factory.mktemp("opds")
    env_file = base / "env.json"
    env_file.write_text(json.dumps({"OpdsFunction": {"OPDS_PAGE_SIZE": str(PAGE_SIZE)}}))
    with services.product_runtime(base, LOCAL_ENV_VARS=str(env_file)) as runtime:
        yield runtime


class Device:
    """An e-reader app signed in with an app password: it sends Basic credentials on every
    request, follows links from feed to feed, and follows a download's redirect."""

    def __init__(self, rt: RunningRuntime, email: str, password: str) -> None:
        self.origin = rt.api_url.removesuffix("/api")
        self.api = rt.api_url
        self.email, self.password = email, password
        self.ip = fake_ip()

    def url(self, href: str) -> str:
        """A feed's link (an absolute path under /api, as the feeds write them), or a path of
        the API as a person would type it into the app (`/opds`)."""
        if href.startswith("/api/"):
            return urljoin(self.origin, href)
        return self.api + href

    def get(self, href: str, *, password: str | None = None, **kwargs) -> requests.Response:
        login = f"{self.email}:{self.password if password is None else password}"
        token = base64.b64encode(login.encode()).decode()
        return requests.get(
            self.url(href),
            headers={"Authorization": f"Basic {token}", "X-Forwarded-For": self.ip},
            timeout=30,
            **kwargs,
        )

    def feed(self, href: str, kind: str) -> tuple[etree._Element, feedparser.FeedParserDict]:
        response = self.get(href)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == kind
        root = etree.fromstring(response.content)
        assert ATOM_GRAMMAR.validate(root), ATOM_GRAMMAR.error_log
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        return root, parsed


def links(element: etree._Element) -> dict[str, etree._Element]:
    return {link.get("rel"): link for link in element.findall(f"{ATOM}link")}


def entries(root: etree._Element) -> list[etree._Element]:
    return root.findall(f"{ATOM}entry")


def titles(root: etree._Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(root)]


def upload(client: AuthClient, session: Session, name: str, data: bytes) -> str:
    started = client.request(
        "POST", "/uploads", token=session.access_token, json={"filename": name, "size": len(data)}
    )
    assert started.status_code == 201, started.text
    upload = started.json()["upload"]
    assert requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30).ok
    return started.json()["book"]["id"]


def wait_parsed(client: AuthClient, session: Session, book_id: str) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        state = client.request("GET", f"/books/{book_id}", token=session.access_token).json()
        if state["state"] in PARSED:
            return
        assert state["state"] != "failed", state
        time.sleep(0.2)
    raise AssertionError(f"{book_id} not parsed")


def new_app_password(client: AuthClient, session: Session, scopes: list[str] | None = None) -> dict:
    body = {"name": "Kobo Libra 2", **({"scopes": scopes} if scopes else {})}
    response = client.request(
        "POST", "/account/app-passwords", token=session.access_token, json=body
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def library(rt: RunningRuntime) -> dict:
    """Alice with three books (two Russian, one English; two covers) and an app password; Bob
    with a book of his own."""
    client = AuthClient(rt)
    alice, bob = client.register(), client.register()
    books = {
        "pushkin": upload(client, alice, "Капитанская дочка.fb2", PUSHKIN.read_bytes()),
        "waste_land": upload(client, alice, "The Waste Land.epub", WASTE_LAND.read_bytes()),
        "kashtanka": upload(client, alice, "Каштанка.epub", KASHTANKA.read_bytes()),
        "bobs": upload(client, bob, "Капитанская дочка.fb2.zip", PUSHKIN_ZIP.read_bytes()),
    }
    for name, book_id in books.items():
        wait_parsed(client, bob if name == "bobs" else alice, book_id)
    return {
        "rt": rt,
        "client": client,
        "alice": alice,
        "bob": bob,
        "books": books,
        "device": Device(rt, alice.email, new_app_password(client, alice)["password"]),
    }


def test_an_e_reader_browses_the_library_from_the_root(library: dict) -> None:
    device: Device = library["device"]
    root, parsed = device.feed("/opds", NAVIGATION)
    assert {"self", "start", "search"} <= set(links(root))
    assert links(root)["search"].get("type") == "application/opensearchdescription+xml"
    assert root.findtext(f"{ATOM}id").startswith("urn:uuid:")
    sections = {
        entry.findtext(f"{ATOM}title"): entry.find(f"{ATOM}link") for entry in entries(root)
    }
    assert len(sections) == 4 and all(link.get("type") for link in sections.values())
    kinds = sorted(link.get("type") for link in sections.values())
    assert kinds == [ACQUISITION, ACQUISITION, NAVIGATION, NAVIGATION]
    assert "http://opds-spec.org/sort/new" in {link.get("rel") for link in sections.values()}
    assert len(parsed.entries) == 4 and parsed.feed.title
    # The same feed twice has the same ids: apps recognise what they have seen.
    again, _ = device.feed("/opds", NAVIGATION)
    assert [e.findtext(f"{ATOM}id") for e in entries(again)] == [
        e.findtext(f"{ATOM}id") for e in entries(root)
    ]


def test_recent_books_come_in_pages_with_covers_and_acquisition_links(library: dict) -> None:
    device: Device = library["device"]
    books = library["books"]
    first, parsed = device.feed("/opds/recent", ACQUISITION)
    assert titles(first) == ["Каштанка", "The Waste Land"], "newest first, two a page"
    assert {"first", "last", "next"} <= set(links(first)) and "previous" not in links(first)
    second, _ = device.feed(links(first)["next"].get("href"), ACQUISITION)
    assert titles(second) == ["Капитанская дочка"]
    assert "next" not in links(second) and "previous" in links(second)
    assert links(second)["self"].get("href") == links(first)["last"].get("href")

    by_id = {entry.findtext(f"{ATOM}id"): entry for entry in entries(first) + entries(second)}
    assert set(by_id) == {
        f"urn:uuid:{books[name]}" for name in ("pushkin", "waste_land", "kashtanka")
    }
    pushkin = links(by_id[f"urn:uuid:{books['pushkin']}"])
    assert pushkin[ACQUISITION_REL].get("type") == "application/x-fictionbook+xml"
    assert pushkin["http://opds-spec.org/image"].get("type") == "image/png"
    assert pushkin["http://opds-spec.org/image/thumbnail"].get("href")
    waste_land = by_id[f"urn:uuid:{books['waste_land']}"]
    assert links(waste_land)[ACQUISITION_REL].get("type") == "application/epub+zip"
    assert waste_land.findtext(f"{ATOM}author/{ATOM}name") == "T.S. Eliot"
    assert waste_land.findtext("{http://purl.org/dc/terms/}language") == "en-us"
    assert "http://opds-spec.org/image" not in links(by_id[f"urn:uuid:{books['kashtanka']}"])

    # feedparser, as apps read it: authors, the acquisition link, the cover.
    entry = next(item for item in parsed.entries if item.title == "The Waste Land")
    assert entry.author == "T.S. Eliot"
    kinds = {link.rel: link.type for link in entry.links}
    assert kinds[ACQUISITION_REL] == "application/epub+zip"

    cover = requests.get(pushkin["http://opds-spec.org/image"].get("href"), timeout=30)
    assert cover.status_code == 200 and cover.content[:8] == b"\x89PNG\r\n\x1a\n", (
        "a cover loads without credentials, as apps load pictures"
    )


def test_a_download_is_the_file_that_was_uploaded(library: dict) -> None:
    device: Device = library["device"]
    recent, _ = device.feed("/opds/recent?page=2", ACQUISITION)
    href = links(entries(recent)[0])[ACQUISITION_REL].get("href")
    redirect = device.get(href, allow_redirects=False)
    assert redirect.status_code == 302 and redirect.headers["Location"]
    # An app follows the redirect to the store without sending its credentials there.
    file = requests.get(redirect.headers["Location"], timeout=30)
    assert file.status_code == 200
    assert file.content == PUSHKIN.read_bytes()
    assert file.headers["Content-Type"] == "application/x-fictionbook+xml"
    assert "attachment" in file.headers.get("Content-Disposition", "")

    epub = device.get(f"/opds/books/{library['books']['waste_land']}/file")  # redirect followed
    assert epub.status_code == 200 and epub.content == WASTE_LAND.read_bytes()


def test_by_author_and_by_language_narrow_the_list(library: dict) -> None:
    device: Device = library["device"]
    authors, _ = device.feed("/opds/authors", NAVIGATION)
    assert titles(authors) == ["T.S. Eliot", "Александр Пушкин"], "A–Z, two a page"
    more, _ = device.feed(links(authors)["next"].get("href"), NAVIGATION)
    assert titles(more) == ["Антон Чехов"]
    eliot = entries(authors)[0].find(f"{ATOM}link")
    assert eliot.get("type") == ACQUISITION
    by_eliot, _ = device.feed(eliot.get("href"), ACQUISITION)
    assert titles(by_eliot) == ["The Waste Land"]

    languages, _ = device.feed("/opds/languages", NAVIGATION)
    counts = {
        entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}content")
        for entry in entries(languages)
    }
    assert set(counts) == {"Русский", "English"}
    russian = next(e for e in entries(languages) if e.findtext(f"{ATOM}title") == "Русский")
    in_russian, _ = device.feed(russian.find(f"{ATOM}link").get("href"), ACQUISITION)
    assert sorted(titles(in_russian)) == ["Капитанская дочка", "Каштанка"]


def test_search_goes_through_the_opensearch_description(library: dict) -> None:
    device: Device = library["device"]
    root, _ = device.feed("/opds", NAVIGATION)
    description = device.get(links(root)["search"].get("href"))
    assert description.status_code == 200
    assert description.headers["Content-Type"] == "application/opensearchdescription+xml"
    url = etree.fromstring(description.content).find(f"{OPENSEARCH}Url")
    assert url.get("type") == ACQUISITION and "{searchTerms}" in url.get("template")

    def search(terms: str) -> tuple[etree._Element, feedparser.FeedParserDict]:
        return device.feed(url.get("template").replace("{searchTerms}", terms), ACQUISITION)

    # The title matches, and so does the text: the book is listed once.
    found, parsed = search("дочка")
    assert titles(found) == ["Капитанская дочка"]
    assert found.findtext(f"{OPENSEARCH}totalResults") == "1"
    by_author, _ = search("eliot")
    assert titles(by_author) == ["The Waste Land"]
    nothing, _ = search("Достоевский")
    assert titles(nothing) == [] and parsed.feed.title


def test_a_word_only_in_a_books_text_finds_it_in_any_form(library: dict) -> None:
    device: Device = library["device"]
    # «столяром» is in no title and in no text; Каштанка's text has «столяр» and «столяра».
    found, parsed = device.feed("/opds/search?q=столяром", ACQUISITION)
    assert [entry.title for entry in parsed.entries] == ["Каштанка"]
    assert parsed.feed.get("opensearch_totalresults") == "1"
    entry = parsed.entries[0]
    assert entry.id == f"urn:uuid:{library['books']['kashtanka']}"
    assert {link.rel for link in entry.links} >= {ACQUISITION_REL}
    assert titles(found) == ["Каштанка"]


def test_title_matches_come_before_books_whose_text_matches(library: dict) -> None:
    client: AuthClient = library["client"]
    carol = client.register()

    def named(title: str) -> bytes:
        metadata = METADATA.replace(
            "<dc:title>Generated</dc:title>", f"<dc:title>{title}</dc:title>"
        )
        metadata = metadata.replace(
            "<dc:language>en</dc:language>", "<dc:language>ru</dc:language>"
        )
        return make_epub(
            {"one.xhtml": xhtml("<p>Мастерская стояла на углу.</p>")}, metadata=metadata
        )

    # Her older books are named for the word; the newest only says it in its text.
    for name, data in (
        ("Столяры.epub", named("Столяры")),
        ("Столярное дело.epub", named("Столярное дело")),
        ("Каштанка.epub", KASHTANKA.read_bytes()),
    ):
        wait_parsed(client, carol, upload(client, carol, name, data))
    device = Device(library["rt"], carol.email, new_app_password(client, carol)["password"])
    found, _ = device.feed("/opds/search?q=столяр", ACQUISITION)
    assert titles(found) == ["Столярное дело", "Столяры"], "names first, newest first, two a page"
    assert found.findtext(f"{OPENSEARCH}totalResults") == "3"
    after, _ = device.feed(links(found)["next"].get("href"), ACQUISITION)
    assert titles(after) == ["Каштанка"] and "next" not in links(after)


def test_another_readers_books_never_appear(library: dict) -> None:
    device: Device = library["device"]
    bobs = library["books"]["bobs"]
    seen = []
    for href, kind in (
        ("/opds/recent", ACQUISITION),
        ("/opds/recent?page=2", ACQUISITION),
        ("/opds/books?language=ru", ACQUISITION),
        ("/opds/search?q=дочка", ACQUISITION),
    ):
        root, _ = device.feed(href, kind)
        seen += [entry.findtext(f"{ATOM}id") for entry in entries(root)]
    assert f"urn:uuid:{bobs}" not in seen and len(seen) >= 5
    assert_error(
        device.get(f"/opds/books/{bobs}/file", allow_redirects=False), 404, "book_not_found"
    )

    bob: Session = library["bob"]
    bob_secret = new_app_password(library["client"], bob, ["opds"])["password"]
    bob_device = Device(library["rt"], bob.email, bob_secret)
    bob_root, _ = bob_device.feed("/opds/recent", ACQUISITION)
    assert [entry.findtext(f"{ATOM}id") for entry in entries(bob_root)] == [f"urn:uuid:{bobs}"]
    assert links(entries(bob_root)[0])[ACQUISITION_REL].get("type") == "application/fb2+zip"


def test_the_account_password_and_a_revoked_app_password_are_refused(library: dict) -> None:
    client: AuthClient = library["client"]
    alice: Session = library["alice"]
    device = Device(library["rt"], alice.email, "")
    for password in (alice.password, "", "wrong-wrong-wrong-wrong-wrong"):
        refused = device.get("/opds", password=password)
        assert_error(refused, 401)
        assert refused.headers["WWW-Authenticate"] == 'Basic realm="BookReader AI", charset="UTF-8"'

    created = new_app_password(client, alice, ["opds"])
    assert device.get("/opds", password=created["password"]).status_code == 200
    listed = client.request("GET", "/account/app-passwords", token=alice.access_token).json()
    mine = next(item for item in listed["items"] if item["id"] == created["id"])
    assert mine["last_used_at"] and "password" not in mine
    revoked = client.request(
        "DELETE", f"/account/app-passwords/{created['id']}", token=alice.access_token
    )
    assert revoked.status_code == 204
    assert_error(device.get("/opds", password=created["password"]), 401, "invalid_credentials")
    # An app password is never a way into the account's own API or sign-in.
    other = new_app_password(client, alice)
    login = client.request(
        "POST", "/auth/login", json={"email": alice.email, "password": other["password"]}
    )
    assert_error(login, 401, "invalid_credentials")


def test_guessing_app_passwords_is_limited(library: dict) -> None:
    alice: Session = library["alice"]
    guesser = Device(library["rt"], alice.email, "")
    for attempt in range(5):  # RATE_LIMIT_LOGIN_IP_EMAIL failures from one address
        assert_error(guesser.get("/opds", password=f"guess-{attempt}"), 401, "invalid_credentials")
    limited = guesser.get("/opds", password=library["device"].password)
    assert_error(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1
    # The reader's own device, from its own address, browses on.
    assert library["device"].get("/opds").status_code == 200


def test_paging_past_the_end_and_bad_queries_answer_in_words(library: dict) -> None:
    device: Device = library["device"]
    beyond, _ = device.feed("/opds/recent?page=9", ACQUISITION)
    assert titles(beyond) == [] and "previous" in links(beyond)
    assert_error(device.get("/opds/search"), 422, "validation_failed")
    assert_error(device.get("/opds/recent?page=zero"), 422, "validation_failed")
    first = parse_qs(urlsplit(links(beyond)["first"].get("href")).query)
    assert "page" not in first


def wait_state(client: AuthClient, session: Session, book_id: str, states: tuple[str, ...]) -> str:
    deadline = time.time() + 180
    while time.time() < deadline:
        state = client.request("GET", f"/books/{book_id}", token=session.access_token).json()
        if state["state"] in (*states, "failed", "extraction_unsupported_language"):
            return state["state"]
        time.sleep(0.25)
    raise AssertionError(f"{book_id} stuck")


def test_ready_books_offer_an_illustrated_epub_made_on_first_ask(library: dict) -> None:
    client: AuthClient = library["client"]
    dave = client.register()
    story = "Метель мела третий день, и столяр не выходил из мастерской."
    original = fb2(
        f"<body><section><title><p>Глава первая</p></title><p>{story}</p></section></body>"
    )
    book_id = upload(client, dave, "Проба.fb2", original)
    assert wait_state(client, dave, book_id, ("ready",)) == "ready"
    device = Device(library["rt"], dave.email, new_app_password(client, dave)["password"])

    recent, parsed = device.feed("/opds/recent", ACQUISITION)
    offered = [
        link
        for link in entries(recent)[0].findall(f"{ATOM}link")
        if link.get("rel") == ACQUISITION_REL
    ]
    assert [link.get("type") for link in offered] == [
        "application/x-fictionbook+xml",
        "application/epub+zip",
    ], "an FB2 original, and the illustrated edition as EPUB"
    illustrated = offered[1]
    assert illustrated.get("title") == "EPUB with illustrations"
    assert illustrated.get("href").endswith(f"/opds/books/{book_id}/illustrated.epub")
    assert "EPUB with illustrations" in {link.get("title") for link in parsed.entries[0].links}

    # The first ask starts the build: the app is told to come back, in words and in seconds.
    first = device.get(illustrated.get("href"), allow_redirects=False)
    error = assert_error(first, 503, "export_in_progress")
    assert int(first.headers["Retry-After"]) >= 1 and error["details"]["export_id"]
    deadline = time.time() + 120
    answer = first
    while answer.status_code == 503 and time.time() < deadline:
        time.sleep(0.5)
        answer = device.get(illustrated.get("href"), allow_redirects=False)
    assert answer.status_code == 302, answer.text
    epub = requests.get(answer.headers["Location"], timeout=30)  # no credentials to the store
    assert epub.status_code == 200
    assert epub.headers["Content-Type"] == "application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(epub.content)) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
        pages = [
            archive.read(name).decode() for name in archive.namelist() if name.endswith("html")
        ]
    assert any(story in page for page in pages)
    # Asked again, the cached file is handed over at once (the same export).
    again = device.get(illustrated.get("href"), allow_redirects=False)
    assert again.status_code == 302

    # A book whose passages are not found (a language extraction does not read) can be read
    # and downloaded, but has no illustrated edition.
    metadata = METADATA.replace("<dc:language>en</dc:language>", "<dc:language>de</dc:language>")
    german = make_epub(
        {"one.xhtml": xhtml("<p>Der Schnee fiel die ganze Nacht auf das stille Dorf.</p>")},
        metadata=metadata.replace("<dc:title>Generated</dc:title>", "<dc:title>Schnee</dc:title>"),
    )
    plain_id = upload(client, dave, "Schnee.epub", german)
    assert wait_state(client, dave, plain_id, ("ready",)) == "extraction_unsupported_language"
    recent, _ = device.feed("/opds/recent", ACQUISITION)
    plain = next(e for e in entries(recent) if e.findtext(f"{ATOM}id") == f"urn:uuid:{plain_id}")
    assert [
        link.get("type")
        for link in plain.findall(f"{ATOM}link")
        if link.get("rel") == ACQUISITION_REL
    ] == ["application/epub+zip"], "the original only"
    assert_error(
        device.get(f"/opds/books/{plain_id}/illustrated.epub", allow_redirects=False),
        409,
        "book_not_ready",
    )

    bobs = library["books"]["bobs"]
    assert_error(
        device.get(f"/opds/books/{bobs}/illustrated.epub", allow_redirects=False),
        404,
        "book_not_found",
    )


def test_feeds_answer_head_like_get_without_a_body(library: dict) -> None:
    device: Device = library["device"]
    for href, kind in (
        ("/opds", NAVIGATION),
        ("/opds/recent", ACQUISITION),
        ("/opds/search?q=дочка", ACQUISITION),
        ("/opds/opensearch.xml", "application/opensearchdescription+xml"),
    ):
        login = f"{device.email}:{device.password}"
        token = base64.b64encode(login.encode()).decode()
        head = requests.head(
            device.url(href),
            headers={"Authorization": f"Basic {token}", "X-Forwarded-For": device.ip},
            timeout=30,
        )
        assert head.status_code == 200, (href, head.status_code)
        assert head.headers["Content-Type"] == kind and not head.content
        assert int(head.headers["Content-Length"]) > 0, "the length a GET would carry"
    refused = requests.head(device.url("/opds"), timeout=30)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Basic")
