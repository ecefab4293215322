"""The ComfyUI provider over real HTTP against a fake server speaking ComfyUI's API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.images.model import ImagePrompt
from bookreader.images.providers import ComfyUIProvider, ProviderConfig, build_provider
from bookreader.images.providers.comfyui_workflow import (
    default_workflow,
    fill_workflow,
    parse_workflow,
)
from bookreader.images.retry import RetryingClient, RetryPolicy
from bookreader.storage import get_store
from tests.support.domain import domain_environment
from tests.support.fake_comfyui import ComfyUIServer
from tests.support.fake_image_servers import png_bytes

PROMPT = ImagePrompt(
    prompt="An old manor on a hill at dusk, watercolour",
    negative_prompt="text, watermark",
    width=770,
    height=1030,
    seed=4242,
)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def provider(server: ComfyUIServer, sleeps: Sleeps | None = None, **options: object):
    client = RetryingClient("comfyui", RetryPolicy(max_attempts=2, base_delay=0.01))
    return ComfyUIProvider(
        client,
        base_url=server.url,
        workflow=default_workflow,
        poll_seconds=0.05,
        sleep=sleeps if sleeps is not None else time.sleep,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def comfy() -> Iterator[ComfyUIServer]:
    with ComfyUIServer(png_bytes(80, 96)) as server:
        yield server


def test_comfyui_draws_the_filled_workflow_and_fetches_the_picture(comfy: ComfyUIServer) -> None:
    sleeps = Sleeps()
    image = provider(comfy, sleeps).generate(PROMPT, deadline=time.monotonic() + 30)

    assert (image.provider, image.seed, image.data) == ("comfyui", 4242, png_bytes(80, 96))
    assert (image.width, image.height) == (80, 96)
    (graph,) = comfy.queued.values()
    sampler = next(n for n in graph.values() if n["class_type"] == "KSampler")["inputs"]
    assert graph[sampler["positive"][0]]["inputs"]["text"] == PROMPT.prompt
    assert graph[sampler["negative"][0]]["inputs"]["text"] == "text, watermark"
    assert sampler["seed"] == 4242
    size = graph[sampler["latent_image"][0]]["inputs"]
    assert (size["width"], size["height"]) == (768, 1024)  # multiples of 8
    paths = [r.path for r in comfy.received]
    assert paths[0] == "/prompt" and paths[-1] == "/view"
    assert paths.count(paths[1]) == 3 and paths[1].startswith("/history/")  # 2 pending + done
    assert len(sleeps) == 2  # it waited between polls, not in a tight loop
    view = comfy.received[-1].query
    assert (view["filename"], view["type"]) == (["bookreader_00001_.png"], ["output"])


def test_node_errors_on_queue_fail_with_the_node_named(comfy: ComfyUIServer) -> None:
    comfy.checkpoints = ("dreamshaper.safetensors",)
    with pytest.raises(BookReaderError) as caught:
        provider(comfy).generate(PROMPT, deadline=time.monotonic() + 30)

    error = caught.value
    assert error.code == "comfyui_workflow_rejected"
    assert "1" in error.details["node_errors"] or "failed validation" in error.message
    assert len(comfy.received) == 1  # a refused workflow is not sent again


def test_a_run_that_never_finishes_times_out_with_a_code() -> None:
    server = ComfyUIServer(never_finish=True)
    # Long enough for the workflow to be queued even on a loaded machine.
    with server, pytest.raises(BookReaderError) as caught:
        provider(server).generate(PROMPT, deadline=time.monotonic() + 3.0)

    assert caught.value.code == "provider_timeout"
    assert caught.value.details["prompt_id"] in server.queued
    assert not any(r.path == "/view" for r in server.received)


def test_a_failed_run_is_reported_with_its_messages() -> None:
    server = ComfyUIServer(fail_run=True, pending_polls=0)
    with server, pytest.raises(BookReaderError) as caught:
        provider(server).generate(PROMPT, deadline=time.monotonic() + 30)

    assert caught.value.code == "comfyui_run_failed"
    assert caught.value.details["messages"][0][0] == "execution_error"


def test_a_picture_the_view_cannot_find_is_a_rejection_not_a_retry_loop() -> None:
    server = ComfyUIServer(lose_outputs=True, pending_polls=0)
    with server, pytest.raises(BookReaderError) as caught:
        provider(server).generate(PROMPT, deadline=time.monotonic() + 30)

    assert caught.value.code == "provider_rejected"
    assert caught.value.details["http_status"] == 404
    assert [r.path for r in server.received].count("/view") == 1


def test_an_sdxl_workflow_with_other_node_ids_and_two_text_encoders_is_filled() -> None:
    workflow: dict[str, dict[str, Any]] = {
        "10": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "x"}},
        "pos": {
            "class_type": "CLIPTextEncodeSDXL",
            "inputs": {"text_g": "", "text_l": "", "clip": ["10", 1]},
        },
        "neg": {"class_type": "CLIPTextEncode", "inputs": {"text": "", "clip": ["10", 1]}},
        "lat": {"class_type": "EmptyLatentImage", "inputs": {"width": 1, "height": 1}},
        "s": {
            "class_type": "KSamplerAdvanced",
            "inputs": {
                "noise_seed": 1,
                "positive": ["pos", 0],
                "negative": ["neg", 0],
                "latent_image": ["lat", 0],
            },
        },
    }
    graph = fill_workflow(parse_workflow(json.dumps(workflow).encode()), PROMPT)

    assert graph["pos"]["inputs"]["text_g"] == graph["pos"]["inputs"]["text_l"] == PROMPT.prompt
    assert graph["neg"]["inputs"]["text"] == PROMPT.negative_prompt
    assert graph["s"]["inputs"]["noise_seed"] == 4242
    assert workflow["pos"]["inputs"]["text_g"] == ""  # the admin's workflow itself is untouched


def test_the_ui_export_format_is_refused_with_a_reason() -> None:
    with pytest.raises(BookReaderError) as caught:
        parse_workflow(json.dumps({"nodes": [], "links": []}).encode())
    assert caught.value.code == "comfyui_workflow_invalid"
    assert "API format" in caught.value.message


@pytest.fixture
def store_env(services, database_url, redis_prefix, tmp_path, monkeypatch):
    yield from domain_environment(
        monkeypatch, database_url, services.redis_url, redis_prefix, tmp_path
    )


def test_an_admins_workflow_in_the_store_is_the_one_queued(store_env, comfy) -> None:
    custom = default_workflow()
    custom["1"]["inputs"]["ckpt_name"] = "dreamshaper.safetensors"
    custom["7"]["inputs"]["filename_prefix"] = "mine"
    get_store().put(
        get_settings().books_bucket, "config/comfyui/workflow.json", json.dumps(custom).encode()
    )
    comfy.checkpoints = ("dreamshaper.safetensors",)
    config = ProviderConfig(
        chain=["comfyui"],
        comfyui_url=comfy.url,
        comfyui_workflow="config/comfyui/workflow.json",
        comfyui_poll_seconds=0.05,
    )
    image = build_provider("comfyui", config).generate(PROMPT, deadline=time.monotonic() + 30)

    assert image.provider == "comfyui"
    (graph,) = comfy.queued.values()
    assert graph["1"]["inputs"]["ckpt_name"] == "dreamshaper.safetensors"
    assert graph["2"]["inputs"]["text"] == PROMPT.prompt


def test_a_missing_workflow_object_fails_the_picture_with_a_clear_code(store_env, comfy) -> None:
    config = ProviderConfig(chain=["comfyui"], comfyui_url=comfy.url, comfyui_workflow="nope.json")
    with pytest.raises(BookReaderError) as caught:
        build_provider("comfyui", config).generate(PROMPT, deadline=time.monotonic() + 30)
    assert caught.value.code == "comfyui_workflow_invalid"
    assert comfy.received == []
