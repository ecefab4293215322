"""The web app at `/`: the runtime serves a built SPA directory (here a small fake build) beside
the API under /api/ — caching, content types, compression, the CSP, client-side routes, and no
way out of the directory."""

from __future__ import annotations

import gzip
import http.client
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local.launcher import RunningRuntime
from tests.support.services import launch_fixture_runtime

INDEX = (
    b'<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script>'
    b"</head><body><div id=root></div></body></html>"
)
SCRIPT = b"export const greeting = 'hello';\n" + b"console.log(greeting);\n" * 200  # > 1 kB
SECRET = b"the contents of a file outside the build"
IMMUTABLE = "public, max-age=31536000, immutable"


def csp(presign_origin: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob: {presign_origin}; font-src 'self' data:; "
        f"connect-src 'self' {presign_origin}; worker-src 'self'; manifest-src 'self'; "
        "object-src 'none'; base-uri 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A build as Vite lays it out, plus a secret beside it and symlinks pointing at it."""
    base = tmp_path_factory.mktemp("spa")
    (base / "secret.txt").write_bytes(SECRET)
    (base / "outside").mkdir()
    (base / "outside" / "secret.txt").write_bytes(SECRET)
    dist = base / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "fonts").mkdir()
    (dist / "index.html").write_bytes(INDEX)
    (dist / "assets" / "app-1a2b3c.js").write_bytes(SCRIPT)
    (dist / "assets" / "app-4d5e6f.css").write_bytes(b"body{margin:0}")
    (dist / "manifest.webmanifest").write_bytes(b'{"name": "BookReader"}')
    (dist / "icon.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    (dist / "fonts" / "serif.woff2").write_bytes(b"wOF2" + bytes(64))
    (dist / "leak.txt").symlink_to(base / "secret.txt")
    (dist / "assets" / "outside").symlink_to(base / "outside", target_is_directory=True)
    return dist


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory, site: Path) -> Iterator[RunningRuntime]:
    tmp_path = tmp_path_factory.mktemp("spa-runtime")
    database_url = services.create_database()
    prefix = f"test-spa-{uuid.uuid4().hex[:8]}"
    runtime = launch_fixture_runtime(
        services, database_url, prefix, tmp_path / "records", tmp_path, LOCAL_SPA_DIR=str(site)
    )
    yield runtime
    runtime.stop()
    services.drop_database(database_url)
    services.delete_redis_keys(prefix)


def get(rt: RunningRuntime, path: str, **kwargs) -> requests.Response:
    return requests.get(rt.url + path, timeout=10, **kwargs)


def raw_get(rt: RunningRuntime, path: str) -> tuple[int, bytes]:
    """GET with the path sent exactly as written (no client-side dot-segment cleaning)."""
    host, port = rt.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def assert_secured(response: requests.Response, rt: RunningRuntime) -> None:
    assert response.headers["Content-Security-Policy"] == csp(rt.url)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_root_is_the_app_and_is_revalidated_on_every_load(rt: RunningRuntime) -> None:
    response = get(rt, "/")
    assert response.status_code == 200
    assert response.content == INDEX
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert_secured(response, rt)
    assert get(rt, "/index.html").content == INDEX


def test_client_side_routes_get_the_app(rt: RunningRuntime) -> None:
    for path in ("/library", "/books/123/read", "/account?tab=password", "/sign-in/"):
        response = get(rt, path)
        assert response.status_code == 200, path
        assert response.content == INDEX, path
        assert response.headers["Cache-Control"] == "no-cache"
        assert_secured(response, rt)


def test_hashed_assets_are_cached_for_a_year(rt: RunningRuntime) -> None:
    script = get(rt, "/assets/app-1a2b3c.js")
    assert script.status_code == 200 and script.content == SCRIPT
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert script.headers["Cache-Control"] == IMMUTABLE
    assert_secured(script, rt)
    style = get(rt, "/assets/app-4d5e6f.css")
    assert style.headers["Content-Type"] == "text/css; charset=utf-8"
    assert style.headers["Cache-Control"] == IMMUTABLE


def test_content_types(rt: RunningRuntime) -> None:
    expected = {
        "/manifest.webmanifest": "application/manifest+json",
        "/icon.svg": "image/svg+xml",
        "/fonts/serif.woff2": "font/woff2",
    }
    for path, kind in expected.items():
        response = get(rt, path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == kind, path
        assert response.headers["Cache-Control"] == "no-cache", "not fingerprinted: revalidate"


def test_a_missing_asset_is_404_not_the_app(rt: RunningRuntime) -> None:
    """A stale page asking for a bundle of an older build must not get HTML as JavaScript."""
    response = get(rt, "/assets/app-000000.js")
    assert response.status_code == 404
    assert b"<html" not in response.content


def test_text_is_gzipped_for_clients_that_accept_it(rt: RunningRuntime) -> None:
    compressed = get(rt, "/assets/app-1a2b3c.js", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    body = compressed.raw.read(decode_content=False)
    assert len(body) < len(SCRIPT) and gzip.decompress(body) == SCRIPT
    plain = get(rt, "/assets/app-1a2b3c.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.content == SCRIPT
    refused = get(rt, "/assets/app-1a2b3c.js", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_unchanged_files_answer_304_to_their_etag(rt: RunningRuntime) -> None:
    first = get(rt, "/")
    again = get(rt, "/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    other = get(rt, "/", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == INDEX


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/assets/..%5c..%5csecret.txt",
        "/./../secret.txt",
        "//../secret.txt",
        "/leak.txt",
        "/assets/outside/secret.txt",
        "/%00/../secret.txt",
    ],
)
def test_no_path_leaves_the_build_directory(rt: RunningRuntime, path: str) -> None:
    status, body = raw_get(rt, path)
    assert SECRET not in body, path
    assert status in (200, 400, 404), (path, status)
    if status == 200:
        assert body == INDEX, path  # a client-side route at most, never the file


def test_the_api_and_the_runtime_endpoints_keep_their_places(rt: RunningRuntime) -> None:
    api = get(rt, "/api/items/static")
    assert api.status_code == 200 and api.json()["event"]["resource"] == "/items/static"
    assert "Content-Security-Policy" not in api.headers
    missing = get(rt, "/api/no-such-route")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert requests.get(rt.url + "/_local/status", headers=rt.auth, timeout=10).ok


def test_only_get_and_head_reach_the_app(rt: RunningRuntime) -> None:
    assert requests.head(rt.url + "/library", timeout=10).status_code == 200
    response = requests.post(rt.url + "/library", data=b"x", timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_without_a_build_the_page_says_how_to_make_one(rt: RunningRuntime, site: Path) -> None:
    index = site / "index.html"
    index.rename(site / "index.away")
    try:
        response = get(rt, "/library")
        assert response.status_code == 503
        assert response.headers["Content-Type"].startswith("text/html")
        assert "make spa" in response.text and "not built" in response.text
        assert "<script" not in response.text
        assert_secured(response, rt)
    finally:
        (site / "index.away").rename(index)
    assert get(rt, "/library").status_code == 200, "a build appearing is served at once"
