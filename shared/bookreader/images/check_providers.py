"""`make check-providers`: call each configured real image provider once with a fixed prompt
(and the prompt assist, when it is on) and report status, latency and picture size.

Which providers: those named (`--providers`), else the chain's real ones, else — a chain of
only the offline sketch — every real provider at its configured address. Prints a table, then
one JSON line: `{"results": [...], "ok": n, "failed": n}`. Exit status 0 when every check
passed, 1 when any failed, 2 when the configuration cannot be read. Reads the variables the
generate function reads (`python -m local check-providers` resolves them from the template).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from typing import cast, get_args

from pydantic import ValidationError

from bookreader.config import Settings, get_settings
from bookreader.errors import BookReaderError
from bookreader.images.assist.client import AssistConfig, ChatClient, assist_config
from bookreader.images.model import ImagePrompt
from bookreader.images.providers import ProviderConfig, build_provider
from bookreader.images.providers.config import ProviderName
from bookreader.images.settings import provider_config

CHECK_PROMPT = ImagePrompt(
    prompt="Watercolour book illustration: a lighthouse on a rocky shore at dusk, calm sea",
    negative_prompt="text, watermark, signature",
    width=512,
    height=512,
    seed=1234,
    style="watercolour",
    kind="location",
)
_ASSIST_CHECK = json.dumps({"passage": "The lighthouse rose from the rocks above a calm sea."})
_OFFLINE = ("sketch",)


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str  # ok | unreachable | timeout | http_<status> | bad_response | error | skipped
    latency_ms: float | None = None
    width: int | None = None
    height: int | None = None
    bytes: int | None = None
    code: str | None = None  # the error's code when not ok
    message: str = ""


def check_image_provider(
    name: ProviderName, config: ProviderConfig, timeout_s: float
) -> CheckResult:
    if name in _OFFLINE:
        return CheckResult(name, "skipped", message="offline provider, nothing to reach")
    # One attempt: a check reports what a first call meets, it does not wait out backoffs.
    provider = build_provider(name, config.model_copy(update={"max_attempts": 1}))
    started = time.perf_counter()
    try:
        image = provider.generate(CHECK_PROMPT, deadline=time.monotonic() + timeout_s)
    except BookReaderError as error:
        return _failed(name, error, started)
    return CheckResult(
        name,
        "ok",
        _ms(started),
        image.width,
        image.height,
        len(image.data),
        message=image.media_type,
    )


def check_assist(config: AssistConfig, timeout_s: float) -> CheckResult:
    checked = config.model_copy(update={"timeout_seconds": min(timeout_s, config.timeout_seconds)})
    started = time.perf_counter()
    try:
        answer = ChatClient(checked).ask("Answer with the JSON object asked for.", _ASSIST_CHECK)
    except BookReaderError as error:
        return _failed("assist", error, started)
    return CheckResult("assist", "ok", _ms(started), message=f"subject: {answer.subject[:60]}")


def providers_to_check(chain: list[ProviderName], named: list[ProviderName]) -> list[ProviderName]:
    if named:
        return named
    if any(name not in _OFFLINE for name in chain):
        return chain  # the offline sketch, if there, is listed as skipped
    return [name for name in get_args(ProviderName) if name not in _OFFLINE]


def run_checks(
    settings: Settings, names: list[ProviderName] | None = None, timeout_s: float = 60.0
) -> list[CheckResult]:
    config = provider_config(settings)
    chosen = providers_to_check(config.chain, names or [])
    results = [check_image_provider(n, config, timeout_s) for n in chosen]
    assist = assist_config(settings)
    if assist.enabled:
        results.append(check_assist(assist, timeout_s))
    return results


def render_table(results: list[CheckResult]) -> str:
    rows = [("provider", "status", "latency_ms", "image", "detail")]
    for r in results:
        size = f"{r.width}x{r.height} {r.bytes} B" if r.width else "-"
        latency = f"{r.latency_ms:.0f}" if r.latency_ms is not None else "-"
        rows.append((r.name, r.status, latency, size, (r.code or r.message)[:60]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def summary(results: list[CheckResult]) -> dict[str, object]:
    failed = [r for r in results if r.status not in ("ok", "skipped")]
    return {
        "results": [asdict(r) for r in results],
        "ok": sum(r.status == "ok" for r in results),
        "failed": len(failed),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check-providers", description=__doc__)
    parser.add_argument(
        "--providers", default="", help="comma-separated names (default: the chain)"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per provider")
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
        names = [n.strip() for n in args.providers.split(",") if n.strip()]
        unknown = [n for n in names if n not in get_args(ProviderName)]
        if unknown:
            raise ValueError(f"unknown provider(s) {', '.join(unknown)}")
        results = run_checks(settings, cast(list[ProviderName], names) or None, args.timeout)
    except (ValidationError, ValueError) as error:
        print(f"error: the provider configuration cannot be read: {error}", file=sys.stderr)
        return 2
    print(render_table(results))
    report = summary(results)
    print(json.dumps(report, ensure_ascii=False))
    return 0 if report["failed"] == 0 else 1


def _failed(name: str, error: BookReaderError, started: float) -> CheckResult:
    message = error.message[:300]  # a connection error's text can run to a page
    return CheckResult(name, _status(error), _ms(started), code=error.code, message=message)


def _status(error: BookReaderError) -> str:
    http_status = error.details.get("http_status")
    if http_status:
        return f"http_{http_status}"
    if error.code == "provider_unavailable":
        return "unreachable"  # refused, no route, no such host: nothing answered
    if error.code == "provider_timeout":
        return "timeout"
    if error.code in ("provider_bad_response", "assist_bad_response", "assist_answer_invalid"):
        return "bad_response"
    return "error"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


if __name__ == "__main__":
    sys.exit(main())
