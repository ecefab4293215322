"""Settings of the local runtime itself. What it shares with the functions (database, Redis,
object store, public URL, secrets, log level) is read by the functions' own `Settings`
(bookreader.config) from the same environment, not declared twice."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bookreader.config import Settings

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
    # The built web app (`make spa`), served at every path outside /api/ and /_local/.
    spa_dir: Path = Field(PROJECT_ROOT / "frontend" / "dist", validation_alias="LOCAL_SPA_DIR")
    # Protects the runtime's own endpoints (status, store webhooks); generated when unset.
    internal_token: str | None = Field(None, validation_alias="LOCAL_INTERNAL_TOKEN")
    # Workers per function at most (the parameters file's `PoolSize` default when unset).
    pool_size: int | None = Field(None, ge=1, validation_alias="LOCAL_POOL_SIZE")
    # Like Lambda: a worker starts on a function's first use and stops after this long unused;
    # 0 keeps workers once started. `KeepWarm` in the parameters file names those never stopped
    # (started with the runtime); LOCAL_KEEP_WARM, when set, applies to every function.
    idle_seconds: float = Field(300.0, ge=0, validation_alias="LOCAL_IDLE_SECONDS")
    keep_warm: int | None = Field(None, ge=0, validation_alias="LOCAL_KEEP_WARM")
    api_timeout_s: float = Field(29.0, validation_alias="LOCAL_API_TIMEOUT")  # API Gateway's limit
    api_max_body: int = Field(10 * 1024 * 1024, validation_alias="LOCAL_API_MAX_BODY")  # 10 MB
    object_max_body: int = Field(5 * 1024**3, validation_alias="LOCAL_OBJECT_MAX_BODY")
    # A client gets this long between bytes of its request line and headers (and while idle
    # between keep-alive requests), and this long between reads of its body; then it is dropped.
    header_timeout_s: float = Field(10.0, gt=0, validation_alias="LOCAL_HEADER_TIMEOUT")
    body_timeout_s: float = Field(30.0, gt=0, validation_alias="LOCAL_BODY_TIMEOUT")
    # Open connections served at once; one more is answered 503 and closed, never left waiting.
    max_connections: int = Field(64, ge=1, validation_alias="LOCAL_MAX_CONNECTIONS")
    retry_base_ms: int = Field(1000, validation_alias="LOCAL_RETRY_BASE_MS")
    visibility_timeout_ms: int | None = Field(None, validation_alias="LOCAL_VISIBILITY_TIMEOUT_MS")
    # Every Schedule event fires this often instead of its rate (tests, demos); unset: its rate.
    schedule_interval_s: float | None = Field(
        None, gt=0, validation_alias="LOCAL_SCHEDULE_INTERVAL_SECONDS"
    )
    # `make local-up-edge`: nginx's ports, and its certificate (self-signed when unset).
    edge_http_port: int = Field(8080, validation_alias="EDGE_HTTP_PORT")
    edge_https_port: int = Field(8443, validation_alias="EDGE_HTTPS_PORT")
    edge_tls_cert: Path | None = Field(None, validation_alias="EDGE_TLS_CERT")
    edge_tls_key: Path | None = Field(None, validation_alias="EDGE_TLS_KEY")

    # The settings shared with the functions, from the same environment.
    shared: Settings = Field(default_factory=Settings, exclude=True)

    @property
    def data_dir(self) -> Path:
        given = "data_dir" in self.shared.model_fields_set
        return self.shared.data_dir if given else PROJECT_ROOT / ".local" / "data"

    @property
    def database_url(self) -> str | None:  # unset: an embedded PostgreSQL
        return self.shared.database_url

    @property
    def redis_url(self) -> str | None:  # unset: an embedded Redis
        return self.shared.redis_url

    @property
    def redis_prefix(self) -> str:
        return self.shared.redis_prefix

    @property
    def s3_endpoint_url(self) -> str | None:
        return self.shared.s3_endpoint_url

    @property
    def s3_public_endpoint_url(self) -> str | None:
        return self.shared.s3_public_endpoint_url

    @property
    def public_url(self) -> str | None:
        """PUBLIC_URL when given; else the runtime's own address is public (`base_url`)."""
        return self.shared.public_url if "public_url" in self.shared.model_fields_set else None

    @property
    def log_level(self) -> str:
        return self.shared.log_level

    @property
    def jwt_secret(self) -> str | None:  # unset: generated per data directory (secrets.json)
        secret = self.shared.jwt_secret
        return secret.get_secret_value() if secret else None

    @property
    def trusted_proxies(self) -> str:
        return self.shared.trusted_proxies

    @property
    def allowed_origins(self) -> str:
        return self.shared.allowed_origins

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    def with_shared(self, **update: object) -> RuntimeSettings:
        """A copy with some of the settings shared with the functions changed."""
        return self.model_copy(update={"shared": self.shared.model_copy(update=update)})
