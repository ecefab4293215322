"""The main journey in Chromium through nginx (the edge as self-hosters run it, TLS included) in
front of the real runtime, with the built SPA: register, upload, read, and no
Content-Security-Policy violation on the way (frontend/e2e/edge.e2e.ts)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from local.edge import EdgeLayout, Nginx, find_nginx, self_signed_certificate
from local.launcher import free_port

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
DIST = FRONTEND / "dist"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
    pytest.mark.skipif(
        not (DIST / "index.html").exists() or not (FRONTEND / "node_modules").exists(),
        reason="the web app is not built (make spa)",
    ),
]


def test_the_main_journey_through_nginx_has_no_csp_violation(services, tmp_path: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="bookreader-edge-e2e-"))
    work.chmod(0o755)  # nginx's workers (nobody) write their temp files under it
    cert = self_signed_certificate(work / "tls")
    http_port, https_port = free_port(), free_port()
    url = f"https://127.0.0.1:{https_port}"
    try:
        with services.product_runtime(tmp_path, PUBLIC_URL=url) as runtime:
            app = runtime.url.removeprefix("http://")
            nginx = Nginx(
                EdgeLayout(
                    app=app,
                    store=app,
                    http_port=http_port,
                    https_port=https_port,
                    site_root=DIST.resolve(),
                    work_dir=work / "nginx",
                    cert=cert,
                    key=work / "tls" / "key.pem",
                )
            )
            nginx.start()
            try:
                run = subprocess.run(
                    ["npx", "playwright", "test"],
                    cwd=FRONTEND,
                    env={**os.environ, "E2E_EDGE_URL": url, "CHROMIUM_PATH": CHROMIUM},
                    capture_output=True,
                    text=True,
                    timeout=420,
                )
            finally:
                nginx.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert "1 passed" in run.stdout, run.stdout[-3000:]
