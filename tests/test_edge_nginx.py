"""infra/nginx/nginx.conf.template rendered for this machine (local/edge.py) and run by Debian's
nginx in front of the real runtime, with a self-signed certificate made for the test: TLS, the
redirect, the SPA from disk, the API under /api/ with its refresh cookie, gzip, headers on every
response, body limits, the client address the app sees, the hidden runtime endpoints and the
per-IP rate limits. Only addresses, ports and file locations differ from compose's rendering.
Skipped where nginx is not installed (`make test-tools` installs it)."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from local.edge import EdgeLayout, Nginx, find_nginx, self_signed_certificate
from local.launcher import RunningRuntime, free_port
from tests.support.auth_client import (
    assert_error,
    fake_ip,
    new_email,
    refresh_cookie_of,
    strong_password,
)

INDEX = b"<!doctype html><html><body><div id=root></div></body></html>"
# Above gzip_min_length (1 KB), as real bundles are.
SCRIPT = b"console.log('a fingerprinted bundle');\n" * 64
STYLE = b".reader { font-family: serif; line-height: 1.5; }\n" * 64
BUCKET = "bookreader-books-000000000000"
SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
)

pytestmark = pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed")


@dataclass
class Edge:
    url: str  # https://127.0.0.1:<port>
    http_url: str
    ca: str  # the self-signed certificate, to verify the server with
    runtime: RunningRuntime
    nginx: Nginx

    def get(self, path: str, **options) -> requests.Response:
        return requests.get(self.url + path, verify=self.ca, timeout=20, **options)

    def post(self, path: str, **options) -> requests.Response:
        return requests.post(self.url + path, verify=self.ca, timeout=60, **options)


@pytest.fixture(scope="module")
def edge(services, tmp_path_factory) -> Iterator[Edge]:
    # nginx's workers drop privileges (nobody) when started as root: all of it must be readable.
    work = Path(tempfile.mkdtemp(prefix="bookreader-edge-test-"))
    work.chmod(0o755)
    site = work / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_bytes(INDEX)
    (site / "assets" / "app-1a2b3c.js").write_bytes(SCRIPT)
    (site / "assets" / "app-4d5e6f.css").write_bytes(STYLE)
    for path in [site, site / "assets"]:
        path.chmod(0o755)
    cert = self_signed_certificate(work / "tls")
    http_port, https_port = free_port(), free_port()
    url = f"https://127.0.0.1:{https_port}"
    with services.product_runtime(tmp_path_factory.mktemp("edge"), PUBLIC_URL=url) as runtime:
        app = runtime.url.removeprefix("http://")
        nginx = Nginx(
            EdgeLayout(
                app=app,
                store=app,  # the disk store: its presigned URLs are the runtime's
                http_port=http_port,
                https_port=https_port,
                site_root=site,
                work_dir=work / "nginx",
                cert=cert,
                key=work / "tls" / "key.pem",
            )
        )
        nginx.start()
        try:
            yield Edge(url, f"http://127.0.0.1:{http_port}", str(cert), runtime, nginx)
        finally:
            nginx.stop()
    shutil.rmtree(work, ignore_errors=True)


def assert_security_headers(response: requests.Response) -> None:
    missing = [name for name in SECURITY_HEADERS if name not in response.headers]
    assert not missing, f"{response.request.method} {response.url} → {response.status_code}"


# --- TLS ------------------------------------------------------------------------------------------
def test_plain_http_redirects_to_https_with_path_and_query(edge: Edge) -> None:
    answer = requests.get(edge.http_url + "/library/42?tab=notes", allow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"] == edge.url + "/library/42?tab=notes"
    # The ACME challenge stays on plain HTTP (Let's Encrypt asks there first).
    challenge = requests.get(edge.http_url + "/.well-known/acme-challenge/nothing-yet")
    assert challenge.status_code == 404


def test_https_serves_the_api_with_hsts(edge: Edge) -> None:
    health = edge.get("/api/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    hsts = health.headers["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 365 * 24 * 3600


def _handshake(port: int, version: ssl.TLSVersion) -> str:
    """The protocol negotiated when the client offers only `version` (it may raise SSLError)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = context.maximum_version = version
    context.set_ciphers("ALL:@SECLEVEL=0")  # let this client speak the old versions at all
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        return tls.version() or ""


