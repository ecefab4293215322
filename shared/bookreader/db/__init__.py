"""PostgreSQL access: a small thread-safe pg8000 connection pool and transactions."""

from __future__ import annotations

import contextlib
import queue
import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

import pg8000.native
from pg8000.native import Connection
from pydantic import BaseModel

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


def connect_waiting(database_url: str, wait_s: float) -> Connection:
    """`connect`, trying again for up to `wait_s` while the server is down or starting; then
    503 `database_unavailable` (a wrong password or database fails at once)."""
    give_up = time.monotonic() + wait_s
    delay = 0.1
    while True:
        try:
            return connect(database_url)
        except (pg8000.InterfaceError, pg8000.DatabaseError) as error:
            if not server_gone(error):
                raise
            if time.monotonic() + delay > give_up:
                raise BookReaderError(
                    "database_unavailable", "The database is unavailable; try again shortly.", 503
                ) from error
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


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

    def __init__(self, database_url: str, size: int = 4, connect_wait_s: float = 0.0) -> None:
        self.database_url = database_url
        self.connect_wait_s = connect_wait_s
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue(maxsize=size)
        DB_POOL_CAPACITY.inc(size)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        conn = self._take_idle()
        if conn is None:
            conn = connect_waiting(self.database_url, self.connect_wait_s)
            DB_CONNECTIONS_OPENED.inc()
        DB_POOL_IN_USE.inc()
        healthy = False
        try:
            yield conn
            healthy = True
        except (pg8000.InterfaceError, pg8000.DatabaseError) as error:
            if server_gone(error):
                # The server went away (a restart, a failover): every idle connection is as dead
                # as this one, and the caller's retry must not meet them one by one.
                self.discard_idle()
            raise
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

    def _take_idle(self) -> Connection | None:
        """An idle connection the server has not closed meanwhile (a restart), else None."""
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return None
            DB_POOL_IDLE.dec()
            if not _closed_by_server(conn):
                return conn
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

    def discard_idle(self) -> None:
        """Close every idle connection; the next checkout opens a fresh one."""
        self.close()

    def close(self) -> None:
        while True:
            try:
                _close_quietly(self._idle.get_nowait())
                DB_POOL_IDLE.dec()
            except queue.Empty:
                return


# SQLSTATE class 57: the server shut down or is starting; 08: the connection itself failed.
_SERVER_GONE_CODES = ("57P01", "57P02", "57P03", "08")


def server_gone(error: Exception) -> bool:
    """Whether `error` means the connection (or the server) is gone, not that a statement
    failed."""
    if isinstance(error, pg8000.InterfaceError):
        return True
    details = error.args[0] if error.args else None
    code = details.get("C", "") if isinstance(details, dict) else ""
    return code.startswith(_SERVER_GONE_CODES)


def _closed_by_server(conn: Connection) -> bool:
    """An idle connection has nothing to read; one the server ended has its goodbye (or EOF)
    waiting. Checked without a round trip."""
    sock = getattr(conn, "_usock", None)
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):  # closed already
        return True
    return bool(readable)


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
            _pool = Pool(
                settings.database_url, settings.db_pool_size, settings.db_connect_wait_seconds
            )
        return _pool


def rows_as_dicts(conn: Connection, rows: list[list[Any]]) -> list[dict[str, Any]]:
    """Turn the rows of the last `conn.run` into dicts keyed by column name."""
    names = [column["name"] for column in conn.columns or []]
    return [dict(zip(names, row, strict=True)) for row in rows]


ModelT = TypeVar("ModelT", bound=BaseModel)


def rows_as(conn: Connection, rows: list[list[Any]], model: type[ModelT]) -> list[ModelT]:
    """The rows of the last `conn.run` as typed records (columns named like the fields)."""
    return [model.model_validate(row) for row in rows_as_dicts(conn, rows)]


def first_as(conn: Connection, rows: list[list[Any]], model: type[ModelT]) -> ModelT | None:
    """The first row of the last `conn.run` as a typed record, or None when there is none."""
    found = rows_as(conn, rows, model)
    return found[0] if found else None
