"""One settings object, read from the environment. No `os.environ` anywhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The image providers a chain can name (bookreader.images.providers).
ImageProviderName = Literal["pollinations", "openai", "automatic1111", "comfyui", "sketch"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    # Where the code runs: "local" (our runtime, compose) or "aws" (Lambda).
    runtime: Literal["local", "aws"] = Field("local", validation_alias="BOOKREADER_RUNTIME")
    # Set by Lambda and by the local workers: this process is a function.
    function_name: str | None = Field(None, validation_alias="AWS_LAMBDA_FUNCTION_NAME")
    stage: str = Field("local", validation_alias="STAGE")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")

    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    db_pool_size: int = Field(4, validation_alias="DB_POOL_SIZE")
    # How long a new connection keeps trying while PostgreSQL restarts, before 503
    # `database_unavailable`: a restart of a few seconds costs a slower answer, not an error.
    db_connect_wait_seconds: float = Field(8.0, ge=0, validation_alias="DB_CONNECT_WAIT_SECONDS")
    redis_url: str | None = Field(None, validation_alias="REDIS_URL")
    # Namespace for every Redis key we own, so several runtimes can share one server.
    redis_prefix: str = Field("br", validation_alias="REDIS_PREFIX")

    # Object store: "disk" (a folder, local only) or "s3" (AWS or any S3-compatible endpoint).
    object_store: Literal["auto", "disk", "s3"] = Field("auto", validation_alias="OBJECT_STORE")
    # The endpoint browsers reach for presigned URLs when it differs from the one functions use
    # (self-hosted: the public URL Nginx serves, not the internal MinIO address).
    s3_public_endpoint_url: str | None = Field(None, validation_alias="S3_PUBLIC_ENDPOINT_URL")
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

    # Books
    max_upload_bytes: int = Field(50 * 1024 * 1024, ge=1, validation_alias="MAX_UPLOAD_BYTES")
    max_books_per_user: int = Field(1000, ge=1, validation_alias="MAX_BOOKS_PER_USER")
    # A book still `uploading` this long after its presigned URL expired was abandoned: a PUT
    # begun just before the expiry may still be arriving until then.
    upload_grace_seconds: int = Field(900, ge=0, validation_alias="UPLOAD_GRACE_SECONDS")
    # The sweeper (bookreader.ops.sweeper): a book in `parsing` / `extracting` untouched this
    # long is stuck (longer than the function's timeout times its attempts, with backoff); an
    # object no row names, this old, is an orphan (younger ones may be work in flight).
    stuck_parsing_seconds: int = Field(1800, ge=60, validation_alias="STUCK_PARSING_SECONDS")
    stuck_extracting_seconds: int = Field(10800, ge=60, validation_alias="STUCK_EXTRACTING_SECONDS")
    orphan_grace_seconds: int = Field(3600, ge=0, validation_alias="ORPHAN_GRACE_SECONDS")
    # A picture `queued` or `running` untouched this long has lost its invocation (its retries
    # spent while a service stayed away, a dead letter): the sweeper hands it to generate again.
    # One still not drawn `image_give_up_seconds` after it was asked for fails `generation_stuck`.
    stuck_image_seconds: int = Field(900, ge=60, validation_alias="STUCK_IMAGE_SECONDS")
    image_give_up_seconds: int = Field(3600, ge=60, validation_alias="IMAGE_GIVE_UP_SECONDS")
    # The same for an illustrated EPUB export (a build reports progress every 5 %, so a live one
    # is never untouched this long); one not built an hour after it was asked for fails
    # `export_stuck`, and asking again starts it afresh.
    stuck_export_seconds: int = Field(900, ge=60, validation_alias="STUCK_EXPORT_SECONDS")
    export_give_up_seconds: int = Field(3600, ge=60, validation_alias="EXPORT_GIVE_UP_SECONDS")
    parse_function_name: str = Field("", validation_alias="PARSE_FUNCTION_NAME")
    # Extract is invoked after a successful parse once it is deployed (empty: not yet).
    extract_function_name: str = Field("", validation_alias="EXTRACT_FUNCTION_NAME")
    generate_function_name: str = Field(
        "GenerateFunction", validation_alias="GENERATE_FUNCTION_NAME"
    )
    # Builds exports (an illustrated EPUB), invoked asynchronously by the exports routes.
    export_function_name: str = Field("ExportFunction", validation_alias="EXPORT_FUNCTION_NAME")

    # Auth: access tokens (JWT). No default secret: a deployment without one must not start
    # signing tokens, so bookreader.auth.tokens raises config_missing until it is set.
    jwt_secret: SecretStr | None = Field(None, validation_alias="JWT_SECRET")
    jwt_algorithm: Literal["HS256", "RS256", "ES256"] = Field(
        "HS256", validation_alias="JWT_ALGORITHM"
    )
    jwt_private_key_file: Path | None = Field(None, validation_alias="JWT_PRIVATE_KEY_FILE")
    jwt_public_key_file: Path | None = Field(None, validation_alias="JWT_PUBLIC_KEY_FILE")
    jwt_issuer: str = Field("bookreader", validation_alias="JWT_ISSUER")
    jwt_audience: str = Field("bookreader-api", validation_alias="JWT_AUDIENCE")
    # Clock skew tolerated between the machines that sign and verify; never more than 30 s.
    jwt_leeway_seconds: int = Field(10, ge=0, le=30, validation_alias="JWT_LEEWAY_SECONDS")
    access_token_ttl: int = Field(900, ge=60, le=3600, validation_alias="ACCESS_TOKEN_TTL")
    refresh_token_ttl: int = Field(30 * 86400, ge=3600, validation_alias="REFRESH_TOKEN_TTL")
    # A refresh token rotated this recently whose successor was never used may come back once
    # more (its answer was lost, e.g. going offline): it is rotated again, not taken for theft.
    refresh_reuse_grace_seconds: int = Field(
        30, ge=0, le=300, validation_alias="REFRESH_REUSE_GRACE_SECONDS"
    )

    # Password hashing (scrypt). Raising these re-hashes each user's password at next login.
    scrypt_n: int = Field(2**15, ge=2**10, validation_alias="SCRYPT_N")
    scrypt_r: int = Field(8, ge=1, validation_alias="SCRYPT_R")
    scrypt_p: int = Field(1, ge=1, validation_alias="SCRYPT_P")
    password_min_length: int = Field(10, ge=8, validation_alias="PASSWORD_MIN_LENGTH")

    # Entries per page of the OPDS catalogue's feeds.
    opds_page_size: int = Field(25, ge=1, le=200, validation_alias="OPDS_PAGE_SIZE")

    # Rate limits: requests allowed per RATE_LIMIT_WINDOW seconds (sliding window, Redis).
    rate_limit_window: int = Field(60, ge=1, validation_alias="RATE_LIMIT_WINDOW")
    rate_limit_login_ip_email: int = Field(5, ge=1, validation_alias="RATE_LIMIT_LOGIN_IP_EMAIL")
    rate_limit_login_ip: int = Field(20, ge=1, validation_alias="RATE_LIMIT_LOGIN_IP")
    rate_limit_register_ip: int = Field(3, ge=1, validation_alias="RATE_LIMIT_REGISTER_IP")
    # Registrations naming one email (`email_taken` answers whether it has an account).
    rate_limit_register_email: int = Field(5, ge=1, validation_alias="RATE_LIMIT_REGISTER_EMAIL")
    rate_limit_api_user: int = Field(100, ge=1, validation_alias="RATE_LIMIT_API_USER")
    # Reading pages through a book is bursty; reads get a window of their own, writes keep 100.
    rate_limit_api_read_user: int = Field(600, ge=1, validation_alias="RATE_LIMIT_API_READ_USER")
    # The per-account sign-in lockout (see bookreader.auth.limits): attempts before waits
    # begin, the first wait, the longest, and how long unsuccessful attempts are remembered.
    login_lockout_after: int = Field(10, ge=1, validation_alias="LOGIN_LOCKOUT_AFTER")
    login_lockout_base_seconds: float = Field(
        2.0, gt=0, validation_alias="LOGIN_LOCKOUT_BASE_SECONDS"
    )
    login_lockout_max_seconds: float = Field(
        900.0, gt=0, le=3600, validation_alias="LOGIN_LOCKOUT_MAX_SECONDS"
    )
    login_lockout_memory_seconds: int = Field(
        86400, ge=60, validation_alias="LOGIN_LOCKOUT_MEMORY_SECONDS"
    )
    # Peers whose X-Forwarded-For we believe (comma-separated addresses or CIDRs). None by
    # default: a proxy in front of us is named explicitly (infra/.env sets nginx's network).
    trusted_proxies: str = Field("", validation_alias="TRUSTED_PROXIES")
    # Web origins besides our own that may call the API from a browser (CORS, and the
    # Origin check of the cookie routes): comma-separated `https://host[:port]`.
    allowed_origins: str = Field("", validation_alias="ALLOWED_ORIGINS")

    # Illustrations. The chain's first provider is what a new image is recorded under.
    image_providers: list[ImageProviderName] = Field(
        ["pollinations"], min_length=1, validation_alias="IMAGE_PROVIDERS"
    )
    image_daily_quota: int = Field(50, ge=0, validation_alias="IMAGE_DAILY_QUOTA")
    # Concurrent calls per provider; JSON `{"pollinations": 2}` overrides the default per name.
    image_concurrency: int = Field(4, ge=1, validation_alias="IMAGE_CONCURRENCY")
    image_concurrency_by_provider: dict[str, int] = Field(
        default_factory=dict, validation_alias="IMAGE_CONCURRENCY_BY_PROVIDER"
    )
    # Calls per provider per minute; JSON overrides per name as above.
    image_rate_per_minute: int = Field(60, ge=1, validation_alias="IMAGE_RATE_PER_MINUTE")
    image_rate_per_minute_by_provider: dict[str, int] = Field(
        default_factory=dict, validation_alias="IMAGE_RATE_PER_MINUTE_BY_PROVIDER"
    )
    # How long a generate waits for a slot (or the rate limit) before 503 `provider_busy`.
    image_slot_wait_seconds: float = Field(10.0, ge=0, validation_alias="IMAGE_SLOT_WAIT_SECONDS")
    # A slot's lease: a crashed worker's slot frees itself after this. Keep above the deadline.
    image_slot_ttl_seconds: float = Field(180.0, gt=0, validation_alias="IMAGE_SLOT_TTL_SECONDS")
    # Total time for the provider chain, retries included.
    image_deadline_seconds: float = Field(150.0, gt=0, validation_alias="IMAGE_DEADLINE_SECONDS")
    image_fall_through: bool = Field(False, validation_alias="IMAGE_PROVIDER_FALL_THROUGH")
    # Off: a picture is reused only for its own account (another account's instantly `ready`
    # picture would tell what that account illustrated). On: one drawing per book file for
    # everyone (cheaper; an admin's choice for a trusted circle). docs/security.md.
    image_cache_shared: bool = Field(False, validation_alias="IMAGE_CACHE_SHARED")
    pollinations_url: str = Field(
        "https://image.pollinations.ai", validation_alias="POLLINATIONS_URL"
    )
    openai_images_base_url: str = Field(
        "https://api.openai.com", validation_alias="OPENAI_IMAGES_BASE_URL"
    )
    openai_images_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_IMAGES_API_KEY")
    openai_images_model: str = Field("dall-e-3", validation_alias="OPENAI_IMAGES_MODEL")
    automatic1111_url: str = Field("http://127.0.0.1:7860", validation_alias="A1111_URL")
    comfyui_url: str = Field("http://127.0.0.1:8188", validation_alias="COMFYUI_URL")
    # Empty: the packaged SDXL workflow. Else the key of an API-format workflow JSON in the
    # books bucket (the one store every deployment has): docs/providers.md.
    comfyui_workflow: str = Field("", validation_alias="COMFYUI_WORKFLOW")
    comfyui_poll_seconds: float = Field(1.0, gt=0, le=30, validation_alias="COMFYUI_POLL_SECONDS")

    # The optional language-model assist (bookreader.images.assist): off unless both the URL
    # of an OpenAI-compatible chat server and a model are set.
    prompt_assist_url: str = Field("", validation_alias="PROMPT_ASSIST_URL")
    prompt_assist_model: str = Field("", validation_alias="PROMPT_ASSIST_MODEL")
    prompt_assist_api_key: SecretStr | None = Field(None, validation_alias="PROMPT_ASSIST_API_KEY")
    # One call's whole time; past it the offline prompt is used. With the image deadline it
    # must fit in the generate function's timeout (180 s in the template).
    prompt_assist_timeout_seconds: float = Field(
        20.0, gt=0, le=25, validation_alias="PROMPT_ASSIST_TIMEOUT_SECONDS"
    )
    # Calls per user per UTC day (answers from the cache are free); 0 turns it off for everyone.
    prompt_assist_daily_budget: int = Field(
        200, ge=0, validation_alias="PROMPT_ASSIST_DAILY_BUDGET"
    )
    # Calls per minute across all workers, so a burst cannot run up the server's bill.
    prompt_assist_rate_per_minute: int = Field(
        30, ge=1, validation_alias="PROMPT_ASSIST_RATE_PER_MINUTE"
    )

    @property
    def store_kind(self) -> Literal["disk", "s3"]:
        if self.object_store != "auto":
            return self.object_store
        return "s3" if self.s3_endpoint_url or self.runtime == "aws" else "disk"


_configured: Settings | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return _configured or Settings()


def configure_settings(settings: Settings) -> None:
    """Use `settings` in this process instead of reading the environment: for a process that
    builds its own (the local runtime's supervisor), so it need not write `os.environ`."""
    global _configured
    _configured = settings
    get_settings.cache_clear()