def _old_tls_server(cert: Path, key: Path) -> tuple[int, threading.Thread]:
    """A server that does accept TLS 1.0/1.1: proof that the client above can speak them."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("ALL:@SECLEVEL=0")
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        with listener:
            for _ in range(2):
                connection, _ = listener.accept()
                try:
                    with context.wrap_socket(connection, server_side=True):
                        pass
                except (ssl.SSLError, OSError):
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return port, thread


def test_only_tls_1_2_and_1_3_are_accepted(edge: Edge) -> None:
    port = edge.nginx.layout.https_port
    control, thread = _old_tls_server(edge.nginx.layout.cert, edge.nginx.layout.key)
    for old in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        assert _handshake(control, old) in ("TLSv1", "TLSv1.1")
        with pytest.raises((ssl.SSLError, ConnectionResetError)):
            _handshake(port, old)
    thread.join(timeout=10)
    assert _handshake(port, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    assert _handshake(port, ssl.TLSVersion.TLSv1_3) == "TLSv1.3"


# --- the SPA and the API --------------------------------------------------------------------------
def test_the_spa_comes_from_disk_with_its_caching(edge: Edge) -> None:
    page = edge.get("/library/42")
    assert page.status_code == 200 and page.content == INDEX
    assert page.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    script = edge.get("/assets/app-1a2b3c.js")
    assert script.status_code == 200 and script.content == SCRIPT
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    gone = edge.get("/assets/gone.js")
    assert gone.status_code == 404 and gone.content != INDEX
    # The API sets its own caching (no-store on JSON) and nginx adds nothing to it.
    assert edge.get("/api/health").headers["Cache-Control"] == "no-store"


def test_json_scripts_and_styles_are_gzipped(edge: Edge) -> None:
    gzip = {"Accept-Encoding": "gzip"}
    for path in ("/api/openapi.json", "/assets/app-1a2b3c.js", "/assets/app-4d5e6f.css"):
        answer = edge.get(path, headers=gzip)
        assert answer.status_code == 200, path
        assert answer.headers.get("Content-Encoding") == "gzip", path
        assert "Accept-Encoding" in answer.headers.get("Vary", ""), path
    assert edge.get("/api/openapi.json", headers=gzip).json()["openapi"].startswith("3.1")


def test_security_headers_are_on_every_response_errors_included(edge: Edge) -> None:
    answers = [
        edge.get("/"),
        edge.get("/assets/app-1a2b3c.js"),
        edge.get("/assets/gone.js"),  # nginx's own 404
        edge.get("/api/health"),
        edge.get("/api/auth/me"),  # the app's 401
        edge.get("/api/no/such/route"),  # the app's 404
        edge.get("/_local/status"),
        edge.post("/api/auth/login", data=b"x" * (11 * 1024 * 1024)),  # nginx's 413
    ]
    assert {answer.status_code for answer in answers} >= {200, 401, 404, 413}
    for answer in answers:
        assert_security_headers(answer)
    redirect = requests.get(edge.http_url + "/", allow_redirects=False)
    assert_security_headers(redirect)


def test_the_refresh_cookie_names_the_path_the_browser_uses_and_stays_secure(edge: Edge) -> None:
    headers = {"X-Forwarded-Prefix": "/not-ours"}
    body = {"email": new_email(), "password": strong_password()}
    registered = edge.post("/api/auth/register", json=body, headers=headers)
    assert registered.status_code == 201, registered.text
    assert registered.headers["Content-Type"] == "application/json"
    cookie = refresh_cookie_of(registered)
    # The client's X-Forwarded-Prefix never reached the runtime.
    assert cookie["path"] == "/api/auth"
    assert cookie["secure"] and cookie["httponly"]
    # A browser sends the cookie to /api/auth/refresh: it works there.
    refreshed = edge.post("/api/auth/refresh", headers={"Cookie": f"refresh_token={cookie.value}"})
    assert refreshed.status_code == 200, refreshed.text
    assert refresh_cookie_of(refreshed)["path"] == "/api/auth"


def test_the_api_answers_json_and_the_runtime_endpoints_stay_inside(edge: Edge) -> None:
    assert_error(edge.get("/api/auth/me"), 401, "unauthenticated")
    assert_error(edge.get("/api/no/such/route"), 404, "not_found")
    auth = edge.runtime.auth  # even with the runtime's own token
    for path in ("/_local/status", "/_local/metrics", "/api/_local/status", "/api/_local/metrics"):
        assert_error(edge.get(path, headers=auth), 404, "not_found")
    # The runtime itself does serve them (so the 404s above are nginx's doing).
    assert requests.get(edge.runtime.url + "/_local/metrics", headers=auth).status_code == 200
    # Presigned URLs of the disk store pass (the runtime checks their signature).
    unsigned = edge.get(f"/_local/objects/{BUCKET}/uploads/x.epub")
    assert_error(unsigned, 403, "signature_invalid")


def test_bodies_over_the_limits_are_refused_in_the_apps_error_shape(edge: Edge) -> None:
    too_big = edge.post("/api/auth/login", data=b"{" + b" " * (10 * 1024 * 1024 + 1) + b"}")
    assert_error(too_big, 413, "payload_too_large")
    # The SPA's paths take no bodies beyond a small form.
    assert_error(edge.post("/sign-in", data=b"x" * (2 * 1024 * 1024)), 413, "payload_too_large")
    # Under the limit, the request reaches the app (and is judged there).
    assert_error(edge.post("/api/auth/login", data=b"{" + b" " * 1024 + b"}"), 422)


def test_the_app_sees_the_client_nginx_saw_never_a_forged_address(edge: Edge) -> None:
    # Sign-in allows 5 attempts per address and email a minute. A client that forges a new
    # X-Forwarded-For on each attempt is still one address to the app: nginx replaces it.
    body = {"email": new_email(), "password": strong_password()}
    statuses = [
        edge.post("/api/auth/login", json=body, headers={"X-Forwarded-For": fake_ip()}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429], statuses
    # Straight at the runtime (a trusted peer) the forged addresses are believed: six tries,
    # six fresh budgets. That is why nginx, the edge, must be the one that sets the header.
    body["email"] = new_email()
    direct = [
        requests.post(
            edge.runtime.api_url + "/auth/login",
            json=body,
            headers={"X-Forwarded-For": fake_ip()},
            timeout=20,
        ).status_code
        for _ in range(6)
    ]
    assert direct == [401] * 6, direct


# --- per-IP rate limits (last: they spend this address's budgets) ------------------------------
def _burst(edge: Edge, method: str, path: str, most: int) -> list[requests.Response]:
    """Requests one after another until nginx refuses one (or `most` were sent)."""
    answers: list[requests.Response] = []
    with requests.Session() as session:
        while len(answers) < most and (not answers or answers[-1].status_code != 429):
            # verify per request: a session's own is overridden by REQUESTS_CA_BUNDLE.
            answers.append(session.request(method, edge.url + path, verify=edge.ca, timeout=20))
    return answers


def _assert_edge_refusal(answer: requests.Response, retry_after: int) -> None:
    error = assert_error(answer, 429, "rate_limited")
    assert error["details"] == {"retry_after": retry_after}
    assert answer.headers["Retry-After"] == str(retry_after)
    assert_security_headers(answer)


def test_asking_for_upload_urls_has_its_own_per_ip_limit(edge: Edge) -> None:
    answers = _burst(edge, "POST", "/api/uploads", 20)
    statuses = [answer.status_code for answer in answers]
    # 10 a minute with a burst of 5: six reach the app (401: no token), then nginx refuses.
    assert statuses[:6] == [401] * 6 and statuses[-1] == 429, statuses
    _assert_edge_refusal(answers[-1], 6)


def test_the_bucket_path_has_its_own_per_ip_limit(edge: Edge) -> None:
    answers = _burst(edge, "GET", f"/_local/objects/{BUCKET}/covers/x.webp", 1000)
    statuses = [answer.status_code for answer in answers]
    # 300 a minute, a burst of 150: all of those reach the runtime (403: not signed).
    assert statuses[:150] == [403] * 150 and statuses[-1] == 429, statuses
    _assert_edge_refusal(answers[-1], 1)
    # The API's budget is another one.
    assert edge.get("/api/health").status_code == 200


def test_the_api_allows_100_requests_a_minute_per_ip_with_a_burst(edge: Edge) -> None:
    answers = _burst(edge, "GET", "/api/health", 1000)
    statuses = [answer.status_code for answer in answers]
    # The burst of 40 (less what the tests above spent in the last half minute) passes, then
    # nginx refuses before the app sees the request.
    assert set(statuses[:-1]) == {200} and statuses[-1] == 429, statuses
    _assert_edge_refusal(answers[-1], 1)
    assert json.loads(answers[0].content) == {"status": "ok"}
