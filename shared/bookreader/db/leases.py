"""Leases on a piece of work held by a live worker: PostgreSQL session advisory locks.

A lease is held on a connection kept for the purpose while the work runs. A worker that dies
(killed, its runtime gone, its machine lost) loses the lock with its connection, so the retry of
its work takes over at once, while a duplicate delivery meeting a live worker leaves it alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bookreader import db


def lease_key(name: str) -> int:
    """The advisory-lock key (a signed 64-bit integer) of the work called `name`."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# A worker whose runtime was killed notices within a second and exits, and its connection (and
# lease) goes with it: the retry that the restarted runtime delivers at once waits that long.
DEAD_HOLDER_WAIT_S = 5.0


@contextmanager
def session_lease(name: str, wait_s: float = DEAD_HOLDER_WAIT_S) -> Iterator[bool]:
    """Whether this worker holds the lease on `name`, held until the block ends; a lease held
    elsewhere is waited for up to `wait_s` (its holder may be a dying worker)."""
    key = lease_key(name)
    give_up = time.monotonic() + wait_s
    with db.get_pool().connection() as conn:
        while not (held := bool(conn.run("SELECT pg_try_advisory_lock(:k)", k=key)[0][0])):
            if time.monotonic() >= give_up:
                break
            time.sleep(0.2)
        try:
            yield held
        finally:
            if held:
                # A connection lost meanwhile has released the lock already.
                with contextlib.suppress(Exception):
                    conn.run("SELECT pg_advisory_unlock(:k)", k=key)
