"""What the image pipeline reads from the one Settings object, in the shapes it needs."""

from __future__ import annotations

from bookreader.config import Settings
from bookreader.images.providers.config import ProviderConfig


def provider_config(settings: Settings) -> ProviderConfig:
    return ProviderConfig(
        chain=settings.image_providers,
        fall_through=settings.image_fall_through,
        pollinations_url=settings.pollinations_url,
        openai_base_url=settings.openai_images_base_url,
        openai_api_key=settings.openai_images_api_key,
        openai_model=settings.openai_images_model,
        automatic1111_url=settings.automatic1111_url,
        comfyui_url=settings.comfyui_url,
        comfyui_workflow=settings.comfyui_workflow,
        comfyui_poll_seconds=settings.comfyui_poll_seconds,
        request_timeout_seconds=min(60.0, settings.image_deadline_seconds),
    )


def concurrency_for(settings: Settings, provider: str) -> int:
    return settings.image_concurrency_by_provider.get(provider, settings.image_concurrency)


def rate_for(settings: Settings, provider: str) -> int:
    return settings.image_rate_per_minute_by_provider.get(provider, settings.image_rate_per_minute)
