"""Several providers in order; the next one is tried only when falling through is configured."""

from __future__ import annotations

from collections.abc import Sequence

from bookreader.errors import BookReaderError
from bookreader.images.model import ImagePrompt
from bookreader.images.providers.base import GeneratedImage, ImageProvider
from bookreader.metrics import declare_image_providers


class ProviderChain:
    name = "chain"

    def __init__(self, providers: Sequence[ImageProvider], *, fall_through: bool = False) -> None:
        if not providers:
            raise ValueError("a provider chain needs at least one provider")
        self.providers = list(providers)
        self.fall_through = fall_through
        declare_image_providers(provider.name for provider in self.providers)

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        failures: list[dict[str, str]] = []
        for provider in self.providers:
            try:
                # The image keeps the name of the provider that drew it, not "chain".
                return provider.generate(prompt, deadline=deadline)
            except BookReaderError as exc:
                if not self.fall_through:
                    raise
                failures.append(
                    {"provider": provider.name, "code": exc.code, "message": exc.message}
                )
        raise BookReaderError(
            "providers_failed",
            "every image provider failed: "
            + "; ".join(f"{f['provider']}: {f['code']}" for f in failures),
            502,
            {"failures": failures},
        )
