"""Start the local runtime as a child process and wait until it serves (tests, benchmarks)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from local.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningRuntime:
    url: str
    token: str
    data_dir: Path
    process: subprocess.Popen[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        """Where the template's routes are served (the API Gateway stage)."""
        return f"{self.url}/api"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def status(self) -> dict:
        return requests.get(f"{self.url}/_local/status", headers=self.auth, timeout=5).json()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_runtime(
    data_dir: Path, env: dict[str, str], template: Path | None = None, wait: float = 90
) -> RunningRuntime:
    """Run `python -m local up` with `env` added; raise with its log if it does not come up."""
    port = free_port()
    token = env.get("LOCAL_INTERNAL_TOKEN", "test-runtime-token")
    child_env = {
        **os.environ,
        "PORT": str(port),
        "DATA_DIR": str(data_dir),
        "LOCAL_INTERNAL_TOKEN": token,
        **({"TEMPLATE": str(template)} if template else {}),
        **env,
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        if child_env.get(name) == "":
            child_env.pop(name)
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "runtime.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "local", "up"],
        cwd=PROJECT_ROOT,
        env=child_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    runtime = RunningRuntime(
        f"http://127.0.0.1:{port}", token, data_dir, process, log_path, child_env
    )
    deadline = time.time() + wait
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"runtime exited with {process.returncode}:\n{runtime.log()}")
        try:
            if requests.get(f"{runtime.url}/_local/status", headers=runtime.auth, timeout=1).ok:
                return runtime
        except requests.RequestException:
            pass
        time.sleep(0.1)
    runtime.stop()
    raise RuntimeError(f"runtime did not come up in {wait} s:\n{runtime.log()}")
