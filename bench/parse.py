"""Issue 4's benchmark: parse time, throughput and peak memory per book, and the latency from
a finished presigned upload to the book being parsed, through the real runtime."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from bench.stats import summary
from local.launcher import RunningRuntime

# The shared corpus sits beside the repository; BENCH_CORPUS points elsewhere (a git worktree).
CORPUS = Path(
    os.environ.get("BENCH_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)
BOOKS = [
    CORPUS / "bench" / "tolstoy-anna-karenina.fb2",
    CORPUS / "bench" / "tolstoy-voina-i-mir-1.epub",
    CORPUS / "en-idpf-moby-dick.epub3-nav-only.epub",
]


def parse_in_isolation(path: Path, repeats: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.parse_worker", str(path), str(repeats)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["mb_per_s"] = result["bytes"] / 2**20 / result["median_s"]
    return result


def ten_megabyte_book(anna: bytes) -> bytes:
    """A ~10 MB FB2: Anna Karenina's body three times (sections renamed so ids stay unique)."""
    text = (
        anna.decode("utf-8") if b'encoding="utf-8"' in anna[:200].lower() else anna.decode("cp1251")
    )
    start, end = text.index("<body"), text.index("</body>") + len("</body>")
    body = text[start:end]
    copies = [re.sub(r'id="([^"]+)"', rf'id="\1-{n}"', body) for n in range(3)]
    encoding = "utf-8" if b'encoding="utf-8"' in anna[:200].lower() else "cp1251"
    return (text[:start] + "".join(copies) + text[end:]).encode(encoding)


class Uploader:
    def __init__(self, runtime: RunningRuntime) -> None:
        self.url = runtime.api_url
        self.email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
        self.password = "bench passphrase 1877"
        response = requests.post(
            f"{self.url}/auth/register",
            json={"email": self.email, "password": self.password},
            headers={"X-Forwarded-For": f"203.0.113.{uuid.uuid4().int % 250 + 1}"},
            timeout=10,
        )
        response.raise_for_status()
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def upload_to_parsed(self, name: str, data: bytes, poll_s: float = 0.02) -> float:
        """Seconds from the start of the presigned PUT to the book reading `parsed`; each poll
        is a read against the user's 600 a minute, so slow waits should poll slower."""
        response = requests.post(
            f"{self.url}/uploads",
            json={"filename": name, "size": len(data)},
            headers=self.headers,
            timeout=10,
        )
        if response.status_code != 201:
            raise RuntimeError(f"upload refused: {response.status_code} {response.text}")
        started = response.json()
        upload = started["upload"]
        t0 = time.perf_counter()
        requests.put(
            upload["url"], data=data, headers=upload["headers"], timeout=60
        ).raise_for_status()
        deadline = time.monotonic() + 300
        while True:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} was not parsed within 300 s")
            answer = requests.get(
                f"{self.url}/books/{started['book']['id']}", headers=self.headers, timeout=10
            )
            if answer.status_code != 200:
                raise RuntimeError(f"book unreadable: {answer.status_code} {answer.text}")
            book = answer.json()
            if book["state"] not in ("uploading", "parsing"):  # extraction may follow at once
                break
            time.sleep(poll_s)
        elapsed = time.perf_counter() - t0
        if book["state"] == "failed":
            raise RuntimeError(f"{name} failed: {book['error']}")
        return elapsed


def run(runtime: RunningRuntime, repeats: int = 3) -> dict[str, Any]:
    parse = {path.name: parse_in_isolation(path, repeats) for path in BOOKS}
    anna = BOOKS[0].read_bytes()
    big = ten_megabyte_book(anna)

    def unique(data: bytes, n: int) -> bytes:  # a new checksum each time, or it is a duplicate
        return data + f"\n<!-- copy {n} -->\n".encode()

    anna_latency = [
        Uploader(runtime).upload_to_parsed(f"anna-{n}.fb2", unique(anna, n)) for n in range(repeats)
    ]
    big_latency = [
        Uploader(runtime).upload_to_parsed(f"big-{n}.fb2", unique(big, n)) for n in range(repeats)
    ]
    return {
        "parse": parse,
        "anna_upload_to_parsed": summary([s * 1000 for s in anna_latency]),
        "big_upload_to_parsed": summary([s * 1000 for s in big_latency]),
        "big_bytes": len(big),
    }


def render(results: dict[str, Any], environment: list[str]) -> str:
    lines = ["## Upload and parse (issue 4)", "", *environment, ""]
    lines += [
        "### Parse alone (`parse_book`, each book in a fresh process)",
        "",
        "| book | MB | chapters | words | median s | MB/s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, item in results["parse"].items():
        lines.append(
            f"| {name} | {item['bytes'] / 2**20:.2f} | {item['chapters']} | {item['words']} |"
            f" {item['median_s']:.3f} | {item['mb_per_s']:.2f} | {item['peak_rss_mb']:.0f} |"
        )
    anna, big = results["anna_upload_to_parsed"], results["big_upload_to_parsed"]
    lines += [
        "",
        "### Presigned PUT start → `parsed`",
        "",
        "Through the runtime: the store, the event, parse, images and PostgreSQL.",
        "",
        "| book | p50 ms | max ms |",
        "|---|---:|---:|",
        f"| Anna Karenina (3.1 MB FB2) | {anna['p50']:.0f} | {anna['max']:.0f} |",
        f"| synthetic {results['big_bytes'] / 2**20:.1f} MB FB2 |"
        f" {big['p50']:.0f} | {big['max']:.0f} |",
        "",
        "### Goals",
        "",
        "| goal | measured | met |",
        "|---|---:|---|",
        _goal("Anna Karenina parsed and stored < 3 s", anna["p50"], 3000),
        _goal("10 MB upload-to-parsed < 2 s", big["p50"], 2000),
    ]
    return "\n".join(lines)


def _goal(name: str, measured_ms: float, limit_ms: float) -> str:
    met = "met" if measured_ms < limit_ms else "**not met**"
    return f"| {name} | {measured_ms / 1000:.2f} s | {met} |"
