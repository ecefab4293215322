"""Settings of the local runtime itself (the functions read bookreader.config instead)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class RuntimeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    host: str = Field("127.0.0.1", validation_alias="HOST")
    port: int = Field(8000, validation_alias="PORT")
    template: Path = Field(PROJECT_ROOT / "template.yaml", validation_alias="TEMPLATE")
    parameters_file: Path = Field(
        PROJECT_ROOT / "local" / "parameters.json", validation_alias="LOCAL_PARAMETERS"
    )
    # Like `sam deploy --parameter-overrides`: `Name=value Other='["json"]'` (shell quoting);
    # wins over the parameters file. How the compose setup picks image providers.
    parameter_overrides: str = Field("", validation_alias="LOCAL_PARAMETER_OVERRIDES")
    # SAM's --env-vars format: {"Parameters": {VAR: value}, "<FunctionLogicalId>": {VAR: value}}
    env_vars_file: Path | None = Field(None, validation_alias="LOCAL_ENV_VARS")
    data_dir: Path = Field(PROJECT_ROOT / ".local" / "data", validation_alias="DATA_DIR")
    database_url: str | None = Field(None, validation_alias="DATABASE_URL")
    redis_url: str | None = Field(None, validation_alias="REDIS_URL")
    redis_prefix: str = Field("br", validation_alias="REDIS_PREFIX")
    s3_endpoint_url: str | None = Field(None, validation_alias="AWS_ENDPOINT_URL_S3")
    s3_public_endpoint_url: str | None = Field(None, validation_alias="S3_PUBLIC_ENDPOINT_URL")
    public_url: str | None = Field(None, validation_alias="PUBLIC_URL")
    # The built web app (`make spa`), served at every path outside /api/ and /_local/.
    spa_dir: Path = Field(PROJECT_ROOT / "frontend" / "dist", validation_alias="LOCAL_SPA_DIR")
    # Protects the runtime's own endpoints (status, store webhooks); generated when unset.
    internal_token: str | None = Field(None, validation_alias="LOCAL_INTERNAL_TOKEN")
    pool_size: int = Field(2, validation_alias="LOCAL_POOL_SIZE")
    api_timeout_s: float = Field(29.0, validation_alias="LOCAL_API_TIMEOUT")  # API Gateway's limit
    api_max_body: int = Field(10 * 1024 * 1024, validation_alias="LOCAL_API_MAX_BODY")  # 10 MB
    object_max_body: int = Field(5 * 1024**3, validation_alias="LOCAL_OBJECT_MAX_BODY")
    retry_base_ms: int = Field(1000, validation_alias="LOCAL_RETRY_BASE_MS")
    visibility_timeout_ms: int | None = Field(None, validation_alias="LOCAL_VISIBILITY_TIMEOUT_MS")
    # Every Schedule event fires this often instead of its rate (tests, demos); unset: its rate.
    schedule_interval_s: float | None = Field(
        None, gt=0, validation_alias="LOCAL_SCHEDULE_INTERVAL_SECONDS"
    )
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    # Generated per data directory when unset (kept in secrets.json).
    jwt_secret: str | None = Field(None, validation_alias="JWT_SECRET")
    # None trusted unless named (make local-up-edge names its nginx).
    trusted_proxies: str = Field("", validation_alias="TRUSTED_PROXIES")
    allowed_origins: str = Field("", validation_alias="ALLOWED_ORIGINS")
    # `make local-up-edge`: nginx's ports, and its certificate (self-signed when unset).
    edge_http_port: int = Field(8080, validation_alias="EDGE_HTTP_PORT")
    edge_https_port: int = Field(8443, validation_alias="EDGE_HTTPS_PORT")
    edge_tls_cert: Path | None = Field(None, validation_alias="EDGE_TLS_CERT")
    edge_tls_key: Path | None = Field(None, validation_alias="EDGE_TLS_KEY")

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"
