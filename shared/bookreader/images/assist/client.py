"""One call to an OpenAI-compatible chat server (`POST {base}/v1/chat/completions`).

Asks for a JSON-schema-constrained answer; a server that refuses `json_schema` (400) is asked
once more with `json_object` (the schema is in the instructions too). No retries otherwise:
the offline prompt is always there, so a slow or failing assist costs one attempt only.
"""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import BaseModel, SecretStr

from bookreader.config import Settings
from bookreader.errors import BookReaderError
from bookreader.images.assist.answer import ANSWER_SCHEMA, AssistAnswer, parse_answer
from bookreader.images.retry import RetryingClient, RetryPolicy

_MAX_BODY = 256 * 1024
_MAX_TOKENS = 600


class AssistConfig(BaseModel):
    url: str = ""
    model: str = ""
    api_key: SecretStr | None = None
    timeout_seconds: float = 20.0
    daily_budget: int = 200
    rate_per_minute: int = 30

    @property
    def enabled(self) -> bool:
        return bool(self.url and self.model and self.daily_budget > 0)

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        return f"{base}/chat/completions" if base.endswith("/v1") else f"{base}/v1/chat/completions"


def assist_config(settings: Settings) -> AssistConfig:
    return AssistConfig(
        url=settings.prompt_assist_url,
        model=settings.prompt_assist_model,
        api_key=settings.prompt_assist_api_key,
        timeout_seconds=settings.prompt_assist_timeout_seconds,
        daily_budget=settings.prompt_assist_daily_budget,
        rate_per_minute=settings.prompt_assist_rate_per_minute,
    )


class ChatClient:
    """Asks the configured model for an AssistAnswer."""

    def __init__(self, config: AssistConfig, client: RetryingClient | None = None) -> None:
        self.config = config
        self.client = client or RetryingClient(
            "assist",
            RetryPolicy(
                max_attempts=1,
                connect_timeout=min(5.0, config.timeout_seconds),
                request_timeout=config.timeout_seconds,
            ),
        )

    def ask(self, system: str, user: str) -> AssistAnswer:
        deadline = time.monotonic() + self.config.timeout_seconds
        try:
            content = self._complete(system, user, _schema_format(), deadline)
        except BookReaderError as error:
            if error.details.get("http_status") not in (400, 422):
                raise
            # Ollama before structured outputs, some llama.cpp builds: JSON mode only.
            content = self._complete(system, user, {"type": "json_object"}, deadline)
        return parse_answer(content)

    def _complete(
        self, system: str, user: str, response_format: dict[str, Any], deadline: float
    ) -> str:
        body = {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": 0.2,
            "max_tokens": _MAX_TOKENS,
            "response_format": response_format,
        }
        key = self.config.api_key.get_secret_value() if self.config.api_key else ""
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        response = self.client.request(
            "POST",
            self.config.endpoint,
            json=body,
            headers=headers,
            deadline=deadline,
            max_bytes=_MAX_BODY,
        )
        return _message_content(response.body)


def _schema_format() -> dict[str, Any]:
    return {
        "type": "json_schema",
        "json_schema": {"name": "illustration_prompt", "strict": True, "schema": ANSWER_SCHEMA},
    }


def _message_content(body: bytes) -> str:
    try:
        parsed = json.loads(body)
        content = parsed["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BookReaderError(
            "assist_bad_response", "The assist's response has no message content.", 502
        ) from exc
    if not isinstance(content, str):
        raise BookReaderError("assist_bad_response", "The assist's message is not text.", 502)
    return content
