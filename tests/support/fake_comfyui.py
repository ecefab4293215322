"""A local HTTP server speaking ComfyUI's API: POST /prompt, GET /history/{id}, GET /view.

Shapes as in ComfyUI's server.py (docs/providers.md): a queued prompt is absent from the
history (`{}`) until it has run; then its entry has `outputs` per node and a `status`.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.fake_image_servers import FakeServer, Received, Reply, json_reply, png_bytes

KNOWN_NODES = {
    "CheckpointLoaderSimple",
    "CLIPTextEncode",
    "CLIPTextEncodeSDXL",
    "EmptyLatentImage",
    "KSampler",
    "KSamplerAdvanced",
    "VAEDecode",
    "SaveImage",
}


class ComfyUIServer(FakeServer):
    """Each queued prompt stays pending for `pending_polls` history reads, then is done.

    `never_finish` keeps every prompt pending; `fail_run` ends each run in an execution error;
    `lose_outputs` reports an image its /view cannot find; `checkpoints` are the model files it
    "has"."""

    def __init__(
        self,
        image: bytes | None = None,
        *,
        pending_polls: int = 2,
        never_finish: bool = False,
        fail_run: bool = False,
        lose_outputs: bool = False,
        checkpoints: tuple[str, ...] = ("sd_xl_base_1.0.safetensors",),
    ) -> None:
        super().__init__()
        self.image = image or png_bytes()
        self.pending_polls = pending_polls
        self.never_finish = never_finish
        self.fail_run = fail_run
        self.lose_outputs = lose_outputs
        self.checkpoints = checkpoints
        self.queued: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, int] = {}
        self._files: set[tuple[str, str, str]] = set()

    def contract(self, request: Received) -> Reply:
        if request.method == "POST" and request.path == "/prompt":
            return self._queue(request.json())
        if request.method == "GET" and request.path.startswith("/history/"):
            return self._history(request.path.removeprefix("/history/"))
        if request.method == "GET" and request.path == "/view":
            return self._view(request.query)
        return Reply(404, b"404: Not Found", {"Content-Type": "text/plain"})

    def _queue(self, body: Any) -> Reply:
        graph = body.get("prompt") if isinstance(body, dict) else None
        if not isinstance(graph, dict) or not graph:
            error = {"type": "no_prompt", "message": "No prompt provided", "details": ""}
            return json_reply({"error": error, "node_errors": {}}, 400)
        for node_id, node in graph.items():
            if node.get("class_type") not in KNOWN_NODES:
                error = {
                    "type": "invalid_prompt",
                    "message": f"Cannot execute because node {node.get('class_type')}"
                    " does not exist.",
                    "details": f"Node ID '#{node_id}'",
                }
                return json_reply({"error": error, "node_errors": {}}, 400)
        node_errors = self._node_errors(graph)
        if node_errors:
            error = {
                "type": "prompt_outputs_failed_validation",
                "message": "Prompt outputs failed validation",
                "details": "",
            }
            return json_reply({"error": error, "node_errors": node_errors}, 400)
        prompt_id = str(uuid.uuid4())
        self.queued[prompt_id] = graph
        self._polls[prompt_id] = 0
        return json_reply({"prompt_id": prompt_id, "number": len(self.queued), "node_errors": {}})

    def _node_errors(self, graph: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        for node_id, node in graph.items():
            if node["class_type"] != "CheckpointLoaderSimple":
                continue
            name = node["inputs"].get("ckpt_name")
            if name not in self.checkpoints:
                errors[node_id] = {
                    "errors": [
                        {
                            "type": "value_not_in_list",
                            "message": "Value not in list",
                            "details": f"ckpt_name: '{name}' not in {list(self.checkpoints)}",
                            "extra_info": {"input_name": "ckpt_name"},
                        }
                    ],
                    "dependent_outputs": [],
                    "class_type": node["class_type"],
                }
        return errors

    def _history(self, prompt_id: str) -> Reply:
        graph = self.queued.get(prompt_id)
        if graph is None:
            return json_reply({})
        self._polls[prompt_id] += 1
        if self.never_finish or self._polls[prompt_id] <= self.pending_polls:
            return json_reply({})  # queued or running: not in the history yet
        if self.fail_run:
            error = {"prompt_id": prompt_id, "node_type": "KSampler", "exception_message": "OOM"}
            status = {
                "status_str": "error",
                "completed": False,
                "messages": [["execution_error", error]],
            }
            entry = {"prompt": [1, prompt_id, graph, {}, []], "outputs": {}, "status": status}
            return json_reply({prompt_id: entry})
        save_id = next(k for k, n in graph.items() if n["class_type"] == "SaveImage")
        filename = f"{graph[save_id]['inputs'].get('filename_prefix', 'ComfyUI')}_00001_.png"
        if not self.lose_outputs:
            self._files.add((filename, "", "output"))
        entry = {
            "prompt": [1, prompt_id, graph, {}, [save_id]],
            "outputs": {
                save_id: {"images": [{"filename": filename, "subfolder": "", "type": "output"}]}
            },
            "status": {
                "status_str": "success",
                "completed": True,
                "messages": [["execution_start", {"prompt_id": prompt_id}]],
            },
            "meta": {},
        }
        return json_reply({prompt_id: entry})

    def _view(self, query: dict[str, list[str]]) -> Reply:
        wanted = tuple((query.get(name) or [""])[0] for name in ("filename", "subfolder", "type"))
        if wanted not in self._files:
            return Reply(404, b"404: Not Found", {"Content-Type": "text/plain"})
        return Reply(200, self.image, {"Content-Type": "image/png"})
