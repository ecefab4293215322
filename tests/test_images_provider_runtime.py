"""An online provider through the whole product: the running runtime's generate function calls
a local server that speaks the pollinations.ai protocol over HTTP; what it answers decides the
image's record."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import pytest
import requests

from local.launcher import RunningRuntime
from tests.support.fake_image_servers import PollinationsServer, Reply, png_bytes
from tests.support.library import PUSHKIN, Reader, wait_for_state, wait_image


@pytest.fixture(scope="module")
def pollinations() -> Iterator[PollinationsServer]:
    with PollinationsServer(png_bytes(320, 200, (30, 60, 120))) as server:
        yield server


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory, pollinations: PollinationsServer) -> Iterator[RunningRuntime]:
    # The way the compose setup chooses providers: template parameters, as `sam deploy` takes.
    overrides = f"ImageProviders='[\"pollinations\"]' PollinationsUrl={pollinations.url}"
    with services.product_runtime(
        tmp_path_factory.mktemp("provider-runtime"), LOCAL_PARAMETER_OVERRIDES=overrides
    ) as runtime:
        yield runtime


@pytest.fixture(scope="module")
def book(rt: RunningRuntime) -> tuple[Reader, list[dict]]:
    reader = Reader(rt)
    book_id = reader.upload("Капитанская дочка.fb2", PUSHKIN.read_bytes())
    assert wait_for_state(reader, book_id, ("ready",))["state"] == "ready"
    items = reader.request("GET", f"/books/{book_id}/descriptions").json()["items"]
    return reader, items


def test_the_providers_picture_is_stored_as_webp_with_its_record(
    book, pollinations: PollinationsServer
) -> None:
    reader, items = book
    seen = len(pollinations.received)
    queued = reader.request("POST", f"/descriptions/{items[0]['id']}/illustrations").json()
    image = wait_image(reader, queued["id"])
    assert image["state"] == "ready", image["error"]
    assert image["provider"] == image["made_by"] == "pollinations"
    assert (image["width"], image["height"]) == (320, 200)
    [request] = pollinations.received[seen:]
    assert unquote(request.path.removeprefix("/prompt/")) == image["prompt"]
    assert request.query["seed"] == [str(image["seed"])]
    picture = requests.get(image["url"], timeout=10).content
    assert picture[8:12] == b"WEBP" and len(picture) == image["bytes"]


def test_a_provider_answering_html_fails_the_image_with_the_reason(
    book, pollinations: PollinationsServer
) -> None:
    reader, items = book
    pollinations.script(Reply(200, b"<html>rate limited</html>", {"Content-Type": "text/html"}))
    queued = reader.request("POST", f"/descriptions/{items[1]['id']}/illustrations").json()
    image = wait_image(reader, queued["id"])
    assert image["state"] == "failed" and image["url"] is None
    assert image["error"]["code"] == "provider_bad_response"
    assert image["error"]["message"] == (
        "pollinations did not return a usable image: an HTML/XML page instead of an image"
    )


def test_a_retry_after_429_is_waited_out_and_the_image_arrives(
    book, pollinations: PollinationsServer
) -> None:
    reader, items = book
    seen = len(pollinations.received)
    pollinations.script(Reply(429, b"slow down", {"Retry-After": "1"}))
    queued = reader.request("POST", f"/descriptions/{items[2]['id']}/illustrations").json()
    image = wait_image(reader, queued["id"])
    assert image["state"] == "ready", image["error"]
    assert len(pollinations.received) - seen == 2  # one retry, in one layer only
