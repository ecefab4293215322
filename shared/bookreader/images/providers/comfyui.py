"""ComfyUI: queue a workflow (POST /prompt), poll GET /history/{prompt_id}, fetch GET /view.

The protocol as verified in ComfyUI's server.py and its API example: docs/providers.md.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from bookreader.errors import BookReaderError
from bookreader.images.model import ImagePrompt
from bookreader.images.providers.base import GeneratedImage, bad_response, checked_image
from bookreader.images.providers.comfyui_workflow import Workflow, fill_workflow
from bookreader.images.retry import RetryingClient
from bookreader.images.validate import ImageLimits

_JSON_LIMIT = 4 * 1024 * 1024  # a history entry echoes the workflow back; a few MiB is plenty


class ComfyUIProvider:
    name = "comfyui"

    def __init__(
        self,
        client: RetryingClient,
        *,
        base_url: str = "http://127.0.0.1:8188",
        workflow: Callable[[], Workflow],
        poll_seconds: float = 1.0,
        limits: ImageLimits | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self._workflow = workflow  # loaded on first use: the store may not be up at build time
        self.poll_seconds = poll_seconds
        self.limits = limits or ImageLimits()
        self._sleep = sleep
        self._clock = clock
        self.client_id = uuid.uuid4().hex

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        graph = fill_workflow(self._workflow(), prompt)
        prompt_id = self._queue(graph, deadline)
        image = self._wait_for_output(prompt_id, deadline)
        data = self.client.request(
            "GET",
            f"{self.base_url}/view",
            params=image,
            deadline=deadline,
            max_bytes=self.limits.max_bytes,
        ).body
        return checked_image(data, self.name, prompt.seed, self.limits)

    def _queue(self, graph: Workflow, deadline: float) -> str:
        body = {"prompt": graph, "client_id": self.client_id}
        try:
            response = self.client.request(
                "POST",
                f"{self.base_url}/prompt",
                json=body,
                deadline=deadline,
                max_bytes=_JSON_LIMIT,
            )
        except BookReaderError as error:
            if error.details.get("http_status") == 400:
                raise _workflow_rejected(error) from error
            raise
        answer = _json_object(response.body, self.name)
        if answer.get("node_errors"):
            raise _rejected(answer.get("node_errors"))
        prompt_id = answer.get("prompt_id")
        if not isinstance(prompt_id, str) or not prompt_id:
            raise bad_response(self.name, "no prompt_id in the answer to POST /prompt")
        return prompt_id

    def _wait_for_output(self, prompt_id: str, deadline: float) -> dict[str, str]:
        """The first output image's `filename`, `subfolder` and `type` once the run is done."""
        while True:
            try:
                response = self.client.request(
                    "GET",
                    f"{self.base_url}/history/{prompt_id}",
                    deadline=deadline,
                    max_bytes=_JSON_LIMIT,
                )
            except BookReaderError as error:
                # The deadline can pass during a poll as well as between polls: either way the
                # run was queued, and its id is what an admin needs to find it in ComfyUI.
                if error.code == "provider_timeout":
                    raise _timed_out(prompt_id) from error
                raise
            entry = _json_object(response.body, self.name).get(prompt_id)
            if isinstance(entry, dict):
                status = entry.get("status") or {}
                if isinstance(status, dict) and status.get("status_str") == "error":
                    raise _run_failed(prompt_id, status.get("messages"))
                image = _first_image(entry.get("outputs"))
                if image is not None:
                    return image
                if isinstance(status, dict) and status.get("completed"):
                    raise bad_response(self.name, "the workflow finished without an image")
            # Not in the history yet: queued or still running.
            if self._clock() + self.poll_seconds >= deadline:
                raise _timed_out(prompt_id)
            self._sleep(self.poll_seconds)


def _timed_out(prompt_id: str) -> BookReaderError:
    return BookReaderError(
        "provider_timeout",
        f"comfyui: prompt {prompt_id} had not finished by the deadline",
        504,
        {"provider": "comfyui", "prompt_id": prompt_id},
    )


def _first_image(outputs: Any) -> dict[str, str] | None:
    if not isinstance(outputs, dict):
        return None
    for node_output in outputs.values():
        images = node_output.get("images") if isinstance(node_output, dict) else None
        for image in images or []:
            if isinstance(image, dict) and image.get("filename"):
                return {
                    "filename": str(image["filename"]),
                    "subfolder": str(image.get("subfolder") or ""),
                    "type": str(image.get("type") or "output"),
                }
    return None


def _json_object(body: bytes, provider: str) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise bad_response(provider, "the answer is not JSON") from exc
    if not isinstance(parsed, dict):
        raise bad_response(provider, "the answer is not a JSON object")
    return parsed


def _rejected(node_errors: Any, message: str = "") -> BookReaderError:
    return BookReaderError(
        "comfyui_workflow_rejected",
        "ComfyUI refused the workflow" + (f": {message}" if message else ""),
        502,
        {"provider": "comfyui", "node_errors": node_errors or {}},
    )


def _workflow_rejected(error: BookReaderError) -> BookReaderError:
    # The 400 body is {"error": {"type", "message", …}, "node_errors": {…}}; keep what it says.
    try:
        answer = json.loads(str(error.details.get("reason") or ""))
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    problem = answer.get("error")
    message = str(problem.get("message", "")) if isinstance(problem, dict) else ""
    return _rejected(answer.get("node_errors"), message or str(error.details.get("reason", "")))


def _run_failed(prompt_id: str, messages: Any) -> BookReaderError:
    return BookReaderError(
        "comfyui_run_failed",
        f"ComfyUI could not run prompt {prompt_id}",
        502,
        {"provider": "comfyui", "prompt_id": prompt_id, "messages": messages or []},
    )
