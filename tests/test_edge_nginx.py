"""infra/nginx/nginx.conf run by a real nginx in front of the real runtime: the SPA from disk, the
API under /api/ with the refresh cookie on the path the browser uses, the runtime's own
endpoints hidden. Only the Docker-specific parts of the file are swapped for local ones (the
upstreams' addresses, the port, the paths); skipped where nginx is not installed."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from local.launcher import RunningRuntime, free_port
from tests.auth_client import fake_ip, new_email, refresh_cookie_of, strong_password

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "infra" / "nginx" / "nginx.conf"
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
)
INDEX = b"<!doctype html><html><body><div id=root></div></body></html>"

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


@dataclass
class Edge:
    url: str
    runtime: RunningRuntime


def local_config(text: str, runtime_port: int, port: int, work: Path, site: Path) -> str:
    """The production config with Docker's names and paths replaced by this machine's."""
    upstream = f"server 127.0.0.1:{runtime_port};"
    replaced = re.sub(r"server app:\d+ resolve;", upstream, text)
    replaced = re.sub(r"server minio:\d+ resolve;", upstream, replaced)
    replaced = re.sub(r"\n\s*resolver [^;]*;", "\n", replaced)
    replaced = replaced.replace("pid /var/run/nginx.pid;", f"pid {work}/nginx.pid;")
    replaced = replaced.replace("/var/log/nginx/", f"{work}/")
    replaced = replaced.replace("listen 80 default_server;", f"listen 127.0.0.1:{port};")
    replaced = replaced.replace("root /usr/share/nginx/html;", f"root {site};")
    temp = "".join(
        f"    {name}_temp_path {work}/{name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    replaced = replaced.replace("http {\n", "http {\n" + temp, 1)
    assert str(site) in replaced and upstream in replaced, "the config's layout changed"
    return replaced


@pytest.fixture(scope="module")
def edge(services, tmp_path_factory) -> Iterator[Edge]:
    # nginx's workers drop privileges: the site must be readable by anyone.
    work = Path(tempfile.mkdtemp(prefix="bookreader-nginx-"))
    work.chmod(0o755)
    site = work / "html"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_bytes(INDEX)
    (site / "assets" / "app-1a2b3c.js").write_bytes(b"console.log('app');\n")
    for path in [site, site / "assets"]:
        path.chmod(0o755)
    with services.product_runtime(tmp_path_factory.mktemp("edge")) as runtime:
        port = free_port()
        runtime_port = int(runtime.url.rsplit(":", 1)[1])
        config = work / "nginx.conf"
        config.write_text(
            local_config(NGINX_CONF.read_text(), runtime_port, port, work, site), encoding="utf-8"
        )
        process = subprocess.Popen(
            [NGINX, "-c", str(config), "-e", str(work / "startup.log"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(port, process, work)
            yield Edge(f"http://127.0.0.1:{port}", runtime)
        finally:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    shutil.rmtree(work, ignore_errors=True)


def _wait_for_port(port: int, process: subprocess.Popen, work: Path) -> None:
    deadline = time.time() + 20
    while time.time() < deadline:
        if process.poll() is not None:
            logs = "".join(p.read_text() for p in work.glob("*.log"))
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{logs}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start listening")


def test_the_spa_comes_from_disk_with_its_caching(edge: Edge) -> None:
    page = requests.get(edge.url + "/library/42", timeout=10)
    assert page.status_code == 200 and page.content == INDEX
    assert page.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    script = requests.get(edge.url + "/assets/app-1a2b3c.js", timeout=10)
    assert script.status_code == 200
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert requests.get(edge.url + "/assets/gone.js", timeout=10).status_code == 404


def test_the_refresh_cookie_names_the_path_the_browser_uses(edge: Edge) -> None:
    headers = {"X-Forwarded-For": fake_ip(), "X-Forwarded-Prefix": "/not-ours"}
    body = {"email": new_email(), "password": strong_password()}
    registered = requests.post(
        edge.url + "/api/auth/register", json=body, headers=headers, timeout=20
    )
    assert registered.status_code == 201, registered.text
    assert registered.headers["Content-Type"] == "application/json"
    cookie = refresh_cookie_of(registered)
    # The client's X-Forwarded-Prefix never reached the runtime.
    assert cookie["path"] == "/api/auth"
    # A browser sends the cookie to /api/auth/refresh: it works there.
    refreshed = requests.post(
        edge.url + "/api/auth/refresh",
        headers={"Cookie": f"refresh_token={cookie.value}", "X-Forwarded-For": fake_ip()},
        timeout=20,
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refresh_cookie_of(refreshed)["path"] == "/api/auth"


def test_the_api_answers_json_and_the_runtime_endpoints_stay_inside(edge: Edge) -> None:
    me = requests.get(edge.url + "/api/auth/me", timeout=10)
    assert me.status_code == 401 and me.json()["error"]["code"] == "unauthenticated"
    missing = requests.get(edge.url + "/api/no/such/route", timeout=10)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    auth = edge.runtime.auth
    assert requests.get(edge.url + "/_local/status", headers=auth, timeout=10).status_code == 404
    assert (
        requests.get(edge.url + "/api/_local/status", headers=auth, timeout=10).status_code == 404
    )
    health = requests.get(edge.url + "/api/health", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}
