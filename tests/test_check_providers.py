"""`make check-providers` (`python -m local check-providers`) against fake providers over real
HTTP: a reachable provider is `ok` with its picture's size, a closed port `unreachable`, and
neither prints a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_comfyui import ComfyUIServer
from tests.support.fake_image_servers import PollinationsServer, png_bytes
from tests.support.fake_llm_server import ChatCompletionsServer

ROOT = Path(__file__).resolve().parent.parent


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def check(overrides: str, *args: str) -> tuple[int, list[str], dict[str, Any], str]:
    """Exit status, the table's lines, the final JSON line, and stderr."""
    env = {**os.environ, "LOCAL_PARAMETER_OVERRIDES": overrides}
    result = subprocess.run(
        [sys.executable, "-m", "local", "check-providers", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.strip().splitlines()
    report = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return result.returncode, lines[:-1], report, result.stderr


@pytest.fixture
def pollinations() -> Iterator[PollinationsServer]:
    with PollinationsServer(png_bytes(96, 80)) as server:
        yield server


@pytest.fixture
def comfy() -> Iterator[ComfyUIServer]:
    with ComfyUIServer(png_bytes(64, 64), pending_polls=1) as server:
        yield server


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["name"]: result for result in report["results"]}


def test_reachable_providers_are_ok_with_their_picture_size_and_a_closed_port_is_unreachable(
    pollinations: PollinationsServer, comfy: ComfyUIServer
) -> None:
    overrides = (
        """ImageProviders='["pollinations","comfyui","openai"]'"""
        f" PollinationsUrl={pollinations.url} ComfyUiUrl={comfy.url}"
        f" OpenAiImagesBaseUrl={closed_port_url()}"
    )
    status, table, report, stderr = check(overrides, "--timeout", "20")

    assert status == 1  # one provider failed
    assert "Traceback" not in stderr
    results = by_name(report)
    assert results["pollinations"]["status"] == "ok"
    assert (results["pollinations"]["width"], results["pollinations"]["height"]) == (96, 80)
    assert results["pollinations"]["bytes"] == len(png_bytes(96, 80))
    assert results["comfyui"]["status"] == "ok" and results["comfyui"]["width"] == 64
    assert results["openai"]["status"] == "unreachable"
    assert results["openai"]["code"] == "provider_unavailable"
    assert (report["ok"], report["failed"]) == (2, 1)
    assert table[0].split() == ["provider", "status", "latency_ms", "image", "detail"]
    rows = {line.split()[0]: line.split() for line in table[1:]}
    assert rows["pollinations"][1] == "ok" and rows["pollinations"][3] == "96x80"
    assert rows["openai"][1:4] == ["unreachable", rows["openai"][2], "-"]
    # One call each: the check neither retries nor waits out a backoff.
    assert len(pollinations.received) == 1
    assert comfy.received[0].path == "/prompt"


def test_all_ok_exits_zero_and_the_assist_is_checked_when_it_is_on(
    pollinations: PollinationsServer,
) -> None:
    with ChatCompletionsServer() as llm:
        overrides = (
            """ImageProviders='["pollinations","sketch"]'"""
            f" PollinationsUrl={pollinations.url} PromptAssistUrl={llm.url}"
            " PromptAssistModel=test-model PromptAssistApiKey=assist-key"
        )
        status, _, report, _ = check(overrides)

        assert status == 0
        results = by_name(report)
        assert results["pollinations"]["status"] == "ok"
        assert results["sketch"]["status"] == "skipped"
        assert results["assist"]["status"] == "ok"
        assert len(llm.completions()) == 1


def test_an_offline_only_chain_checks_every_real_provider_at_its_address() -> None:
    closed = closed_port_url()
    overrides = (
        """ImageProviders='["sketch"]'"""
        f" PollinationsUrl={closed} OpenAiImagesBaseUrl={closed}"
        f" Automatic1111Url={closed} ComfyUiUrl={closed}"
    )
    status, _, report, stderr = check(overrides)

    assert status == 1 and "Traceback" not in stderr
    assert {name: r["status"] for name, r in by_name(report).items()} == {
        "pollinations": "unreachable",
        "openai": "unreachable",
        "automatic1111": "unreachable",
        "comfyui": "unreachable",
    }


def test_an_unknown_provider_is_a_configuration_error_not_a_traceback() -> None:
    status, _, report, stderr = check("", "--providers", "midjourney")

    assert status == 2 and report == {}
    assert "unknown provider(s) midjourney" in stderr and "Traceback" not in stderr
