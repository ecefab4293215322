"""A local HTTP server speaking the OpenAI chat-completions protocol (`POST /v1/chat/completions`),
as OpenAI, Ollama, llama.cpp and vLLM do: the assist's tests talk to it over a real socket."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.support.fake_image_servers import FakeServer, Received, Reply, json_reply

GOOD_ANSWER: dict[str, Any] = {
    "subject": "an old manor house at the edge of a winter forest",
    "prompt": "An old wooden manor house at the edge of a snowy winter forest, a frozen river"
    " below, a young officer in an 18th-century greatcoat looking at the river, dusk light",
    "type": "location",
    "pictureable": True,
}


class ChatCompletionsServer(FakeServer):
    """Answers every chat completion with `answer` as the message content (a dict is sent as
    JSON, a str as it is). `json_object_only` refuses `json_schema` like older servers do."""

    def __init__(
        self,
        answer: dict[str, Any] | str | None = None,
        *,
        api_key: str = "assist-key",
        json_object_only: bool = False,
    ) -> None:
        super().__init__()
        self.answer: dict[str, Any] | str = GOOD_ANSWER if answer is None else answer
        self.api_key = api_key
        self.json_object_only = json_object_only

    def completions(self) -> list[Received]:
        return [r for r in self.received if r.path == "/v1/chat/completions"]

    def contract(self, request: Received) -> Reply:
        if request.method != "POST" or request.path != "/v1/chat/completions":
            return json_reply({"error": {"message": "not found", "type": "invalid_request"}}, 404)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return json_reply(
                {"error": {"message": "Incorrect API key provided", "type": "auth_error"}}, 401
            )
        body = request.json()
        if not body.get("model") or not body.get("messages"):
            return json_reply({"error": {"message": "model and messages are required"}}, 400)
        kind = (body.get("response_format") or {}).get("type")
        if self.json_object_only and kind == "json_schema":
            error = {"message": "response_format type json_schema is not supported"}
            return json_reply({"error": {**error, "type": "invalid_request_error"}}, 400)
        content = self.answer if isinstance(self.answer, str) else json.dumps(self.answer)
        return json_reply(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 200, "completion_tokens": 60, "total_tokens": 260},
            }
        )
