"""pollinations.ai: a GET with the prompt in the path and image bytes back; no key needed."""

from __future__ import annotations

from urllib.parse import quote

from bookreader.images.model import ImagePrompt
from bookreader.images.providers.base import GeneratedImage, checked_image
from bookreader.images.retry import RetryingClient
from bookreader.images.validate import ImageLimits


class PollinationsProvider:
    name = "pollinations"

    def __init__(
        self,
        client: RetryingClient,
        *,
        base_url: str = "https://image.pollinations.ai",
        model: str = "flux",
        limits: ImageLimits | None = None,
    ) -> None:
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.limits = limits or ImageLimits()

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        # safe="" so a "/" or "?" in the prompt cannot change the path or start the query.
        url = f"{self.base_url}/prompt/{quote(prompt.prompt, safe='')}"
        params: dict[str, str | int] = {
            "width": prompt.width,
            "height": prompt.height,
            "seed": prompt.seed,
            "model": self.model,
            "nologo": "true",
        }
        if prompt.negative_prompt:
            params["negative"] = prompt.negative_prompt
        response = self.client.request(
            "GET", url, params=params, deadline=deadline, max_bytes=self.limits.max_bytes
        )
        return checked_image(response.body, self.name, prompt.seed, self.limits)
