"""The OPDS 2.0 (JSON) twin of the catalogue as an app that reads it uses it, over HTTP through
the real runtime, PostgreSQL, Redis and store: the root's navigation to the publications, paging,
the templated search, a download of the very bytes uploaded, and the same credentials, privacy
and HEAD answers as the Atom feeds.

Each publication's `metadata` is validated against the Readium Web Publication schemas vendored
in tests/fixtures/webpub-manifest; the OPDS layer around it is checked against the rules of the
OPDS 2.0 draft (https://drafts.opds.io/opds-2.0) by `assert_opds2_feed`, since the draft's own
schemas carry no licence to vendor them under."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from jsonschema import Draft7Validator, FormatChecker
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests import test_opds_http as atom_tests
from tests.support.auth_client import assert_error
from tests.support.library import PUSHKIN
from tests.test_opds_http import (
    ACQUISITION_REL,
    ATOM,
    NAVIGATION,
    WASTE_LAND,
    Device,
    entries,
    links,
    new_app_password,
)

# The Atom tests' runtime (two entries a page) and library (Alice's three books, Bob's one),
# built again for this module.
rt = atom_tests.rt
library = atom_tests.library

OPDS_JSON = "application/opds+json"
OPDS_PUBLICATION = "application/opds-publication+json"
ACQUISITION_RELS = {
    "http://opds-spec.org/acquisition",
    "http://opds-spec.org/acquisition/open-access",
    "http://opds-spec.org/acquisition/borrow",
    "http://opds-spec.org/acquisition/buy",
    "http://opds-spec.org/acquisition/sample",
    "http://opds-spec.org/acquisition/subscribe",
    "preview",
}
WEBPUB = Path(__file__).parent / "fixtures" / "webpub-manifest"


def _python_groups(text: str) -> str:
    # The BCP 47 patterns name their groups as ECMA-262 writes it, `(?<name>…)`; Python's `re`
    # (which jsonschema uses) spells it `(?P<name>…)`. The schemas have no lookbehinds.
    return text.replace("(?<", "(?P<")


def _webpub_metadata_validator() -> Draft7Validator:
    """The Readium metadata schema with the files it refers to, by the URIs they are known by
    (the schemas name themselves both http:// and https://)."""
    resources = []
    for file in WEBPUB.rglob("*.schema.json"):
        contents = json.loads(_python_groups(file.read_text()))
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        name = file.relative_to(WEBPUB).as_posix()
        for scheme in ("http", "https"):
            uri = f"{scheme}://readium.org/webpub-manifest/schema/{name}"
            resources.append((uri, resource))
    schema = json.loads(_python_groups((WEBPUB / "metadata.schema.json").read_text()))
    registry = Registry().with_resources(resources)
    return Draft7Validator(schema, registry=registry, format_checker=FormatChecker())


METADATA = _webpub_metadata_validator()


def rels(link: dict) -> set[str]:
    rel = link.get("rel", [])
    return {rel} if isinstance(rel, str) else set(rel)


def link_by(document: dict, rel: str) -> dict:
    return next(link for link in document["links"] if rel in rels(link))


def assert_publication(publication: dict, *, cover_required: bool = True) -> None:
    METADATA.validate(publication["metadata"])
    assert publication["metadata"]["title"] and publication["metadata"]["identifier"]
    assert all(link.get("href") for link in publication["links"])
    assert any("self" in rels(link) for link in publication["links"]), "a self link"
    assert any(rels(link) & ACQUISITION_RELS for link in publication["links"]), "acquisition"
    if cover_required or "images" in publication:
        images = publication["images"]
        assert images and all(image.get("href") for image in images)
        assert {image["type"] for image in images} & {"image/jpeg", "image/png", "image/gif"}


def assert_opds2_feed(document: dict) -> None:
    """The OPDS 2.0 draft's rules for a feed: `metadata` with a `title`, `links` with `self`,
    and a `navigation` (every link titled), `publications` or `groups` collection."""
    assert isinstance(document["metadata"]["title"], str) and document["metadata"]["title"]
    assert any("self" in rels(link) for link in document["links"]), "a self link"
    assert all(link.get("href") for link in document["links"])
    for link in document["links"]:
        if link.get("templated"):
            assert "{" in link["href"]
    assert {"navigation", "publications", "groups"} & set(document)
    for link in document.get("navigation", []):
        assert link["href"] and link["title"]
    for publication in document.get("publications", []):
        assert_publication(publication, cover_required=False)
    for name in ("numberOfItems", "itemsPerPage", "currentPage"):
        if name in document["metadata"]:
            assert isinstance(document["metadata"][name], int)


def feed(device: Device, href: str, kind: str = OPDS_JSON) -> dict:
    response = device.get(href)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == kind
    document = response.json()
    if kind == OPDS_JSON:
        assert_opds2_feed(document)
    return document


def titles(document: dict) -> list[str]:
    return [publication["metadata"]["title"] for publication in document["publications"]]


def search_href(document: dict, words: str) -> str:
    search = link_by(document, "search")
    assert search["templated"] is True and search["type"] == OPDS_JSON
    assert search["href"].endswith("{?query}")
    return search["href"].replace("{?query}", "?" + urlencode({"query": words}))


def test_the_root_leads_to_pages_of_publications_and_their_files(library: dict) -> None:
    device: Device = library["device"]
    books = library["books"]
    root = feed(device, "/opds/v2")
    assert link_by(root, "self")["href"].endswith("/opds/v2")
    assert link_by(root, "start")["type"] == OPDS_JSON
    sections = {link["rel"]: link for link in root["navigation"]}
    assert len(root["navigation"]) == 4 and "publications" not in root
    assert all(link["type"] == OPDS_JSON for link in root["navigation"])

    first = feed(device, sections["http://opds-spec.org/sort/new"]["href"])
    assert titles(first) == ["Каштанка", "The Waste Land"], "newest first, two a page"
    paging = {name: first["metadata"][name] for name in ("numberOfItems", "itemsPerPage")}
    assert paging == {"numberOfItems": 3, "itemsPerPage": 2}
    assert first["metadata"]["currentPage"] == 1
    assert not [link for link in first["links"] if "previous" in rels(link)]
    second = feed(device, link_by(first, "next")["href"])
    assert titles(second) == ["Капитанская дочка"] and second["metadata"]["currentPage"] == 2
    assert link_by(second, "previous")["href"] == link_by(first, "self")["href"]
    assert not [link for link in second["links"] if "next" in rels(link)]

    pushkin = second["publications"][0]
    assert_publication(pushkin)
    assert pushkin["metadata"]["@type"] == "http://schema.org/Book"
    assert pushkin["metadata"]["identifier"] == f"urn:uuid:{books['pushkin']}"
    assert pushkin["metadata"]["author"] == [{"name": "Александр Пушкин"}]
    assert pushkin["metadata"]["language"] == "ru"
    assert pushkin["images"][0]["type"] == "image/png"
    cover = requests.get(pushkin["images"][0]["href"], timeout=30)
    assert cover.status_code == 200 and cover.content[:8] == b"\x89PNG\r\n\x1a\n", (
        "a cover loads without credentials, as apps load pictures"
    )

    # The acquisition links are the Atom feed's, to the same download routes.
    acquisitions = [link for link in pushkin["links"] if rels(link) & ACQUISITION_RELS]
    atom = etree_entry(device, "/opds/recent?page=2", books["pushkin"])
    assert [(link["href"], link["type"]) for link in acquisitions] == [
        (link.get("href"), link.get("type"))
        for link in atom.findall(f"{ATOM}link")
        if link.get("rel") == ACQUISITION_REL
    ]
    file = device.get(acquisitions[0]["href"])  # the redirect to the store followed
    assert file.status_code == 200 and file.content == PUSHKIN.read_bytes()
    assert file.headers["Content-Type"] == "application/x-fictionbook+xml"

    # A publication's self link is its own document, the same as in the feed.
    own = feed(device, link_by(pushkin, "self")["href"], OPDS_PUBLICATION)
    assert_publication(own)
    assert own["metadata"] == pushkin["metadata"]


def etree_entry(device: Device, href: str, book_id: str) -> etree._Element:
    response = device.get(href)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return next(e for e in entries(root) if e.findtext(f"{ATOM}id") == f"urn:uuid:{book_id}")


def test_a_book_without_a_cover_is_listed_without_images(library: dict) -> None:
    device: Device = library["device"]
    recent = feed(device, "/opds/v2/recent")
    kashtanka = next(p for p in recent["publications"] if p["metadata"]["title"] == "Каштанка")
    # OPDS 2.0 asks for an image; we invent none (docs/e-readers.md). All else holds.
    assert "images" not in kashtanka
    assert_publication(kashtanka, cover_required=False)
    waste_land = next(p for p in recent["publications"] if p != kashtanka)
    assert_publication(waste_land)
    assert waste_land["metadata"]["language"] == "en-us"
    epub = device.get(link_by(waste_land, ACQUISITION_REL)["href"])
    assert epub.status_code == 200 and epub.content == WASTE_LAND.read_bytes()


def test_by_author_and_by_language_narrow_the_list(library: dict) -> None:
    device: Device = library["device"]
    root = feed(device, "/opds/v2")
    sections = {link["href"].rsplit("/", 1)[-1]: link for link in root["navigation"]}
    authors = feed(device, sections["authors"]["href"])
    assert [link["title"] for link in authors["navigation"]] == ["T.S. Eliot", "Александр Пушкин"]
    assert authors["metadata"]["numberOfItems"] == 3
    more = feed(device, link_by(authors, "next")["href"])
    assert [link["title"] for link in more["navigation"]] == ["Антон Чехов"]
    eliot = feed(device, authors["navigation"][0]["href"])
    assert titles(eliot) == ["The Waste Land"] and eliot["metadata"]["title"] == "T.S. Eliot"

    languages = feed(device, sections["languages"]["href"])
    named = {link["title"]: link for link in languages["navigation"]}
    assert set(named) == {"Русский", "English"}
    in_russian = feed(device, named["Русский"]["href"])
    assert sorted(titles(in_russian)) == ["Капитанская дочка", "Каштанка"]


def test_the_templated_search_finds_a_word_in_a_books_text(library: dict) -> None:
    device: Device = library["device"]
    root = feed(device, "/opds/v2")
    # «столяром» is in no title and not in the text as such; Каштанка has «столяр».
    found = feed(device, search_href(root, "столяром"))
    assert titles(found) == ["Каштанка"] and found["metadata"]["numberOfItems"] == 1
    assert found["publications"][0]["metadata"]["identifier"] == (
        f"urn:uuid:{library['books']['kashtanka']}"
    )
    by_title = feed(device, search_href(found, "дочка"))
    assert titles(by_title) == ["Капитанская дочка"]
    assert titles(feed(device, search_href(root, "Достоевский"))) == []
    assert_error(device.get("/opds/v2/search"), 422, "validation_failed")


def test_another_readers_books_never_appear(library: dict) -> None:
    device: Device = library["device"]
    bobs = library["books"]["bobs"]
    seen = []
    for href in (
        "/opds/v2/recent",
        "/opds/v2/recent?page=2",
        "/opds/v2/books?language=ru",
        "/opds/v2/search?query=дочка",
    ):
        seen += [p["metadata"]["identifier"] for p in feed(device, href)["publications"]]
    assert f"urn:uuid:{bobs}" not in seen and len(seen) >= 5
    assert_error(device.get(f"/opds/v2/books/{bobs}"), 404, "book_not_found")
    assert_error(device.get("/opds/v2/books/not-a-book"), 404, "book_not_found")

    bob = library["bob"]
    bob_device = Device(
        library["rt"], bob.email, new_app_password(library["client"], bob, ["opds"])["password"]
    )
    mine = feed(bob_device, "/opds/v2/recent")
    assert [p["metadata"]["identifier"] for p in mine["publications"]] == [f"urn:uuid:{bobs}"]


def test_credentials_and_head_as_for_the_atom_feeds(library: dict) -> None:
    device: Device = library["device"]
    alice = library["alice"]
    for password in (alice.password, "wrong-wrong-wrong-wrong"):
        refused = device.get("/opds/v2", password=password)
        assert_error(refused, 401)
        assert refused.headers["WWW-Authenticate"].startswith("Basic")
    # A sync-only app password does not open the catalogue.
    sync_only = new_app_password(library["client"], alice, ["kosync"])["password"]
    assert_error(device.get("/opds/v2", password=sync_only), 401, "invalid_credentials")

    token = base64.b64encode(f"{device.email}:{device.password}".encode()).decode()
    for href in ("/opds/v2", "/opds/v2/recent", f"/opds/v2/books/{library['books']['pushkin']}"):
        head = requests.head(
            device.url(href),
            headers={"Authorization": f"Basic {token}", "X-Forwarded-For": device.ip},
            timeout=30,
        )
        assert head.status_code == 200 and not head.content, href
        assert head.headers["Content-Type"] in (OPDS_JSON, OPDS_PUBLICATION)
        assert int(head.headers["Content-Length"]) > 0


@pytest.mark.parametrize(
    ("atom", "words"), [("/opds", None), ("/opds/recent?page=2", None), ("/opds/search", "дочка")]
)
def test_atom_feeds_name_their_json_twin(library: dict, atom: str, words: str | None) -> None:
    device: Device = library["device"]
    href = atom + (f"?{urlencode({'q': words})}" if words else "")
    response = device.get(href)
    assert response.status_code == 200
    kind = response.headers["Content-Type"]
    root = etree.fromstring(response.content)
    twin = links(root)["alternate"]
    assert twin.get("type") == OPDS_JSON
    document = feed(device, twin.get("href"))
    assert document["metadata"]["title"] == root.findtext(f"{ATOM}title")
    if kind != NAVIGATION:
        assert [p["metadata"]["identifier"] for p in document["publications"]] == [
            e.findtext(f"{ATOM}id") for e in entries(root)
        ]
