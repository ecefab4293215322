"""KOReader progress sync over HTTP through the running product, real PostgreSQL and Redis, with
a client that speaks the kosync protocol as KOReader's plugin does: the MD5 of an app password
as `x-auth-key`, documents named by KOReader's partial MD5 of the file, EPUB places as
XPointers. A reader moves from KOReader to the web reader and back without losing their place,
through the same conflict rule as any device; nobody else's progress is ever seen."""

from __future__ import annotations

import hashlib
from typing import Any

import lxml.html
import pytest
import requests
from lxml import etree

from bookreader import db
from local.launcher import RunningRuntime
from tests.support.epub import make_epub, xhtml
from tests.support.koreader import KOReader, koreader_filename_md5, koreader_partial_md5
from tests.support.library import FIXTURES, PUSHKIN, Reader

ACCOUNT_PASSWORD = "a long enough passphrase 42"  # tests.support.library.Reader's
WASTE_LAND = FIXTURES / "epub" / "en-idpf-wasteland.epub3-rearnotes.epub"


def words(n: int, seed: str) -> str:
    return " ".join(f"{seed}{i}" for i in range(n))


# Spine: a cover page without text (no chapter of ours), chapter one in two files (the second
# continues it: no heading), chapter two with nested blocks. KOReader numbers all four.
COVER = xhtml('<div class="cover"></div>')
ONE = xhtml(
    "<h1>Chapter One</h1><div>"
    + "".join(f"<p>{words(30, f'one{n}x')}</p>" for n in range(12))
    + "</div>"
)
ONE_MORE = xhtml(
    "<div><p>Continued here in another file.</p>"
    f"<p>More <i>italic words</i> follow {words(20, 'more')}</p></div>"
)
TWO = xhtml(
    "<section><h1>Chapter Two</h1>"
    + "".join(f"<p>{words(25, f'two{n}y')}</p>" for n in range(2))
    + f"<blockquote><p>{words(10, 'quoted')}</p></blockquote>"
    + f"<p>Target paragraph begins {words(40, 'target')}</p>"
    + "".join(f"<p>{words(25, f'after{n}z')}</p>" for n in range(6))
    + "</section>"
)
FILES = {"cover.xhtml": COVER, "one.xhtml": ONE, "one-more.xhtml": ONE_MORE, "two.xhtml": TWO}
BOOK = make_epub(FILES)


@pytest.fixture(scope="module")
def rt(product_runtime: RunningRuntime) -> RunningRuntime:
    return product_runtime


def app_password(reader: Reader, scopes: list[str]) -> str:
    made = reader.request(
        "POST", "/account/app-passwords", json={"name": "KOReader", "scopes": scopes}
    )
    assert made.status_code == 201, made.text
    return made.json()["password"]


def email_of(reader: Reader) -> str:
    me = reader.request("GET", "/auth/me")
    assert me.status_code == 200, me.text
    return me.json()["email"]


class Library:
    """A reader with the generated book, signed in on KOReader with an app password."""

    def __init__(self, rt: RunningRuntime) -> None:
        self.rt = rt
        self.reader = Reader(rt)
        self.email = email_of(self.reader)
        self.secret = app_password(self.reader, ["kosync"])
        self.book_id = self.reader.upload("generated.epub", BOOK)
        book = self.reader.wait(self.book_id)
        assert book["state"] not in ("uploading", "parsing", "failed"), book
        self.document = koreader_partial_md5(BOOK)

    def koreader(self, **kwargs: Any) -> KOReader:
        return KOReader(self.rt, self.email, self.secret, **kwargs)

    def position(self) -> dict[str, Any]:
        answer = self.reader.request("GET", f"/books/{self.book_id}/position")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def chapter_text(self, index: int) -> str:
        answer = self.reader.request("GET", f"/books/{self.book_id}/chapters/{index}")
        assert answer.status_code == 200, answer.text
        return answer.json()["text"]


@pytest.fixture
def library(rt: RunningRuntime) -> Library:
    return Library(rt)


