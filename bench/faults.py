"""Faults survived: the product on a PostgreSQL, a Redis and an image provider of its own, and each
fault injected while books and pictures are in flight. `python -m bench.faults` (`make
bench-faults`) runs every scenario and writes the table to bench/RESULTS.md; tests/test_faults.py
runs the same scenarios and asserts what they found.

After every fault, every book ends `ready` or `failed` with a code, every requested picture
`ready` or `failed`, nothing is stored twice, and `/health/ready` named what was down.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from bookreader import db
from local.launcher import RunningRuntime, start_runtime
from local.services import EmbeddedRedis
from tests.support.fake_image_servers import PollinationsServer, Reply, png_bytes

ROOT = Path(__file__).resolve().parent.parent
PUSHKIN = ROOT / "tests/fixtures/books/fb2/ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2"
KASHTANKA = ROOT / "tests/fixtures/books/epub/ru-gen-chekhov-kashtanka.epub3-nav-only.epub"
SETTLED_BOOK = ("ready", "failed", "extraction_unsupported_language")
SETTLED_IMAGE = ("ready", "failed")


class OwnedPostgres:
    """An embedded PostgreSQL of our own (pgserver, on a Unix socket) that a fault can stop and
    start again under the running product, with `pg_ctl` as pgserver runs it."""

    def __init__(self, base: Path) -> None:
        self.pgdata = base / "pgdata"
        self.url = ""
        self._server: Any = None

    def init(self) -> None:
        import pgserver

        self.pgdata.mkdir(parents=True)
        self._server = pgserver.get_server(self.pgdata, cleanup_mode=None)
        self.url = self._server.get_uri("postgres")

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl

        pg_ctl(list(args), pgdata=self.pgdata, user=self._server.system_user, timeout=30)

    def start(self) -> None:
        socket_dir = parse_qs(urlsplit(self.url).query)["host"][0]
        log = str(self.pgdata / "log")
        self._pg_ctl("-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", log, "start")

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("-w", "-m", mode, "stop")


@dataclass
class Account:
    """A signed-in reader of the running product."""

    api: str
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def register(cls, runtime: RunningRuntime) -> Account:
        response = requests.post(
            f"{runtime.api_url}/auth/register",
            json={
                "email": f"faults-{uuid.uuid4().hex[:8]}@example.org",
                "password": "a long enough passphrase 42",
            },
            headers={"X-Forwarded-For": f"198.51.100.{uuid.uuid4().int % 250 + 1}"},
            timeout=30,
        )
        response.raise_for_status()
        token = response.json()["access_token"]
        return cls(runtime.api_url, {"Authorization": f"Bearer {token}"})

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.api + path, headers=self.headers, timeout=30, **kwargs)

    def start_upload(self, name: str, data: bytes) -> tuple[str, dict[str, Any]]:
        started = self.call("POST", "/uploads", json={"filename": name, "size": len(data)})
        started.raise_for_status()
        return started.json()["book"]["id"], started.json()["upload"]

    def upload(self, path: Path) -> str:
        data = path.read_bytes()
        book_id, upload = self.start_upload(path.name, data)
        put = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30)
        put.raise_for_status()
        return book_id

    def book(self, book_id: str) -> dict[str, Any]:
        return self.call("GET", f"/books/{book_id}").json()

    def descriptions(self, book_id: str) -> list[dict[str, Any]]:
        return self.call("GET", f"/books/{book_id}/descriptions", params={"limit": "50"}).json()[
            "items"
        ]

    def image(self, image_id: str) -> dict[str, Any]:
        return self.call("GET", f"/illustrations/{image_id}").json()


def wait_until(
    probe: Callable[[], Any], done: Callable[[Any], bool], timeout: float, what: str
) -> Any:
    """Call `probe` until `done(value)`; connection errors count as not yet."""
    deadline = time.monotonic() + timeout
    value: Any = None
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException, ValueError, KeyError):
            value = probe()
            if done(value):
                return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: still {value!r} after {timeout} s")


@dataclass
class Outcome:
    """What one fault did and how the product came out of it."""

    fault: str
    books: dict[str, str] = field(default_factory=dict)  # id → final state (with code)
    images: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    health_down: list[str] = field(default_factory=list)  # what /health/ready named
    recovery_s: float = 0.0  # from the fault's end to every book and picture settled
    notes: list[str] = field(default_factory=list)

    @property
    def survived(self) -> bool:
        return (
            all(state.split(":")[0] in SETTLED_BOOK for state in self.books.values())
            and all(state.split(":")[0] in SETTLED_IMAGE for state in self.images.values())
            and not self.duplicates
        )

    def row(self) -> str:
        books = ", ".join(sorted(self.books.values())) or "—"
        images = ", ".join(sorted(self.images.values())) or "—"
        health = ", ".join(self.health_down) or "—"
        verdict = "survived" if self.survived else "NOT survived"
        duplicates = ", ".join(self.duplicates) or "none"
        return (
            f"| {self.fault} | {verdict}: books {books}; pictures {images}; duplicates"
            f" {duplicates} | {health} | {self.recovery_s:.1f} s |"
        )


class FaultLab:
    """The production template on a PostgreSQL, Redis and image provider this lab owns."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.postgres = OwnedPostgres(base)
        self.redis = EmbeddedRedis(base / "redis-data")
        self.provider = PollinationsServer(png_bytes(320, 200, (30, 60, 120)))
        self.database_url = ""
        self.runtime: RunningRuntime | None = None
        self.env: dict[str, str] = {}

    def start(self) -> None:
        self.postgres.init()
        with db.connect(self.postgres.url) as conn:
            conn.run('CREATE DATABASE "bookreader"')
        self.database_url = self.postgres.url.replace("/postgres?", "/bookreader?")
        self.redis.start()
        self.provider.__enter__()
        self.env = {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis.url,
            "REDIS_PREFIX": "faults",
            # The lab stands in for a proxy on loopback: each registration names its own client
            # in X-Forwarded-For, so the per-IP registration limit does not stop the scenarios.
            "TRUSTED_PROXIES": "127.0.0.1/32,::1/128",
            "LOCAL_PARAMETER_OVERRIDES": (
                f"ImageProviders='[\"pollinations\"]' PollinationsUrl={self.provider.url}"
            ),
        }
        self.runtime = start_runtime(self.base / "runtime", self.env)

    def restart_runtime(self) -> None:
        killed_log = self.base / "runtime" / "runtime.log"
        if killed_log.exists():  # the restarted runtime starts a new log; keep the old one
            killed_log.rename(killed_log.with_suffix(".log.before-restart"))
        self.runtime = start_runtime(self.base / "runtime", self.env)

    def stop(self) -> None:
        if self.runtime is not None:
            self.runtime.stop()
        self.provider.__exit__(None, None, None)
        self.redis.stop()
        self.postgres.stop()

    @property
    def rt(self) -> RunningRuntime:
        assert self.runtime is not None
        return self.runtime

    def kill_redis(self) -> None:
        """SIGKILL, no goodbye: what is acknowledged must already be in the append-only file."""
        process = self.redis._process
        assert process is not None
        process.kill()
        process.wait()
        self.redis._process = None

    def health_watch(self) -> HealthWatch:
        return HealthWatch(self.rt.api_url)

    # --- what the product stored ---------------------------------------------------------
    def duplicates(self, book_ids: list[str]) -> list[str]:
        """Anything stored twice for these books: chapters, descriptions, pictures."""
        found = []
        queries = {
            "descriptions": "SELECT book_id, chapter, start_offset, end_offset FROM descriptions"
            " WHERE book_id = ANY(CAST(:b AS uuid[]))"
            " GROUP BY book_id, chapter, start_offset, end_offset HAVING count(*) > 1",
            "pictures": "SELECT description_id, style, provider, generation FROM images"
            " WHERE book_id = ANY(CAST(:b AS uuid[]))"
            " GROUP BY description_id, style, provider, generation HAVING count(*) > 1",
        }
        with db.connect(self.database_url) as conn:
            for name, sql in queries.items():
                rows = conn.run(sql, b="{" + ",".join(book_ids) + "}")
                if rows:
                    found.append(f"{len(rows)} {name}")
        return found

    def dead_letters(self) -> int:
        import redis

        client = redis.Redis(unix_socket_path=str(self.redis.socket), decode_responses=True)
        return sum(client.xlen(key) for key in client.scan_iter(match="faults:dlq:*"))


