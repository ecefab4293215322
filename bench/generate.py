"""Issue 6's benchmark: what the image pipeline adds per image around the provider, and how many
images per second it delivers, through the running product.

Each scenario runs the product's template on its own database with one provider:
- overhead: a local pollinations.ai fake that answers at once with a 1024×1024 JPEG; images are
  requested one at a time, and the overhead is the record's time from creation to `ready`
  (queue, claim, prompt, the ~1 ms loopback call, decoding, WebP + thumbnail, storage, DB);
- sketch: the offline provider, a burst of requests at once;
- slow provider: the same fake answering after 2 s, a burst at concurrency 8.
Completion is read from the images table (created_at → updated_at), so polling costs nothing.
"""

from __future__ import annotations

import io
import json
import random
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from PIL import Image, ImageFilter

from bench.parse import Uploader
from bench.services import production_runtime
from bench.stats import summary
from bookreader import db
from local.launcher import RunningRuntime
from local.settings import PROJECT_ROOT
from tests.support.fake_image_servers import PollinationsServer, Reply

BOOK = PROJECT_ROOT / "tests" / "fixtures" / "books" / "fb2"
BOOK = BOOK / "ru-gen-pushkin-kapitanskaya-dochka.cp1251.fb2"
STYLES = ["watercolour", "ink sketch", "oil painting", "engraving", "anime", "photo-real"]
CONCURRENCY = 8
WORKERS = CONCURRENCY + 2
SLOW_PROVIDER_S = 2.0


class SlowPollinations(PollinationsServer):
    """The fake pollinations.ai answering after `delay` seconds."""

    delay = 0.0

    def contract(self, request: Any) -> Reply:
        reply = super().contract(request)
        reply.delay = self.delay
        return reply


