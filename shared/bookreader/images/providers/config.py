"""What the providers need from the settings, as one model: the caller fills it from Settings."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr

from bookreader.config import ImageProviderName as ProviderName


class ProviderConfig(BaseModel):
    # Providers tried in order; the next one only when `fall_through` is on.
    chain: list[ProviderName] = Field(["pollinations"], min_length=1)
    fall_through: bool = False

    pollinations_url: str = "https://image.pollinations.ai"
    pollinations_model: str = "flux"
    openai_base_url: str = "https://api.openai.com"
    openai_api_key: SecretStr | None = None
    openai_model: str = "dall-e-3"
    automatic1111_url: str = "http://127.0.0.1:7860"
    automatic1111_steps: int = Field(25, ge=1, le=150)
    automatic1111_sampler: str = "Euler a"
    comfyui_url: str = "http://127.0.0.1:8188"
    comfyui_workflow: str = ""  # empty: the packaged SDXL workflow; else a key in the store
    comfyui_poll_seconds: float = Field(1.0, gt=0)

    # One layer of retries per provider call (bookreader.images.retry).
    max_attempts: int = Field(4, ge=1, le=10)
    backoff_base_seconds: float = Field(0.5, gt=0)
    backoff_max_seconds: float = Field(8.0, gt=0)
    connect_timeout_seconds: float = Field(5.0, gt=0)
    request_timeout_seconds: float = Field(60.0, gt=0)

    # What a response may be (bookreader.images.validate).
    max_image_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    max_image_side: int = Field(4096, ge=64)
    max_image_pixels: int = Field(4096 * 4096, ge=64 * 64)
