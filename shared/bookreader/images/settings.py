"""Image pipeline settings, read from the environment (IMAGE_*) like the main Settings."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bookreader.images.providers.config import ProviderConfig, ProviderName


class ImageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    # The provider a new image is recorded under: the chain's first choice.
    providers: list[ProviderName] = Field(
        default_factory=lambda: ["pollinations"], min_length=1, validation_alias="IMAGE_PROVIDERS"
    )
    daily_quota: int = Field(50, ge=0, validation_alias="IMAGE_DAILY_QUOTA")
    # Concurrent calls per provider; JSON `{"pollinations": 2}` overrides the default per name.
    concurrency: int = Field(4, ge=1, validation_alias="IMAGE_CONCURRENCY")
    concurrency_by_provider: dict[str, int] = Field(
        default_factory=dict, validation_alias="IMAGE_CONCURRENCY_BY_PROVIDER"
    )
    # Calls per provider per minute; JSON overrides per name as above.
    rate_per_minute: int = Field(60, ge=1, validation_alias="IMAGE_RATE_PER_MINUTE")
    rate_per_minute_by_provider: dict[str, int] = Field(
        default_factory=dict, validation_alias="IMAGE_RATE_PER_MINUTE_BY_PROVIDER"
    )
    # How long a generate waits for a slot (or the rate limit) before 503 `provider_busy`.
    slot_wait_seconds: float = Field(10.0, ge=0, validation_alias="IMAGE_SLOT_WAIT_SECONDS")
    # A slot's lease: a crashed worker's slot frees itself after this. Keep above the deadline.
    slot_ttl_seconds: float = Field(180.0, gt=0, validation_alias="IMAGE_SLOT_TTL_SECONDS")
    # Total time for the provider chain, retries included.
    deadline_seconds: float = Field(150.0, gt=0, validation_alias="IMAGE_DEADLINE_SECONDS")

    # The providers themselves (see providers.config.ProviderConfig).
    fall_through: bool = Field(False, validation_alias="IMAGE_PROVIDER_FALL_THROUGH")
    pollinations_url: str = Field(
        "https://image.pollinations.ai", validation_alias="POLLINATIONS_URL"
    )
    openai_base_url: str = Field(
        "https://api.openai.com", validation_alias="OPENAI_IMAGES_BASE_URL"
    )
    openai_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_IMAGES_API_KEY")
    openai_model: str = Field("dall-e-3", validation_alias="OPENAI_IMAGES_MODEL")
    automatic1111_url: str = Field("http://127.0.0.1:7860", validation_alias="A1111_URL")

    def provider_config(self) -> ProviderConfig:
        return ProviderConfig(
            chain=self.providers,
            fall_through=self.fall_through,
            pollinations_url=self.pollinations_url,
            openai_base_url=self.openai_base_url,
            openai_api_key=self.openai_api_key,
            openai_model=self.openai_model,
            automatic1111_url=self.automatic1111_url,
            request_timeout_seconds=min(60.0, self.deadline_seconds),
        )

    def concurrency_for(self, provider: str) -> int:
        return self.concurrency_by_provider.get(provider, self.concurrency)

    def rate_for(self, provider: str) -> int:
        return self.rate_per_minute_by_provider.get(provider, self.rate_per_minute)


@lru_cache(maxsize=1)
def get_image_settings() -> ImageSettings:
    return ImageSettings()
