"""AUTOMATIC1111 / Stable Diffusion WebUI: POST /sdapi/v1/txt2img, base64 images back."""

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


class Automatic1111Provider:
    name = "automatic1111"

    def __init__(
        self,
        client: RetryingClient,
        *,
        base_url: str = "http://127.0.0.1:7860",
        steps: int = 25,
        sampler: str = "Euler a",
        limits: ImageLimits | None = None,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.steps = steps
        self.sampler = sampler
        self.limits = limits or ImageLimits()

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        body = {
            "prompt": prompt.prompt,
            "negative_prompt": prompt.negative_prompt,
            "width": prompt.width,
            "height": prompt.height,
            "seed": prompt.seed,
            "steps": self.steps,
            "sampler_name": self.sampler,
        }
        response = self.client.request(
            "POST",
            f"{self.base_url}/sdapi/v1/txt2img",
            json=body,
            deadline=deadline,
            max_bytes=self.limits.max_bytes * 4 // 3 + 64 * 1024,
        )
        try:
            images = json.loads(response.body).get("images")
        except (ValueError, AttributeError) as exc:
            raise bad_response(self.name, "the response is not a JSON object") from exc
        if not isinstance(images, list) or not images:
            raise bad_response(self.name, "no images in the response")
        data = decode_base64(images[0], self.name)
        return checked_image(data, self.name, prompt.seed, self.limits)
