"""Any OpenAI-compatible images API: POST /v1/images/generations, `b64_json` or a `url` back."""

from __future__ import annotations

import json

from bookreader.images.model import ImagePrompt
from bookreader.images.providers.base import (
    GeneratedImage,
    bad_response,
    checked_image,
    decode_base64,
)
from bookreader.images.retry import RetryingClient
from bookreader.images.validate import ImageLimits


class OpenAIImagesProvider:
    name = "openai"

    def __init__(
        self,
        client: RetryingClient,
        *,
        base_url: str = "https://api.openai.com",
        api_key: str = "",
        model: str = "dall-e-3",
        limits: ImageLimits | None = None,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.model = model
        self.limits = limits or ImageLimits()

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        # The API has no negative prompt and no seed; the seed is still recorded with the image.
        body = {
            "model": self.model,
            "prompt": prompt.prompt,
            "size": f"{prompt.width}x{prompt.height}",
            "n": 1,
            "response_format": "b64_json",
        }
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        response = self.client.request(
            "POST",
            f"{self.base_url}/v1/images/generations",
            json=body,
            headers=headers,
            deadline=deadline,
            # base64 is 4/3 of the image, plus the JSON around it.
            max_bytes=self.limits.max_bytes * 4 // 3 + 64 * 1024,
        )
        first = _first_item(response.body, self.name)
        if first.get("b64_json"):
            data = decode_base64(first["b64_json"], self.name)
        elif isinstance(url := first.get("url"), str) and url.startswith(("http://", "https://")):
            # No Authorization here: the URL points at a file host, not at the API.
            data = self.client.request(
                "GET", url, deadline=deadline, max_bytes=self.limits.max_bytes
            ).body
        else:
            raise bad_response(self.name, "data[0] has neither b64_json nor an http(s) url")
        return checked_image(data, self.name, prompt.seed, self.limits)


def _first_item(body: bytes, provider: str) -> dict[str, object]:
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise bad_response(provider, "the response is not JSON") from exc
    items = parsed.get("data") if isinstance(parsed, dict) else None
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        raise bad_response(provider, f"no data[0] in the response: {body[:200]!r}")
    return items[0]
