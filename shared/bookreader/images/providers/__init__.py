"""Image providers behind one interface, and the chain built from configuration."""

from __future__ import annotations

import time
from typing import Any

from bookreader.images.providers.automatic1111 import Automatic1111Provider
from bookreader.images.providers.base import GeneratedImage, ImageProvider
from bookreader.images.providers.chain import ProviderChain
from bookreader.images.providers.comfyui import ComfyUIProvider
from bookreader.images.providers.comfyui_workflow import workflow_source
from bookreader.images.providers.config import ProviderConfig, ProviderName
from bookreader.images.providers.openai_images import OpenAIImagesProvider
from bookreader.images.providers.pollinations import PollinationsProvider
from bookreader.images.providers.sketch import SketchProvider
from bookreader.images.retry import RetryingClient, RetryPolicy
from bookreader.images.validate import ImageLimits

__all__ = [
    "Automatic1111Provider",
    "ComfyUIProvider",
    "GeneratedImage",
    "ImageProvider",
    "OpenAIImagesProvider",
    "PollinationsProvider",
    "ProviderChain",
    "ProviderConfig",
    "SketchProvider",
    "build_chain",
    "build_provider",
]


def build_chain(config: ProviderConfig, **client_options: Any) -> ProviderChain:
    """The configured chain; `client_options` (sleep, clock, session…) go to each RetryingClient."""
    providers = [build_provider(name, config, **client_options) for name in config.chain]
    return ProviderChain(providers, fall_through=config.fall_through)


def build_provider(
    name: ProviderName, config: ProviderConfig, **client_options: Any
) -> ImageProvider:
    limits = ImageLimits(config.max_image_bytes, config.max_image_side, config.max_image_pixels)
    policy = RetryPolicy(
        max_attempts=config.max_attempts,
        base_delay=config.backoff_base_seconds,
        max_delay=config.backoff_max_seconds,
        connect_timeout=config.connect_timeout_seconds,
        request_timeout=config.request_timeout_seconds,
    )
    if name == "sketch":
        return SketchProvider()
    client = RetryingClient(name, policy, **client_options)
    if name == "pollinations":
        return PollinationsProvider(
            client,
            base_url=config.pollinations_url,
            model=config.pollinations_model,
            limits=limits,
        )
    if name == "openai":
        key = config.openai_api_key.get_secret_value() if config.openai_api_key else ""
        return OpenAIImagesProvider(
            client,
            base_url=config.openai_base_url,
            api_key=key,
            model=config.openai_model,
            limits=limits,
        )
    if name == "automatic1111":
        return Automatic1111Provider(
            client,
            base_url=config.automatic1111_url,
            steps=config.automatic1111_steps,
            sampler=config.automatic1111_sampler,
            limits=limits,
        )
    if name == "comfyui":
        return ComfyUIProvider(
            client,
            base_url=config.comfyui_url,
            workflow=workflow_source(config.comfyui_workflow),
            poll_seconds=config.comfyui_poll_seconds,
            limits=limits,
            sleep=client_options.get("sleep", time.sleep),
            clock=client_options.get("clock", time.monotonic),
        )
    raise ValueError(f"unknown image provider {name!r}")
