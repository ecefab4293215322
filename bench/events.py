"""Event latency: a presigned PUT to the disk store until RecorderFunction handles the S3 event.

Uploads run one after another; each waits for its record before the next starts. Latency is the
handler's `at` (time.time() in the worker) minus the moment requests' PUT returned.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import requests

from bench.stats import summary
from bookreader.storage.disk import DiskStore
from local.launcher import RunningRuntime

BUCKET = "fixture-000000000000"
CONTENT_TYPE = "application/epub+zip"
PAYLOAD = b"PK\x03\x04" + bytes(1020)  # 1 KiB, shaped like the start of an EPUB


class RecordTail:
    """Follows RECORD_DIR/recorder.jsonl, which the recorder's workers append to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.seen: dict[str, dict[str, Any]] = {}

    def wait_for(self, key: str, timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while key not in self.seen:
            if time.monotonic() > deadline:
                raise TimeoutError(f"RecorderFunction did not record {key} in {timeout} s")
            self._read()
            time.sleep(0.0005)
        return self.seen[key]

    def _read(self) -> None:
        if not self.path.exists():
            return
        with self.path.open("rb") as file:
            file.seek(self.offset)
            chunk = file.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits
        self.offset += len(complete)
        for line in complete.splitlines():
            entry = json.loads(line)
            if "key" in entry:
                self.seen[entry["key"]] = entry


def run(
    runtime: RunningRuntime, record_file: Path, uploads: int = 100, warmup: int = 5
) -> dict[str, Any]:
    """p50/p99 of PUT-returned → handler, PUT-started → handler, and the PUT itself, in ms."""
    secret = json.loads((runtime.data_dir / "secrets.json").read_text())["store_secret"]
    store = DiskStore(runtime.data_dir / "objects", secret, public_url=runtime.url, notify=False)
    tail = RecordTail(record_file)
    after_put: list[float] = []
    from_start: list[float] = []
    put_ms: list[float] = []
    with requests.Session() as session:
        for index in range(-warmup, uploads):
            key = f"uploads/bench/{'warmup-' if index < 0 else ''}{abs(index)}.epub"
            presigned = store.presign_put(
                BUCKET, key, content_type=CONTENT_TYPE, max_bytes=1 << 20, expires_in=300
            )
            started = time.time()
            response = session.put(presigned.url, data=PAYLOAD, headers=presigned.headers)
            done = time.time()
            response.raise_for_status()
            handled_at = float(tail.wait_for(key)["at"])
            if index >= 0:
                after_put.append((handled_at - done) * 1000)
                from_start.append((handled_at - started) * 1000)
                put_ms.append((done - started) * 1000)
    return {
        "uploads": uploads,
        "after_put": summary(after_put),
        "from_put_start": summary(from_start),
        "put": summary(put_ms),
        "handled_before_put_returned": sum(value < 0 for value in after_put),
    }