def picture_like_jpeg(side: int = 1024) -> bytes:
    """A 1024² JPEG with detail at every scale, like a provider's picture (pollinations.ai
    answers JPEG): a flat colour would make decoding and encoding look cheaper than they are."""
    rng = random.Random(1877)
    coarse = Image.frombytes("RGB", (side // 4, side // 4), rng.randbytes((side // 4) ** 2 * 3))
    image = coarse.resize((side, side), Image.Resampling.BICUBIC)
    image = image.filter(ImageFilter.GaussianBlur(2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@contextmanager
def product(work: Path, provider_url: str | None) -> Iterator[tuple[RunningRuntime, str, str]]:
    """The product with WORKERS generate workers; pollinations at `provider_url`, or sketch."""
    parameters = json.loads((PROJECT_ROOT / "local" / "parameters.json").read_text())
    # Two workers more than provider slots: while eight wait on the provider, the others
    # encode and store the pictures already drawn, so the slots never stand idle.
    parameters["PoolSize"]["GenerateFunction"] = WORKERS
    parameters_file = work / "parameters.json"
    parameters_file.write_text(json.dumps(parameters))
    overrides = f"ImageDailyQuota=100000 ImageConcurrency={CONCURRENCY} ImageRatePerMinute=100000"
    if provider_url:
        overrides += f" ImageProviders='[\"pollinations\"]' PollinationsUrl={provider_url}"
    with production_runtime(
        work, LOCAL_PARAMETERS=str(parameters_file), LOCAL_PARAMETER_OVERRIDES=overrides
    ) as (runtime, services):
        yield runtime, services.database_url, services.mode


def extracted_book(runtime: RunningRuntime) -> tuple[Uploader, list[str]]:
    """A reader with the Pushkin novel extracted, and its description ids."""
    reader = Uploader(runtime)
    try:
        reader.upload_to_parsed(BOOK.name, BOOK.read_bytes(), poll_s=0.25)
    except RuntimeError as error:  # what the runtime saw is the clue
        lines = [line for line in runtime.log().splitlines() if "LibraryFunction" not in line]
        tail = "\n".join(lines[-60:])
        raise RuntimeError(f"{error}\n--- runtime log (no polls) ---\n{tail}") from None
    book_id = _get(reader, "/books")["items"][0]["id"]
    deadline = time.monotonic() + 300
    while _get(reader, f"/books/{book_id}")["state"] != "ready":
        if time.monotonic() > deadline:
            raise RuntimeError("extraction did not finish")
        time.sleep(0.25)
    items = _get(reader, f"/books/{book_id}/descriptions", limit="500")["items"]
    return reader, [item["id"] for item in items]


def request(reader: Uploader, description_id: str, style: str) -> str:
    response = requests.post(
        f"{reader.url}/descriptions/{description_id}/illustrations",
        json={"style": style},
        headers=reader.headers,
        timeout=30,
    )
    if response.status_code != 202:
        raise RuntimeError(f"request refused: {response.status_code} {response.text}")
    return response.json()["id"]


def wait_done(database_url: str, image_ids: list[str], timeout: float = 600) -> list[dict]:
    """Wait until every image is ready or failed; their states and DB timestamps."""
    deadline = time.monotonic() + timeout
    with db.connect(database_url) as conn:
        while True:
            rows = conn.run(
                "SELECT id::text, state, error_code, created_at, updated_at FROM images"
                " WHERE id = ANY(CAST(:ids AS uuid[]))",
                ids=image_ids,
            )
            if all(row[1] in ("ready", "failed") for row in rows) and len(rows) == len(image_ids):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("images did not finish in time")
            time.sleep(0.05)
    records = [
        {"id": r[0], "state": r[1], "error": r[2], "created": r[3], "done": r[4]} for r in rows
    ]
    failed = [r for r in records if r["state"] != "ready"]
    if failed:
        raise RuntimeError(f"{len(failed)} images failed, e.g. {failed[0]['error']}")
    return records


def overhead(reader: Uploader, database_url: str, jobs: list[tuple[str, str]]) -> dict[str, Any]:
    """One image at a time: creation → ready per image, in ms."""
    durations = []
    for description_id, style in jobs:
        [record] = wait_done(database_url, [request(reader, description_id, style)])
        durations.append((record["done"] - record["created"]).total_seconds() * 1000)
    return summary(durations)


def burst(reader: Uploader, database_url: str, jobs: list[tuple[str, str]]) -> dict[str, Any]:
    """All at once: images per second from the first creation to the last `ready`."""
    with ThreadPoolExecutor(CONCURRENCY) as pool:  # requests arrive together, as from many tabs
        ids = list(pool.map(lambda job: request(reader, *job), jobs))
    records = wait_done(database_url, ids)
    first = min(r["created"] for r in records)
    last = max(r["done"] for r in records)
    seconds = (last - first).total_seconds()
    latencies = [(r["done"] - r["created"]).total_seconds() * 1000 for r in records]
    return {
        "images": len(records),
        "seconds": seconds,
        "images_per_s": len(records) / seconds,
        "latency_ms": summary(latencies),
    }


def step_medians(log: str) -> dict[str, float]:
    """Median milliseconds of each step, from the generate function's "image ready" lines."""
    steps: dict[str, list[float]] = {}
    for line in log.splitlines():
        if '"image ready"' not in line:
            continue
        entry = json.loads(line[line.index("{") :])
        for name in ("prepare_ms", "provider_ms", "encode_ms", "store_ms"):
            steps.setdefault(name, []).append(float(entry[name]))
    return {name: statistics.median(values) for name, values in steps.items()}


def jobs_for(descriptions: list[str], style: str, count: int) -> list[tuple[str, str]]:
    if len(descriptions) < count:
        raise RuntimeError(f"the book has {len(descriptions)} descriptions, {count} needed")
    return [(description, style) for description in descriptions[:count]]


def run(work: Path, sequential: int = 60, burst_size: int = 48) -> dict[str, Any]:
    """Each phase is a reader of its own (a user may make 100 writes a minute) with their own
    copy of the book, and a style of its own: the same book file shares pictures across
    readers through the cache, and no phase may reuse another's."""
    results: dict[str, Any] = {}
    with SlowPollinations(picture_like_jpeg()) as fake:
        fake_dir = work / "fake"
        fake_dir.mkdir()
        with product(fake_dir, fake.url) as (runtime, database_url, mode):
            reader, descriptions = extracted_book(runtime)
            results["mode"] = mode
            results["descriptions"] = len(descriptions)
            # Warm every worker (imports, sessions) before measuring.
            burst(reader, database_url, jobs_for(descriptions, STYLES[5], CONCURRENCY))
            log_start = len(runtime.log())
            reader, descriptions = extracted_book(runtime)
            results["overhead"] = overhead(
                reader, database_url, jobs_for(descriptions, STYLES[0], sequential)
            )
            results["overhead_steps"] = step_medians(runtime.log()[log_start:])
            fake.delay = SLOW_PROVIDER_S
            reader, descriptions = extracted_book(runtime)
            results["slow_provider"] = burst(
                reader, database_url, jobs_for(descriptions, STYLES[1], burst_size)
            )
    sketch_dir = work / "sketch"
    sketch_dir.mkdir()
    with product(sketch_dir, None) as (runtime, database_url, _):
        reader, descriptions = extracted_book(runtime)
        burst(reader, database_url, jobs_for(descriptions, STYLES[5], CONCURRENCY))  # warm-up
        reader, descriptions = extracted_book(runtime)
        results["sketch"] = burst(
            reader, database_url, jobs_for(descriptions, STYLES[2], burst_size)
        )
    return results


def render(results: dict[str, Any], environment: list[str]) -> str:
    over, slow, sketch = results["overhead"], results["slow_provider"], results["sketch"]
    lines = [
        "## Illustrations (issue 6)",
        "",
        *environment,
        f"- Generate workers: {WORKERS}; provider concurrency limit {CONCURRENCY};"
        f" book: Pushkin, «Капитанская дочка» ({results['descriptions']} descriptions)",
        "",
        "### Pipeline overhead per image, provider excluded",
        "",
        "One image at a time; a local pollinations.ai fake answers at once with a 1024×1024 JPEG",
        "(320 KB of picture-like detail).",
        "From the record's creation to `ready`: queue, claim, prompt, the loopback call, decode,",
        "WebP + thumbnail, two object writes and the database.",
        "",
        "| n | p50 ms | p90 ms | p99 ms | max ms |",
        "|---:|---:|---:|---:|---:|",
        f"| {over['n']} | {over['p50']:.1f} | {over['p90']:.1f} | {over['p99']:.1f} |"
        f" {over['max']:.1f} |",
        "",
        "Median per step inside generate: "
        + ", ".join(
            f"{name.removesuffix('_ms')} {value:.1f} ms"
            for name, value in results["overhead_steps"].items()
        )
        + " (provider = the slot, the rate limit, the loopback call and validation).",
        "",
        "### Throughput (a burst of requests at once)",
        "",
        "| provider | images | seconds | images/s | latency p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
        _burst_row("sketch (offline, Pillow)", sketch),
        _burst_row(f"fake, {SLOW_PROVIDER_S:.0f} s per image", slow),
        "",
        "### Goals",
        "",
        "| goal | measured | met |",
        "|---|---:|---|",
        _goal("overhead p99 < 100 ms", f"{over['p99']:.1f} ms", over["p99"] < 100),
        _goal(
            "≥ 3.5 images/s with a 2 s provider at concurrency 8",
            f"{slow['images_per_s']:.2f} images/s",
            slow["images_per_s"] >= 3.5,
        ),
    ]
    return "\n".join(lines)


def _burst_row(name: str, item: dict[str, Any]) -> str:
    latency = item["latency_ms"]
    return (
        f"| {name} | {item['images']} | {item['seconds']:.2f} | {item['images_per_s']:.2f} |"
        f" {latency['p50']:.0f} | {latency['p99']:.0f} |"
    )


def _goal(name: str, measured: str, met: bool) -> str:
    return f"| {name} | {measured} | {'met' if met else '**not met**'} |"


def _get(reader: Uploader, path: str, **params: str) -> Any:
    response = requests.get(reader.url + path, headers=reader.headers, params=params, timeout=30)
    response.raise_for_status()
    return response.json()
