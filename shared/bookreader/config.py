"""One settings object, read from the environment. No `os.environ` anywhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    # Where the code runs: "local" (our runtime, compose) or "aws" (Lambda).
    runtime: Literal["local", "aws"] = Field("local", validation_alias="BOOKREADER_RUNTIME")
    stage: str = Field("local", validation_alias="STAGE")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")

    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    db_pool_size: int = Field(4, validation_alias="DB_POOL_SIZE")
    redis_url: str | None = Field(None, validation_alias="REDIS_URL")
    # Namespace for every Redis key we own, so several runtimes can share one server.
    redis_prefix: str = Field("br", validation_alias="REDIS_PREFIX")

    # Object store: "disk" (a folder, local only) or "s3" (AWS or any S3-compatible endpoint).
    object_store: Literal["auto", "disk", "s3"] = Field("auto", validation_alias="OBJECT_STORE")
    s3_endpoint_url: str | None = Field(
        None, validation_alias=AliasChoices("S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3")
    )
    aws_region: str = Field(
        "us-east-1", validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION")
    )
    books_bucket: str = Field("bookreader-books", validation_alias="BOOKS_BUCKET")
    data_dir: Path = Field(Path(".local/data"), validation_alias="DATA_DIR")
    # Signs the disk store's presigned URLs; the runtime verifies them with the same key.
    store_secret: str | None = Field(None, validation_alias="STORE_SECRET")
    public_url: str = Field("http://127.0.0.1:8000", validation_alias="PUBLIC_URL")
    presign_expiry_seconds: int = Field(900, validation_alias="PRESIGN_EXPIRY_SECONDS")

    @property
    def store_kind(self) -> Literal["disk", "s3"]:
        if self.object_store != "auto":
            return self.object_store
        return "s3" if self.s3_endpoint_url or self.runtime == "aws" else "disk"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