class HealthWatch:
    """Polls `/health/ready` in the background and remembers every service it named as down."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.down: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(requests.RequestException, ValueError):
                response = requests.get(self.api_url + "/health/ready", timeout=15)
                if response.status_code == 503:
                    self.down.update(response.json()["error"]["details"]["down"])
            self._stop.wait(0.3)

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=20)


def settle(
    fetch: Callable[[str], dict[str, Any]], ids: list[str], settled: Collection[str], timeout: float
) -> dict[str, str]:
    """Wait for each item (a book, a picture) to reach a settled state: its state, with the
    error code when it failed."""
    result = {}
    for item_id in ids:
        item = wait_until(
            lambda i=item_id: fetch(i), lambda i: i["state"] in settled, timeout, item_id
        )
        code = (item.get("error") or {}).get("code")
        result[item_id] = f"{item['state']}:{code}" if code else item["state"]
    return result


def wait_for_state(account: Account, book_id: str, states: tuple[str, ...]) -> dict[str, Any]:
    return wait_until(
        lambda: account.book(book_id),
        lambda b: b["state"] in (*states, *SETTLED_BOOK),
        120,
        f"book {book_id} to reach {states}",
    )


def request_pictures(account: Account, book_id: str, count: int) -> list[str]:
    """Pictures of passages no earlier scenario asked for: each is new work."""
    items = [item for item in account.descriptions(book_id) if item["id"] not in _asked][:count]
    _asked.update(item["id"] for item in items)
    ids = []
    for item in items:
        response = account.call("POST", f"/descriptions/{item['id']}/illustrations")
        response.raise_for_status()
        ids.append(response.json()["id"])
    return ids


_asked: set[str] = set()


# --- the scenarios ---------------------------------------------------------------------------
SETTLE_S = 60  # every fault here settles in well under 20 s


def postgres_restart(lab: FaultLab, ready_book: tuple[Account, str]) -> Outcome:
    """PostgreSQL stopped (fast shutdown) and started again while a book parses, another
    extracts and pictures are drawn."""
    outcome = Outcome("PostgreSQL stopped for 3 s during parse, extract and generate")
    account, ready_id = ready_book
    uploader = Account.register(lab.rt)
    extracting = uploader.upload(PUSHKIN)
    wait_for_state(uploader, extracting, ("extracting",))
    pictures = request_pictures(account, ready_id, 3)
    data = KASHTANKA.read_bytes()
    parsing, upload = uploader.start_upload(KASHTANKA.name, data)
    with lab.health_watch() as watch:
        lab.postgres.stop()
        # The upload lands while the database is away: parse starts and cannot finish.
        requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30)
        time.sleep(3)
        lab.postgres.start()
        restarted = time.monotonic()
        outcome.books = settle(uploader.book, [parsing, extracting], SETTLED_BOOK, SETTLE_S)
        outcome.images = settle(account.image, pictures, SETTLED_IMAGE, SETTLE_S)
        outcome.recovery_s = time.monotonic() - restarted
    outcome.health_down = sorted(watch.down)
    outcome.duplicates = lab.duplicates([parsing, extracting, ready_id])
    return outcome


def redis_restart(lab: FaultLab, ready_book: tuple[Account, str]) -> Outcome:
    """Redis killed (SIGKILL) with uploads' events and picture requests queued and running,
    started again on its append-only file 2 s later."""
    outcome = Outcome("Redis killed with messages in flight, restarted on its append-only file")
    account, ready_id = ready_book
    lab.provider.script(*[Reply(200, png_bytes(320, 200), {"Content-Type": "image/png"}, 1.5)] * 4)
    pictures = request_pictures(account, ready_id, 4)
    uploader = Account.register(lab.rt)
    book_id = uploader.upload(KASHTANKA)
    with lab.health_watch() as watch:
        time.sleep(0.5)
        lab.kill_redis()
        time.sleep(2)
        lab.redis.start()
        restarted = time.monotonic()
        outcome.books = settle(uploader.book, [book_id], SETTLED_BOOK, SETTLE_S)
        outcome.images = settle(account.image, pictures, SETTLED_IMAGE, SETTLE_S)
        outcome.recovery_s = time.monotonic() - restarted
    outcome.health_down = sorted(watch.down)
    outcome.duplicates = lab.duplicates([book_id, ready_id])
    return outcome


def store_failing(lab: FaultLab, ready_book: tuple[Account, str]) -> Outcome:
    """The object store refuses writes (its folder immutable: what a full disk answers) while a
    book is uploaded and pictures are stored; then writes work again and the upload is retried."""
    outcome = Outcome("Object store failing every write for 3 s (upload and generate)")
    account, ready_id = ready_book
    objects = lab.rt.data_dir / "objects"
    uploader = Account.register(lab.rt)
    data = KASHTANKA.read_bytes()
    book_id, upload = uploader.start_upload(KASHTANKA.name, data)
    with lab.health_watch() as watch:
        _make_read_only(objects, True)
        try:
            refused = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30)
            outcome.notes.append(f"upload during the fault: HTTP {refused.status_code}")
            pictures = request_pictures(account, ready_id, 3)
            time.sleep(3)
        finally:
            _make_read_only(objects, False)
        restarted = time.monotonic()
        # The browser retries a failed PUT; the presigned URL is still valid.
        again = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=30)
        outcome.notes.append(f"upload retried after: HTTP {again.status_code}")
        outcome.books = settle(uploader.book, [book_id], SETTLED_BOOK, SETTLE_S)
        outcome.images = settle(account.image, pictures, SETTLED_IMAGE, SETTLE_S)
        outcome.recovery_s = time.monotonic() - restarted
    outcome.health_down = sorted(watch.down)
    outcome.duplicates = lab.duplicates([book_id, ready_id])
    return outcome


def _make_read_only(root: Path, read_only: bool) -> None:
    """Every folder and file of the store immutable: even root's writes are refused, as a full
    or failed disk refuses them."""
    subprocess.run(["chattr", "-R", "+i" if read_only else "-i", str(root)], check=True)


def worker_killed(lab: FaultLab, ready_book: tuple[Account, str]) -> Outcome:
    """Every generate worker killed (SIGKILL) while the provider is still drawing."""
    outcome = Outcome("Generate workers killed (SIGKILL) mid-picture")
    account, ready_id = ready_book
    lab.provider.script(*[Reply(200, png_bytes(320, 200), {"Content-Type": "image/png"}, 3)] * 4)
    pictures = request_pictures(account, ready_id, 4)
    wait_until(lambda: len(lab.provider.received), lambda n: n > 0, 30, "provider asked")
    time.sleep(0.5)
    for pid in lab.rt.status()["functions"]["GenerateFunction"]["pids"]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    outcome.images = settle(account.image, pictures, SETTLED_IMAGE, SETTLE_S)
    outcome.recovery_s = time.monotonic() - killed
    outcome.duplicates = lab.duplicates([ready_id])
    return outcome


def runtime_killed(lab: FaultLab, ready_book: tuple[Account, str]) -> Outcome:
    """The whole runtime killed with `kill -9` while a book extracts and pictures are drawn,
    then started again on the same data."""
    outcome = Outcome("Runtime killed with kill -9 mid-extract and mid-picture, restarted")
    account, ready_id = ready_book
    lab.provider.script(*[Reply(200, png_bytes(320, 200), {"Content-Type": "image/png"}, 2)] * 3)
    uploader = Account.register(lab.rt)
    book_id = uploader.upload(PUSHKIN)
    wait_for_state(uploader, book_id, ("extracting",))
    pictures = request_pictures(account, ready_id, 3)
    time.sleep(0.5)
    lab.rt.process.send_signal(signal.SIGKILL)
    lab.rt.process.wait()
    down = time.monotonic()
    lab.restart_runtime()
    account.api = uploader.api = lab.rt.api_url
    outcome.books = settle(uploader.book, [book_id], SETTLED_BOOK, SETTLE_S)
    outcome.images = settle(account.image, pictures, SETTLED_IMAGE, SETTLE_S)
    outcome.recovery_s = time.monotonic() - down
    outcome.duplicates = lab.duplicates([book_id, ready_id])
    return outcome


SCENARIOS = (postgres_restart, redis_restart, store_failing, worker_killed, runtime_killed)


@contextlib.contextmanager
def fault_lab() -> Iterator[FaultLab]:
    base = Path(tempfile.mkdtemp(prefix="bookreader-faults-"))
    lab = FaultLab(base)
    try:
        lab.start()
        yield lab
    finally:
        lab.stop()
        if os.environ.get("FAULT_LAB_KEEP"):  # to read the runtime's logs after a failure
            print(f"fault lab kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def ready_book(lab: FaultLab) -> tuple[Account, str]:
    account = Account.register(lab.rt)
    book_id = account.upload(KASHTANKA)
    book = wait_for_state(account, book_id, ("ready",))
    assert book["state"] == "ready", book
    return account, book_id


def main() -> int:
    from bench.results import environment_lines, machine, write_section

    environment = environment_lines(
        machine(), "embedded PostgreSQL and Redis of the lab's own, a local fake image provider"
    )
    rows = []
    with fault_lab() as lab:
        book = ready_book(lab)
        for scenario in SCENARIOS:
            started = time.monotonic()
            outcome = scenario(lab, book)
            print(outcome.row(), f"({time.monotonic() - started:.0f} s)", flush=True)
            rows.append(outcome.row())
        dead = lab.dead_letters()
    body = "\n".join(
        [
            "## Faults survived (issue 14)",
            "",
            *environment,
            "",
            "`make bench-faults`: the production template on a PostgreSQL, Redis and image",
            "provider of its own; each fault is injected while books and pictures are in flight.",
            "Recovery: from the fault's end (service back, runtime restarted) until every book",
            "and picture has settled. `/health/ready`: the services it named as down meanwhile.",
            "",
            "| fault | outcome | `/health/ready` named | recovery |",
            "|---|---|---|---:|",
            *rows,
            "",
            f"Dead letters left after all faults: {dead}.",
            "",
            "What the lab found and what was fixed: a PostgreSQL restart cost every pooled",
            "connection one failed request (500) and could exhaust a function's retries; a killed",
            "generate worker left its picture `running` and its provider slot leased for 180 s; a",
            "message whose acknowledgement met a Redis outage ran twice; after kill -9 in-flight",
            "messages waited for the visibility timeout and orphaned workers ran on; a store that",
            "could not write answered 500 and readiness never noticed it. Then: slot releases that",
            "met Redis restarting were dropped, so the pictures after a Redis restart waited for",
            "slots, spent their retries on `provider_busy` and stayed `queued` (dead-lettered);",
            "and the retry of an extraction that died found its book `extracting` and skipped it.",
            "Releases now wait out a restart, one extraction per book runs under a lease that a",
            "retry takes over from a dead run, and the sweeper re-drives lost pictures.",
        ]
    )
    write_section("faults", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
