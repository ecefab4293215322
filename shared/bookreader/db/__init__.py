"""PostgreSQL access: a small thread-safe pg8000 connection pool and transactions."""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pg8000.native
from pg8000.native import Connection

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.metrics import (
    DB_CONNECTIONS_OPENED,
    DB_POOL_CAPACITY,
    DB_POOL_IDLE,
    DB_POOL_IN_USE,
)


def connect(database_url: str) -> Connection:
    """Open one connection from a `postgresql://user:pass@host:port/db` URL.

    `?host=/some/dir` (libpq's form, used by embedded PostgreSQL) means a Unix socket.
    """
    url = urlsplit(database_url)
    if url.scheme not in ("postgres", "postgresql"):
        raise BookReaderError(
            "config_invalid", f"DATABASE_URL must be postgresql://, not {url.scheme}://"
        )
    query = parse_qs(url.query)
    socket_dir = (query.get("host") or [""])[0]
    options: dict[str, Any] = {
        "user": unquote(url.username or "postgres"),
        "password": unquote(url.password) if url.password else None,
        "database": unquote(url.path.lstrip("/")) or "postgres",
        "timeout": 10,
        "application_name": "bookreader",
    }
    if socket_dir and socket_dir.startswith("/"):
        port = url.port or 5432
        options["unix_sock"] = f"{socket_dir}/.s.PGSQL.{port}"
    else:
        options["sock"] = _tcp_socket(url.hostname or "127.0.0.1", url.port or 5432)
    return pg8000.native.Connection(**options)


def _tcp_socket(host: str, port: int) -> socket.socket:
    """A TCP connection with Nagle off. pg8000 writes through an 8 KB buffer, so a statement
    over 8 KB (a chapter's HTML) leaves in two sends; with Nagle the second waits for the
    server's delayed ACK, ~20 ms per statement."""
    try:
        sock = socket.create_connection((host, port), timeout=10)
    except OSError as error:
        raise pg8000.InterfaceError(
            f"cannot connect to PostgreSQL at {host}:{port}: {error}"
        ) from error
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    return sock


class Pool:
    """Keeps up to `size` idle connections; a broken connection is dropped, not reused."""

    def __init__(self, database_url: str, size: int = 4) -> None:
        self.database_url = database_url
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue(maxsize=size)
        DB_POOL_CAPACITY.inc(size)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        try:
            conn = self._idle.get_nowait()
            DB_POOL_IDLE.dec()
        except queue.Empty:
            conn = connect(self.database_url)
            DB_CONNECTIONS_OPENED.inc()
        DB_POOL_IN_USE.inc()
        healthy = False
        try:
            yield conn
            healthy = True
        finally:
            DB_POOL_IN_USE.dec()
            if healthy:
                try:
                    self._idle.put_nowait(conn)
                    DB_POOL_IDLE.inc()
                except queue.Full:
                    conn.close()
            else:
                _close_quietly(conn)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection inside BEGIN … COMMIT; any exception rolls back."""
        with self.connection() as conn:
            conn.run("BEGIN")
            try:
                yield conn
            except BaseException:
                conn.run("ROLLBACK")
                raise
            conn.run("COMMIT")

    def close(self) -> None:
        while True:
            try:
                _close_quietly(self._idle.get_nowait())
                DB_POOL_IDLE.dec()
            except queue.Empty:
                return


def _close_quietly(conn: Connection) -> None:
    with contextlib.suppress(Exception):  # the connection is being discarded anyway
        conn.close()


_pool: Pool | None = None
_pool_lock = threading.Lock()


def get_pool() -> Pool:
    """The process-wide pool for the configured DATABASE_URL."""
    global _pool
    with _pool_lock:
        if _pool is None:
            settings = get_settings()
            if not settings.database_url:
                raise BookReaderError("config_missing", "DATABASE_URL is not configured", 500)
            _pool = Pool(settings.database_url, settings.db_pool_size)
        return _pool


def rows_as_dicts(conn: Connection, rows: list[list[Any]]) -> list[dict[str, Any]]:
    """Turn the rows of the last `conn.run` into dicts keyed by column name."""
    names = [column["name"] for column in conn.columns or []]
    return [dict(zip(names, row, strict=True)) for row in rows]
