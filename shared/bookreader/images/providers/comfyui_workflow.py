"""ComfyUI workflows (API format): the packaged default, and filling in one picture's inputs.

A workflow is `{node_id: {"class_type", "inputs", "_meta": {"title"}}}`; an input that is a
`[node_id, slot]` pair is a link. The nodes to fill are found through the sampler's links, so
any graph shaped like ComfyUI's default (a KSampler fed by two text encoders and an empty
latent) works whatever its node ids; titles ("Positive prompt", …) are the fallback.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from bookreader.errors import BookReaderError
from bookreader.images.model import ImagePrompt

Workflow = dict[str, dict[str, Any]]

DEFAULT_WORKFLOW = "comfyui_sdxl_workflow.json"
_SAMPLERS = ("KSampler", "KSamplerAdvanced")
_SEED_INPUTS = ("seed", "noise_seed")
# CLIPTextEncode has `text`; SDXL's CLIPTextEncodeSDXL has one per text encoder.
_TEXT_INPUTS = ("text", "text_g", "text_l")
_MAX_SEED = 2**64 - 1


def workflow_invalid(reason: str) -> BookReaderError:
    return BookReaderError(
        "comfyui_workflow_invalid",
        f"The ComfyUI workflow cannot be used: {reason}",
        500,
        {"provider": "comfyui", "reason": reason},
    )


def default_workflow() -> Workflow:
    """The SDXL text-to-image workflow shipped with the package."""
    text = resources.files("bookreader.images.providers").joinpath(DEFAULT_WORKFLOW).read_text()
    return parse_workflow(text.encode())


def parse_workflow(data: bytes) -> Workflow:
    """An API-format workflow from JSON bytes; the UI's export format (with `nodes`) is refused."""
    try:
        parsed = json.loads(data)
    except ValueError as exc:
        raise workflow_invalid(f"not JSON: {exc}") from exc
    if not isinstance(parsed, dict) or "nodes" in parsed:
        raise workflow_invalid("expected the API format (Save (API) in ComfyUI), not the UI format")
    if not all(isinstance(node, dict) and "class_type" in node for node in parsed.values()):
        raise workflow_invalid("every node needs a class_type")
    fill_workflow(parsed, ImagePrompt(prompt="check"))  # fails now rather than at the first picture
    return parsed


def fill_workflow(workflow: Workflow, prompt: ImagePrompt) -> Workflow:
    """A copy of the workflow drawing `prompt`: positive and negative text, seed and size set."""
    graph = copy.deepcopy(workflow)
    sampler = _sampler(graph)
    inputs = sampler["inputs"]
    _set_text(graph, inputs.get("positive"), "positive", prompt.prompt)
    _set_text(graph, inputs.get("negative"), "negative", prompt.negative_prompt)
    seed_input = next((name for name in _SEED_INPUTS if name in inputs), "seed")
    inputs[seed_input] = prompt.seed % (_MAX_SEED + 1)
    latent = _linked(graph, inputs.get("latent_image")) or _titled(graph, "size")
    if latent is None or "width" not in latent["inputs"]:
        raise workflow_invalid("no empty-latent node with width and height feeds the sampler")
    # Latents are an eighth of the picture's size: both sides must be multiples of 8.
    latent["inputs"]["width"] = max(64, prompt.width // 8 * 8)
    latent["inputs"]["height"] = max(64, prompt.height // 8 * 8)
    return graph


def _sampler(graph: Workflow) -> dict[str, Any]:
    samplers = [node for node in graph.values() if node.get("class_type") in _SAMPLERS]
    if len(samplers) != 1:
        raise workflow_invalid(f"expected one KSampler node, found {len(samplers)}")
    return samplers[0]


def _set_text(graph: Workflow, link: Any, role: str, text: str) -> None:
    node = _linked(graph, link) or _titled(graph, role)
    names = [name for name in _TEXT_INPUTS if node is not None and name in node["inputs"]]
    if node is None or not names:
        raise workflow_invalid(f"no text-encoder node for the {role} prompt")
    for name in names:
        node["inputs"][name] = text


def _linked(graph: Workflow, link: Any) -> dict[str, Any] | None:
    if isinstance(link, list) and link and str(link[0]) in graph:
        return graph[str(link[0])]
    return None


def _titled(graph: Workflow, role: str) -> dict[str, Any] | None:
    for node in graph.values():
        title = str((node.get("_meta") or {}).get("title", "")).lower()
        if role in title:
            return node
    return None


def workflow_source(key: str) -> Callable[[], Workflow]:
    """Where the provider gets its workflow: the packaged default when `key` is empty, else the
    object `key` in the books bucket (read once, on first use; a failed read is tried again)."""
    loaded: list[Workflow] = []

    def load() -> Workflow:
        if not loaded:
            loaded.append(default_workflow() if not key else _stored_workflow(key))
        return loaded[0]

    return load


def _stored_workflow(key: str) -> Workflow:
    from bookreader.config import get_settings
    from bookreader.storage import get_store

    bucket = get_settings().books_bucket
    try:
        data = get_store().get(bucket, key)
    except BookReaderError as error:
        raise workflow_invalid(f"{key!r} could not be read from the store: {error.code}") from error
    return parse_workflow(data)
