"""`make local-up-edge` (`python -m local up-edge`): the runtime with this machine's nginx in front,
a self-signed certificate made on first start, everything stopped by one Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests

from local.edge import find_nginx
from local.launcher import free_port
from local.settings import PROJECT_ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.runtime,
    pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed"),
]
INDEX = b"<!doctype html><title>edge</title><div id=root></div>"


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_local_up_edge_serves_the_product_through_nginx_and_stops_it(
    services, tmp_path: Path
) -> None:
    # nginx's workers (nobody, under root) read the site: not under pytest's private tmp dir.
    site = Path(tempfile.mkdtemp(prefix="bookreader-edge-site-"))
    site.chmod(0o755)
    (site / "index.html").write_bytes(INDEX)
    database_url = services.create_database()
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    port, http_port, https_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "EDGE_HTTP_PORT": str(http_port),
        "EDGE_HTTPS_PORT": str(https_port),
        "DATA_DIR": str(tmp_path / "data"),
        "LOCAL_SPA_DIR": str(site),
        "DATABASE_URL": database_url,
        "REDIS_URL": services.redis_url,
        "REDIS_PREFIX": prefix,
    }
    env.pop("PUBLIC_URL", None)
    log = (tmp_path / "up-edge.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "local", "up-edge"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"https://localhost:{https_port}"
    cert = tmp_path / "data" / "edge-tls" / "cert.pem"
    try:
        # Up when it says so, as a person running it would see.
        deadline = time.time() + 120
        output = ""
        while time.time() < deadline and process.poll() is None:
            output = (tmp_path / "up-edge.log").read_text(errors="replace")
            if "BookReader AI is running" in output:
                break
            time.sleep(0.2)
        assert process.poll() is None and _listening(https_port), output[-3000:]
        # The presigned URLs are signed for nginx's origin: the runtime's public URL is it.
        assert f"open {base}/" in output, output[-2000:]
        # The certificate made on first start is kept in the data directory and verifies.
        health = requests.get(base + "/api/health", verify=str(cert), timeout=20)
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        assert "max-age=" in health.headers["Strict-Transport-Security"]
        page = requests.get(base + "/library", verify=str(cert), timeout=20)
        assert page.status_code == 200 and page.content == INDEX, page.status_code
        assert page.headers["Cache-Control"] == "no-cache"
        redirect = requests.get(
            f"http://localhost:{http_port}/library", allow_redirects=False, timeout=20
        )
        assert redirect.headers["Location"] == base + "/library"
        hidden = requests.get(base + "/_local/metrics", verify=str(cert), timeout=20)
        assert hidden.status_code == 404
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        log.close()
        services.drop_database(database_url)
        services.delete_redis_keys(prefix)
        shutil.rmtree(site, ignore_errors=True)
    assert code == 0, (tmp_path / "up-edge.log").read_text(errors="replace")[-3000:]
    assert not _listening(https_port) and not _listening(http_port), "nginx was left running"