def kosync_error(response: requests.Response, status: int, code: int) -> dict[str, Any]:
    """The protocol's error shape, `{"code": <int>, "message": <text>}`."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message"} and body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    return body


def paragraph_path(xhtml_text: str, starts: str) -> tuple[str, str]:
    """(path below <body> as an XPath with positions among same-named siblings, normalised
    text) of the first <p> whose text starts with `starts`, read from the file itself."""
    root = lxml.html.fromstring(xhtml_text.split("\n", 2)[2].encode())
    tree = root.getroottree()
    element = next(p for p in root.iter("p") if p.text_content().startswith(starts))
    path = tree.getpath(element).removeprefix("/html/body/")
    return path, " ".join(element.text_content().split())


def test_registration_from_a_device_is_refused_in_the_protocols_words(library: Library) -> None:
    device = library.koreader()
    refused = kosync_error(device.register(), 402, 2005)
    assert "app password" in refused["message"]


def test_authorize_takes_the_md5_of_an_app_password_of_the_sync_scope_only(
    library: Library,
) -> None:
    good = library.koreader().authorize()
    assert good.status_code == 200, good.text
    assert good.json() == {"authorized": "OK"}

    wrong = KOReader(library.rt, library.email, library.secret + "x")
    assert kosync_error(wrong.authorize(), 401, 2001)["message"] == "Unauthorized"
    account = KOReader(library.rt, library.email, ACCOUNT_PASSWORD)
    kosync_error(account.authorize(), 401, 2001)
    catalogue_only = KOReader(library.rt, library.email, app_password(library.reader, ["opds"]))
    kosync_error(catalogue_only.authorize(), 401, 2001)
    someone_else = Reader(library.rt)
    kosync_error(
        KOReader(library.rt, email_of(someone_else), library.secret).authorize(), 401, 2001
    )
    unsigned = requests.get(
        f"{library.rt.api_url}/kosync/users/auth",
        headers={"Accept": "application/vnd.koreader.v1+json"},
        timeout=30,
    )
    kosync_error(unsigned, 401, 2001)
    # A bearer token is not a way in either.
    kosync_error(library.reader.request("GET", "/kosync/users/auth"), 401, 2001)


def test_guessing_keys_is_limited_like_sign_in(library: Library) -> None:
    guesser = KOReader(library.rt, library.email, "guess")
    for _ in range(5):  # RATE_LIMIT_LOGIN_IP_EMAIL failures from one address
        kosync_error(guesser.authorize(), 401, 2001)
    guesser.userkey = library.koreader().userkey  # even the right key, from that address
    limited = guesser.authorize()
    kosync_error(limited, 429, 2001)
    assert int(limited.headers["Retry-After"]) >= 1
    assert library.koreader().authorize().status_code == 200  # the reader's own device


def test_a_document_we_do_not_know_is_kept_and_given_back(library: Library) -> None:
    device = library.koreader(model="PocketBook")
    document = hashlib.md5(b"some other file", usedforsecurity=False).hexdigest()
    assert device.get_progress(document).json() == {}
    saved = device.update_progress(document, 56, 0.32)
    assert saved.status_code == 200, saved.text
    assert set(saved.json()) == {"document", "timestamp"}
    assert saved.json()["document"] == document and isinstance(saved.json()["timestamp"], int)
    got = device.get_progress(document)
    assert got.status_code == 200, got.text
    assert got.json() == {
        "document": document,
        "progress": "56",
        "percentage": 0.32,
        "device": "PocketBook",
        "device_id": device.device_id,
        "timestamp": saved.json()["timestamp"],
    }
    # The latest push wins, whichever device made it.
    other = library.koreader(model="Kindle")
    assert other.update_progress(document, 36, 0.22).status_code == 200
    assert device.get_progress(document).json()["device"] == "Kindle"
    # The book's position is untouched: the document is not one of the reader's books.
    untouched = library.reader.request("GET", f"/books/{library.book_id}/position")
    assert untouched.status_code == 200 and untouched.json() is None, untouched.text


def test_malformed_pushes_answer_the_protocols_errors(library: Library) -> None:
    device = library.koreader()
    url = f"{device.base}/syncs/progress"
    headers = device._headers()
    full = {
        "document": library.document,
        "progress": "/body/DocFragment[2]/body/div/p[1]/text().0",
        "percentage": 0.1,
        "device": "Kobo_io",
        "device_id": device.device_id,
    }
    no_document = {k: v for k, v in full.items() if k != "document"}
    kosync_error(requests.put(url, json=no_document, headers=headers, timeout=30), 403, 2004)
    bad_document = {**full, "document": "../../etc"}
    kosync_error(requests.put(url, json=bad_document, headers=headers, timeout=30), 403, 2004)
    for name in ("progress", "percentage", "device"):
        partial = {k: v for k, v in full.items() if k != name}
        kosync_error(requests.put(url, json=partial, headers=headers, timeout=30), 403, 2003)
    for percentage in ("half", 1.5, -0.1, None):
        body = {**full, "percentage": percentage}
        kosync_error(requests.put(url, json=body, headers=headers, timeout=30), 403, 2003)
    not_json = requests.put(url, data=b"{not json", headers=headers, timeout=30)
    kosync_error(not_json, 403, 2003)
    kosync_error(device.get_progress("not.a.document"), 403, 2004)
    # Nothing of it was kept.
    assert device.get_progress(library.document).json() == {}
    # Fields newer KOReader versions add are taken in stride.
    extended = {**full, "metadata": {"title": "x"}, "identifiers": [{"type": "md5"}]}
    assert requests.put(url, json=extended, headers=headers, timeout=30).status_code == 200


def test_koreader_to_the_web_reader_through_the_conflict_rule(library: Library) -> None:
    # The web reader had the book open (version seen: 1) before KOReader moved on.
    web = {"chapter": 0, "offset": 0, "device_id": "laptop-1", "device_name": "Firefox on Linux"}
    first = library.reader.request("PUT", f"/books/{library.book_id}/position", json=web)
    assert first.status_code == 200, first.text
    seen = first.json()["version"]

    path, text = paragraph_path(TWO, "Target paragraph")
    assert path == "section/p[3]"  # the blockquote's <p> is not a sibling
    kobo = library.koreader(model="Kobo_io")
    pushed = kobo.update_progress(
        library.document, f"/body/DocFragment[4]/body/{path}/text().17", 0.71
    )
    assert pushed.status_code == 200, pushed.text

    held = library.position()
    assert held["device_name"] == "KOReader on Kobo_io"
    assert held["device_id"].startswith("koreader:")
    assert held["percentage"] == pytest.approx(71.0)
    assert held["chapter"] == 1  # DocFragment 4 is our chapter 1: the cover page made none
    chapter = library.chapter_text(1)
    assert chapter[held["offset"] :].startswith(text[17:60])

    # The web reader's next save was made from version 1: it is asked, with KOReader's place.
    stale = library.reader.request(
        "PUT", f"/books/{library.book_id}/position", json={**web, "offset": 5, "based_on": seen}
    )
    assert stale.status_code == 409, stale.text
    current = stale.json()["error"]["details"]["current"]
    assert (current["device_name"], current["chapter"]) == ("KOReader on Kobo_io", 1)

    # KOReader itself gets its own place back as it sent it, and knows it is its own.
    again = kobo.get_progress(library.document).json()
    assert again["progress"] == f"/body/DocFragment[4]/body/{path}/text().17"
    assert (again["device"], again["device_id"]) == ("Kobo_io", kobo.device_id)
    assert again["percentage"] == pytest.approx(0.71)


def test_a_place_inside_inline_markup_of_a_continuation_file(library: Library) -> None:
    kobo = library.koreader()
    path, text = paragraph_path(ONE_MORE, "More italic")
    xpointer = f"/body/DocFragment[3]/body/{path}/i/text().3"
    assert kobo.update_progress(library.document, xpointer, 0.4).status_code == 200
    held = library.position()
    assert held["chapter"] == 0  # the second file continues chapter one
    assert library.chapter_text(0)[held["offset"] :].startswith(text[:30])


def test_the_web_reader_to_koreader_and_back(library: Library) -> None:
    kobo = library.koreader(model="Kobo_io")
    assert kobo.update_progress(library.document, "/body/DocFragment[2].0", 0.05).ok
    version = library.position()["version"]

    path, text = paragraph_path(TWO, "Target paragraph")
    chapter = library.chapter_text(1)
    start = chapter.index(text[:40])
    web = {
        "chapter": 1,
        "offset": start + 25,
        "percentage": 64.5,
        "device_id": "laptop-1",
        "device_name": "Firefox on Linux",
        "based_on": version,
    }
    saved = library.reader.request("PUT", f"/books/{library.book_id}/position", json=web)
    assert saved.status_code == 200, saved.text

    pulled = kobo.get_progress(library.document)
    assert pulled.status_code == 200, pulled.text
    body = pulled.json()
    assert set(body) == {"document", "progress", "percentage", "device", "device_id", "timestamp"}
    assert (body["device"], body["device_id"]) == ("Firefox on Linux", "laptop-1")
    assert body["percentage"] == pytest.approx(0.645)
    assert body["document"] == library.document
    # The place is the paragraph's element in the very file KOReader has open.
    assert body["progress"] == f"/body/DocFragment[4]/body/{path}.0"

    # Another KOReader device going there and pushing it back lands on the same paragraph.
    kindle = library.koreader(model="Kindle")
    assert kindle.update_progress(library.document, body["progress"], body["percentage"]).ok
    held = library.position()
    assert (held["chapter"], held["offset"], held["device_name"]) == (
        1,
        start,
        "KOReader on Kindle",
    )


def test_another_readers_documents_are_not_theirs(library: Library) -> None:
    mine = library.koreader()
    assert mine.update_progress(library.document, "/body/DocFragment[2].0", 0.2).ok
    other = Reader(library.rt)
    stranger = KOReader(library.rt, email_of(other), app_password(other, ["kosync"]))
    assert stranger.get_progress(library.document).json() == {}
    # Their push for the same file moves nothing of ours, and ours stays ours.
    assert stranger.update_progress(library.document, "/body/DocFragment[4].0", 0.9).ok
    assert library.position()["percentage"] == pytest.approx(20.0)
    assert mine.get_progress(library.document).json()["percentage"] == pytest.approx(0.2)


def test_a_real_epub_by_its_partial_md5_and_a_file_by_its_name(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    data = WASTE_LAND.read_bytes()
    assert len(data) > 65536 + 1024  # several of KOReader's samples
    book_id = reader.upload("The Waste Land.epub", data)
    reader.wait(book_id)
    device = KOReader(rt, email_of(reader), app_password(reader, ["kosync"]))
    assert device.update_progress(koreader_partial_md5(data), "/body/DocFragment[1].0", 0.5).ok
    held = reader.request("GET", f"/books/{book_id}/position").json()
    assert held["device_name"] == "KOReader on Kobo_io" and held["percentage"] == pytest.approx(50)

    # KOReader's "file name" matching: the MD5 of the name; the percentage places the reader.
    by_name = koreader_filename_md5("The Waste Land.epub")
    assert device.update_progress(by_name, "/body/DocFragment[1].0", 0.9).ok
    held = reader.request("GET", f"/books/{book_id}/position").json()
    assert held["percentage"] == pytest.approx(90)


def test_books_parsed_before_sync_get_their_id_on_first_use(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    data = WASTE_LAND.read_bytes()
    book_id = reader.upload("old.epub", data)
    reader.wait(book_id)
    with db.connect(rt.env["DATABASE_URL"]) as conn:  # as a book stored before migration 0016
        conn.run("UPDATE books SET partial_md5 = NULL WHERE id = CAST(:b AS uuid)", b=book_id)
    device = KOReader(rt, email_of(reader), app_password(reader, ["kosync"]))
    assert device.update_progress(koreader_partial_md5(data), "/body/DocFragment[1].0", 0.3).ok
    held = reader.request("GET", f"/books/{book_id}/position").json()
    assert held["device_name"] == "KOReader on Kobo_io"
    with db.connect(rt.env["DATABASE_URL"]) as conn:
        stored = conn.run("SELECT partial_md5 FROM books WHERE id = CAST(:b AS uuid)", b=book_id)
    assert stored[0][0] == koreader_partial_md5(data)


def fb2_paragraph(data: bytes, starts: str) -> tuple[str, str]:
    """(KOReader's path, normalised text) of the first FB2 <p> whose text starts with
    `starts`, read from the file: each step is the local name, with its position among
    same-named siblings when there are several."""
    root = etree.fromstring(data)
    element = next(
        p for p in root.iter("{*}p") if " ".join("".join(p.itertext()).split()).startswith(starts)
    )
    steps = []
    node = element
    while node.getparent() is not None:
        name = etree.QName(node).localname
        same = [s for s in node.getparent() if etree.QName(s).localname == name]
        steps.append(name if len(same) == 1 else f"{name}[{same.index(node) + 1}]")
        node = node.getparent()
    path = "/FictionBook/" + "/".join(reversed(steps))
    return path, " ".join("".join(element.itertext()).split())


def test_fb2_places_both_ways_and_any_other_progress_by_percentage(rt: RunningRuntime) -> None:
    reader = Reader(rt)
    data = PUSHKIN.read_bytes()
    book_id = reader.upload(PUSHKIN.name, data)
    book = reader.wait(book_id)
    texts = [
        reader.request("GET", f"/books/{book_id}/chapters/{i}").json()["text"]
        for i in range(book["chapter_count"])
    ]
    device = KOReader(rt, email_of(reader), app_password(reader, ["kosync"]))
    document = koreader_partial_md5(data)

    # A progress that is no XPointer (a page number): the percentage places the reader.
    assert device.update_progress(document, 56, 0.5).ok
    held = reader.request("GET", f"/books/{book_id}/position").json()
    before = sum(len(t) for t in texts[: held["chapter"]]) + held["offset"]
    assert before <= 0.5 * sum(len(t) for t in texts) < before + len(texts[held["chapter"]]) + 1

    # KOReader's place in the FB2's own DOM lands in the paragraph, at the character.
    path, text = fb2_paragraph(data, "Батюшка не любил ни переменять")
    assert device.update_progress(document, f"{path}/text().9", 0.3).ok
    held = reader.request("GET", f"/books/{book_id}/position").json()
    assert texts[held["chapter"]][held["offset"] :].startswith(text[9:50])

    # The web reader's place goes back as the XPointer of its paragraph.
    start = texts[held["chapter"]].index(text[:40])
    web = {
        "chapter": held["chapter"],
        "offset": start + 30,
        "percentage": 12.5,
        "device_id": "phone-1",
        "device_name": "Chrome on Android",
        "based_on": held["version"],
    }
    assert reader.request("PUT", f"/books/{book_id}/position", json=web).status_code == 200
    pulled = device.get_progress(document).json()
    assert pulled["percentage"] == pytest.approx(0.125)
    assert pulled["device"] == "Chrome on Android"
    assert pulled["progress"] == f"{path}.0"
