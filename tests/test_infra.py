"""The self-hosted topology (infra/compose.yaml, nginx, the runtime image) and the AWS deploy
config: what an operator relies on, checked without a Docker engine."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from local.edge import placeholders, render
from local.spa import content_security_policy
from local.template import Topology, load_topology, load_yaml

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
COMPOSE_FILE = INFRA / "compose.yaml"
ENV_EXAMPLE = INFRA / ".env.example"
NGINX_TEMPLATE = INFRA / "nginx" / "nginx.conf.template"
DOCKERFILE = INFRA / "Dockerfile"
DOCKERIGNORE = INFRA / "Dockerfile.dockerignore"
SAMCONFIG = INFRA / "samconfig.toml"
TEMPLATE = ROOT / "template.yaml"

ONE_SHOT = "minio-setup"
WEBHOOK_PATH = "/_local/events/s3"
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|_AUTH")
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+other}
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")
UNBRACED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
WHOLE_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}\Z")


# --- reading the files ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    return read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def topology() -> Topology:
    declared = load_yaml(TEMPLATE).get("Parameters") or {}
    required = {name: "placeholder" for name, spec in declared.items() if "Default" not in spec}
    return load_topology(TEMPLATE, required)


@pytest.fixture(scope="module")
def nginx(services: dict[str, dict[str, Any]]) -> list[Directive]:
    """The config nginx runs in compose: the template with the nginx service's BR_ values."""
    return parse_nginx(render(NGINX_TEMPLATE.read_text(encoding="utf-8"), edge_values(services)))


def edge_values(services: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The nginx service's BR_ variables, compose's `${VAR:-default}` taken at their default."""
    env = environment(services["nginx"])
    return {
        name: REFERENCE.sub(lambda match: match[3] or "", value)
        for name, value in env.items()
        if name.startswith("BR_")
    }


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, separator, value = line.partition("=")
        assert separator, f"{path.name}: not NAME=value: {line!r}"
        values[name.strip()] = value.strip()
    return values


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def strings(node: Any) -> Iterator[str]:
    """Every string value in a parsed YAML document (keys too: compose interpolates both)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(key)
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def references(text: str) -> list[tuple[str, str | None]]:
    """(variable, operator) of every ${...} and $NAME compose interpolates in `text`
    (`$$` is its literal dollar)."""
    text = text.replace("$$", "")
    braced = [(m[1], m[2]) for m in REFERENCE.finditer(text)]
    return braced + [(m[1], None) for m in UNBRACED.finditer(REFERENCE.sub("", text))]


def masked(text: str) -> str:
    """`text` with every ${...} replaced by «VARIABLE», so what is around them can be read."""
    return REFERENCE.sub(lambda match: f"«{match[1]}»", text.replace("$$", ""))


def script(service: dict[str, Any]) -> str:
    """A service's shell command as the container runs it (compose turns `$$` into `$`)."""
    command = service.get("command") or []
    text = command if isinstance(command, str) else "\n".join(map(str, command))
    return text.replace("$$", "$")


def named_volume_mounts(service: dict[str, Any], compose: dict[str, Any]) -> dict[str, str]:
    """container path → named volume."""
    mounts = {}
    for volume in service.get("volumes") or []:
        source, _, rest = str(volume).partition(":")
        target = rest.split(":")[0]
        if source in (compose.get("volumes") or {}):
            mounts[target] = source
    return mounts


# --- a small reader of nginx's configuration language ---------------------------------------------
@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] | None = None

    def all(self, name: str) -> list[Directive]:
        return [d for d in self.block or [] if d.name == name]

    def one(self, name: str) -> Directive:
        found = self.all(name)
        assert len(found) == 1, f"expected one {name!r} in {self.name} {self.args}, got {found}"
        return found[0]

    def headers_set(self) -> dict[str, str]:
        return {d.args[0].lower(): d.args[1] for d in self.all("proxy_set_header")}


_NGINX_TOKEN = re.compile(r"""#[^\n]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[{};]|[^\s{};"'#]+""")


def parse_nginx(text: str) -> list[Directive]:
    tokens = [t for t in _NGINX_TOKEN.findall(text) if not t.startswith("#")]

    def unquote(token: str) -> str:
        return token[1:-1] if token[:1] in "'\"" and len(token) > 1 else token

    def block(position: int) -> tuple[list[Directive], int]:
        directives: list[Directive] = []
        words: list[str] = []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ";":
                directives.append(Directive(words[0], [unquote(w) for w in words[1:]]))
                words = []
            elif token == "{":
                inner, position = block(position)
                directives.append(Directive(words[0], [unquote(w) for w in words[1:]], inner))
                words = []
            elif token == "}":
                return directives, position
            else:
                words.append(token)
        assert not words, f"unterminated directive {words}"
        return directives, position

    parsed, _ = block(0)
    return parsed


def nginx_http(nginx: list[Directive]) -> Directive:
    (http,) = [d for d in nginx if d.name == "http"]
    return http


def nginx_server(nginx: list[Directive]) -> Directive:
    """The HTTPS server (the plain HTTP one only redirects)."""
    (server,) = [s for s in nginx_http(nginx).all("server") if "ssl" in s.one("listen").args[1:]]
    return server


def nginx_plain_server(nginx: list[Directive]) -> Directive:
    (server,) = [
        s for s in nginx_http(nginx).all("server") if "ssl" not in s.one("listen").args[1:]
    ]
    return server


def nginx_location(nginx: list[Directive], *args: str) -> Directive:
    matches = [d for d in nginx_server(nginx).all("location") if d.args == list(args)]
    assert matches, f"nginx.conf has no `location {' '.join(args)}`"
    return matches[0]


def upstream_servers(nginx: list[Directive], proxy_pass: str) -> list[str]:
    """The `server` addresses behind `proxy_pass http://NAME[/]`."""
    name = urlsplit(proxy_pass).netloc
    upstreams = [u for u in nginx_http(nginx).all("upstream") if u.args == [name]]
    assert upstreams, f"proxy_pass {proxy_pass} names no upstream block"
    return [server.args[0] for server in upstreams[0].all("server")]


def seconds(value: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    match = re.fullmatch(r"(\d+)(ms|s|m|h)?", value)
    assert match, f"not an nginx duration: {value}"
    return int(match[1]) * units[match[2] or "s"]


def size_bytes(value: str) -> int:
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    match = re.fullmatch(r"(\d+)([kKmMgG]?)", value)
    assert match, f"not an nginx size: {value}"
    return int(match[1]) * units[match[2].lower()]


# --- services: health, restarts, order ------------------------------------------------------------
def test_the_stack_has_the_expected_services(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) == {
        *("postgres", "redis", "minio", ONE_SHOT, "app", "nginx"),
        *("certbot", "prometheus", "grafana"),
    }
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_every_long_running_service_has_a_healthcheck_and_restarts(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        if name == ONE_SHOT:
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        assert service.get("restart") in ("unless-stopped", "always"), f"{name} is not restarted"


def test_the_setup_is_a_one_shot_the_app_waits_for(services: dict[str, dict[str, Any]]) -> None:
    setup = services[ONE_SHOT]
    assert "healthcheck" not in setup
    assert str(setup.get("restart")) == "no"
    assert depends_on(setup) == {"minio": "service_healthy"}
    assert depends_on(services["app"])[ONE_SHOT] == "service_completed_successfully"


def test_the_app_starts_only_on_healthy_postgres_redis_and_minio(
    services: dict[str, dict[str, Any]],
) -> None:
    deps = depends_on(services["app"])
    for name in ("postgres", "redis", "minio"):
        assert deps.get(name) == "service_healthy", f"app does not wait for a healthy {name}"


def test_the_app_healthcheck_asks_for_readiness(services: dict[str, dict[str, Any]]) -> None:
    test = " ".join(services["app"]["healthcheck"]["test"])
    port = environment(services["app"])["PORT"]
    assert f"127.0.0.1:{port}/api/health/ready" in test


def test_nginx_starts_after_the_app_and_is_the_only_published_port(
    services: dict[str, dict[str, Any]],
) -> None:
    assert depends_on(services["nginx"]).get("app") == "service_healthy"
    published = sorted(name for name, service in services.items() if service.get("ports"))
    assert published == ["grafana", "nginx"]
    # Grafana only on the host's loopback (reach it with an SSH tunnel), never to the world.
    assert all(str(port).startswith("127.0.0.1:") for port in services["grafana"]["ports"])
    targets = sorted(str(port).rsplit(":", 1)[1] for port in services["nginx"]["ports"])
    assert targets == ["443", "80"]


def test_state_lives_on_named_volumes(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    expected = {
        "postgres": "/var/lib/postgresql/data",
        "redis": "/data",
        "minio": "/data",
        "app": environment(services["app"])["DATA_DIR"],
    }
    for name, path in expected.items():
        assert path in named_volume_mounts(services[name], compose), f"{name}: {path} not kept"
    used = {
        str(volume).partition(":")[0]
        for service in services.values()
        for volume in service.get("volumes") or []
    }
    named = {source for source in used if not source.startswith((".", "/", "~"))}
    assert named <= set(compose.get("volumes") or {}), "a named volume is not declared"


def test_redis_persists_its_streams(services: dict[str, dict[str, Any]]) -> None:
    command = [str(part) for part in services["redis"]["command"]]
    assert command[command.index("--appendonly") + 1] == "yes"


# --- secrets and the operator's .env --------------------------------------------------------------
def test_secrets_come_from_variables_without_defaults(compose: dict[str, Any]) -> None:
    for service_name, service in compose["services"].items():
        for name, value in environment(service).items():
            if SECRET_NAME.search(name):
                match = WHOLE_REFERENCE.match(value)
                assert match, f"{service_name}.{name} is not taken from a ${{VARIABLE}}"
        for text in strings(service):
            for userinfo in re.findall(r"://([^/@\s]*)@", masked(text)):
                password = userinfo.partition(":")[2]
                assert re.fullmatch(r"«\w+»", password), f"{service_name}: password in {text}"
        command = [str(part) for part in service.get("command") or []]
        if "--requirepass" in command:
            assert WHOLE_REFERENCE.match(command[command.index("--requirepass") + 1])
    for text in strings(compose):
        for variable, operator in references(text):
            if SECRET_NAME.search(variable):
                assert operator in (None, "?", ":?"), f"${{{variable}}} has a default value"


def test_env_example_defines_exactly_the_variables_the_compose_file_uses(
    compose: dict[str, Any], env_example: dict[str, str]
) -> None:
    used = {variable for text in strings(compose) for variable, _ in references(text)}
    assert used, "the compose file takes nothing from the environment"
    assert sorted(used - set(env_example)) == [], "used but missing from .env.example"
    assert sorted(set(env_example) - used) == [], "in .env.example but unused"


def test_env_example_holds_placeholders_not_secrets(env_example: dict[str, str]) -> None:
    for name, value in env_example.items():
        if SECRET_NAME.search(name) or name == "MINIO_ROOT_USER":
            assert value.startswith("change-me"), f"{name} in .env.example is not a placeholder"
            assert re.fullmatch(r"[A-Za-z0-9-]+", value), f"{name}: not URL- and token-safe"
    url = urlsplit(env_example["PUBLIC_URL"])
    assert url.scheme in ("http", "https") and url.netloc, "PUBLIC_URL is not an origin"
    assert url.path == "" and not url.query, "PUBLIC_URL must be an origin without a path"


def test_the_operators_env_file_is_not_committed() -> None:
    assert ".env" in (INFRA / ".gitignore").read_text().split()


# --- the app and its object store -----------------------------------------------------------------
def test_the_app_talks_to_the_containers(services: dict[str, dict[str, Any]]) -> None:
    env = environment(services["app"])
    assert env["HOST"] == "0.0.0.0"
    database = urlsplit(masked(env["DATABASE_URL"]))
    assert (database.scheme, database.hostname, database.port) == ("postgresql", "postgres", 5432)
    redis = urlsplit(masked(env["REDIS_URL"]))
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)
    assert env["AWS_ENDPOINT_URL_S3"] == "http://minio:9000"
    assert WHOLE_REFERENCE.match(env["PUBLIC_URL"]), "PUBLIC_URL must be the operator's"
    # The runtime signs with the MinIO user the setup creates for it, not with the root user.
    setup = environment(services[ONE_SHOT])
    assert env["AWS_ACCESS_KEY_ID"] == setup["MINIO_APP_ACCESS_KEY"]
    assert env["AWS_SECRET_ACCESS_KEY"] == setup["MINIO_APP_SECRET_KEY"]
    assert env["AWS_ACCESS_KEY_ID"] != environment(services["minio"])["MINIO_ROOT_USER"]


def test_minio_sends_bucket_events_to_the_runtime_webhook(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    minio = environment(services["minio"])
    app = environment(services["app"])
    prefix = "MINIO_NOTIFY_WEBHOOK_ENDPOINT_"
    (target,) = [name.removeprefix(prefix) for name in minio if name.startswith(prefix)]
    endpoint = urlsplit(minio[prefix + target])
    assert (endpoint.scheme, endpoint.hostname) == ("http", "app")
    assert str(endpoint.port) == app["PORT"]
    assert endpoint.path == WEBHOOK_PATH
    assert minio[f"MINIO_NOTIFY_WEBHOOK_ENABLE_{target}"] == "on"
    # MinIO sends a one-word token as "Authorization: Bearer <token>", which the runtime checks.
    token = minio[f"MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_{target}"]
    assert references(token)[0][0] == references(app["LOCAL_INTERNAL_TOKEN"])[0][0]
    # Events queue on a volume while the runtime is down.
    queue_dir = minio[f"MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_{target}"]
    assert queue_dir.startswith("/")
    assert queue_dir in named_volume_mounts(services["minio"], compose)
    assert WEBHOOK_PATH in (ROOT / "local" / "gateway.py").read_text(), "runtime lost the webhook"


def test_the_setup_creates_the_template_bucket_and_notifies_its_uploads(
    services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    setup = environment(services[ONE_SHOT])
    minio = environment(services["minio"])
    bucket = setup["BOOKS_BUCKET"]
    assert sorted(topology.buckets.values()) == [bucket], "every template bucket must be set up"
    (target,) = [
        name.removeprefix("MINIO_NOTIFY_WEBHOOK_ENABLE_")
        for name in minio
        if name.startswith("MINIO_NOTIFY_WEBHOOK_ENABLE_")
    ]
    assert setup["NOTIFY_ARN"] == f"arn:minio:sqs::{target}:webhook"
    commands = [shlex.split(line) for line in script(services[ONE_SHOT]).splitlines() if line]
    assert ["mc", "mb", "--ignore-existing", "store/$BOOKS_BUCKET"] in commands
    (event_add,) = [c for c in commands if c[:3] == ["mc", "event", "add"]]
    assert event_add[3:5] == ["store/$BOOKS_BUCKET", "$NOTIFY_ARN"]
    assert event_add[event_add.index("--event") + 1] == "put"
    assert event_add[event_add.index("--prefix") + 1] == "$UPLOADS_PREFIX"
    # Every object-triggered function of the template hears about its objects.
    for spec in topology.functions.values():
        for trigger in spec.s3_triggers:
            assert trigger.bucket == bucket
            assert trigger.prefix.startswith(setup["UPLOADS_PREFIX"]), spec.name
            assert all(event.startswith("s3:ObjectCreated:") for event in trigger.events)


def test_the_app_image_is_built_from_the_repository(services: dict[str, dict[str, Any]]) -> None:
    build = services["app"]["build"]
    context = (COMPOSE_FILE.parent / build["context"]).resolve()
    assert context == ROOT
    assert (context / build["dockerfile"]).resolve() == DOCKERFILE


# --- nginx ----------------------------------------------------------------------------------------
def test_nginx_runs_this_config_and_the_spa_build(
    services: dict[str, dict[str, Any]], nginx: list[Directive]
) -> None:
    mounts = {}
    for volume in services["nginx"]["volumes"]:
        source, target = str(volume).split(":")[:2]
        mounts[target] = (COMPOSE_FILE.parent / source).resolve()
    # The image's entrypoint renders /etc/nginx/templates/X.template into /etc/nginx/X with
    # envsubst, limited to the BR_ variables (nginx's own $variables must stay as they are).
    assert mounts["/etc/nginx/templates/nginx.conf.template"] == NGINX_TEMPLATE
    env = environment(services["nginx"])
    assert env["NGINX_ENVSUBST_OUTPUT_DIR"] == "/etc/nginx"
    assert env["NGINX_ENVSUBST_FILTER"] == "^BR_"
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    assert placeholders(text) == set(edge_values(services))
    assert not re.search(r"\$BR_", text), "an unbraced $BR_ name: write ${BR_…}"
    root = nginx_server(nginx).one("root").args[0]
    assert mounts[root] == ROOT / "frontend" / "dist"


def test_nginx_proxies_the_api_to_the_app(
    nginx: list[Directive], services: dict[str, dict[str, Any]]
) -> None:
    api = nginx_location(nginx, "/api/")
    proxy_pass = api.one("proxy_pass").args[0]
    # No URI part: /api/… reaches the runtime as /api/…, where it serves the API (so the
    # refresh cookie it sets names /api/auth, the path the browser uses).
    assert urlsplit(proxy_pass).path == "", "the /api prefix must be kept"
    port = environment(services["app"])["PORT"]
    assert upstream_servers(nginx, proxy_pass) == [f"app:{port}"]
    assert seconds(api.one("proxy_read_timeout").args[0]) >= 30
    assert seconds(api.one("proxy_send_timeout").args[0]) >= 30
    headers = api.headers_set()
    # nginx is the edge: the client is its peer, and a forged header is replaced, not extended.
    assert headers["x-forwarded-for"] == "$remote_addr"
    assert "x-forwarded-proto" in headers
    # Nothing is stripped, and the runtime believes this header from nginx: a client's own
    # must be dropped (an empty value removes it), or it could move the refresh cookie.
    assert headers["x-forwarded-prefix"] == ""


def test_nginx_keeps_the_runtime_endpoints_private(nginx: list[Directive]) -> None:
    for prefix in ("/_local/", "/api/_local/"):
        private = nginx_location(nginx, "^~", prefix)
        assert private.one("return").args[0] == "404"
        assert not private.all("proxy_pass")
    # Only the disk store's presigned URLs pass (the runtime checks their signatures).
    objects = nginx_location(nginx, "^~", "/_local/objects/")
    assert objects.one("proxy_pass").args == ["http://bookreader_app"]


def test_nginx_serves_presigned_urls_for_the_public_host(
    nginx: list[Directive], services: dict[str, dict[str, Any]], topology: Topology
) -> None:
    (bucket,) = topology.buckets.values()
    store = nginx_location(nginx, "^~", f"/{bucket}/")
    proxy_pass = store.one("proxy_pass").args[0]
    # No URI part: the request URI, signed by the client, reaches MinIO unchanged.
    assert urlsplit(proxy_pass).path == ""
    endpoint = urlsplit(environment(services["app"])["AWS_ENDPOINT_URL_S3"])
    assert upstream_servers(nginx, proxy_pass) == [endpoint.netloc]
    # The signature covers Host, port included: pass the browser's Host header as it is.
    assert store.headers_set()["host"] == "$http_host"
    assert size_bytes(store.one("client_max_body_size").args[0]) >= 50 * 1024**2
    assert store.one("proxy_request_buffering").args == ["off"]
    assert store.headers_set()["x-forwarded-for"] == "$remote_addr"


def test_nginx_sends_security_headers_on_every_response(nginx: list[Directive]) -> None:
    http = nginx_http(nginx)
    headers = {d.args[0].lower(): d.args[1:] for d in http.all("add_header")}
    for name in (
        "strict-transport-security",
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-security-policy",
    ):
        assert name in headers, f"no {name}"
        assert headers[name][-1] == "always", f"{name} is not sent on errors"
    # add_header (or error_page) in a server or location would silently drop every one
    # inherited from above: all of them are set at one level.
    for server in http.all("server"):
        assert not server.all("add_header"), "add_header in a server"
        for location in server.all("location"):
            assert not location.all("add_header"), f"add_header in location {location.args}"
            assert not location.all("error_page"), f"error_page in location {location.args}"


def test_nginx_speaks_tls_1_2_and_1_3_and_redirects_plain_http(nginx: list[Directive]) -> None:
    server = nginx_server(nginx)
    assert server.one("ssl_protocols").args == ["TLSv1.2", "TLSv1.3"]
    assert server.one("ssl_certificate").args[0].startswith("/etc/letsencrypt/live/")
    assert server.one("ssl_stapling").args == ["on"]
    plain = nginx_plain_server(nginx)
    (redirect,) = [loc for loc in plain.all("location") if loc.args == ["/"]]
    assert redirect.one("return").args == ["301", "https://$host$request_uri"]
    acme = [loc for loc in plain.all("location") if "/.well-known/acme-challenge/" in loc.args]
    assert acme and acme[0].one("root").args == ["/var/www/certbot"]


def test_nginx_sends_the_csp_the_runtime_sends(nginx: list[Directive]) -> None:
    headers = {d.args[0].lower(): d.args[1] for d in nginx_http(nginx).all("add_header")}
    # Presigned URLs go to nginx's own origin (the bucket location), so no extra origin.
    assert headers["content-security-policy"] == content_security_policy([])
    assert headers["referrer-policy"] == "same-origin"


def test_nginx_caches_hashed_assets_for_good_and_revalidates_the_rest(
    nginx: list[Directive],
) -> None:
    http = nginx_http(nginx)
    (cache,) = [d for d in http.all("add_header") if d.args[0].lower() == "cache-control"]
    variable = cache.args[1].lstrip("$")
    (mapping,) = [m for m in nginx_http(nginx).all("map") if m.args == ["$uri", f"${variable}"]]
    rules = [(d.name, d.args[0]) for d in mapping.block or []]

    def chosen(uri: str) -> str:
        for pattern, value in rules:
            if pattern.startswith("~") and re.search(pattern[1:], uri):
                return value
        return dict(rules)["default"]

    assert chosen("/assets/index-1a2b3c.js") == "public, max-age=31536000, immutable"
    assert chosen("/index.html") == chosen("/library/42") == "no-cache"
    assert chosen("/api/books") == "", "the API's own caching headers pass through"
    assert nginx_location(nginx, "/assets/").one("try_files").args == ["$uri", "=404"]
    assert nginx_location(nginx, "/").one("try_files").args[-2:] == ["/index.html", "=404"]


def test_nginx_compresses_text(nginx: list[Directive]) -> None:
    assert nginx_http(nginx).one("gzip").args == ["on"]


# --- the runtime image ----------------------------------------------------------------------------
def test_the_image_runs_the_runtime_as_a_non_root_user() -> None:
    text = DOCKERFILE.read_text()
    instructions = [
        line.split(None, 1)
        for line in re.sub(r"\\\n", " ", text).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    keywords = [parts[0].upper() for parts in instructions]
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert all(
        parts[1].split()[0] == "${PYTHON_IMAGE}" for parts in instructions if parts[0] == "FROM"
    )
    users = [parts[1].strip() for parts in instructions if parts[0] == "USER"]
    assert users and users[-1] not in ("root", "0"), "the runtime must not run as root"
    assert "HEALTHCHECK" in keywords and "/api/health/ready" in text
    assert '"python", "-m", "local", "up"' in text
    assert "requirements-local.txt" in text
    env = " ".join(parts[1] for parts in instructions if parts[0] == "ENV")
    python_path = re.search(r"PYTHONPATH=(\S+)", env)
    assert python_path and {"/app", "/app/shared"} <= set(python_path[1].split(":"))
    copied = {
        source.rstrip("/")
        for parts in instructions
        if parts[0] == "COPY" and "--from" not in parts[1]
        for source in parts[1].split()[:-1]  # every source; the last word is the destination
    }
    assert {"template.yaml", "functions", "shared", "local", "layers"} <= copied
    allowed = {
        line[1:].strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.startswith("!")
    }
    left_out = {
        path
        for path in copied
        if not any(path == entry or path.startswith(f"{entry}/") for entry in allowed)
    }
    assert not left_out, f"the build context leaves out what the image copies: {left_out}"


# --- AWS ------------------------------------------------------------------------------------------
def test_samconfig_deploys_the_template_and_holds_no_secret() -> None:
    config = tomllib.loads(SAMCONFIG.read_text())
    declared = load_yaml(TEMPLATE).get("Parameters") or {}
    secret = {name for name, spec in declared.items() if spec.get("NoEcho")}
    for env in ("default", "localstack"):
        deploy = config[env]["deploy"]["parameters"]
        assert set(deploy["capabilities"].split()) == {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}
        assert deploy["resolve_s3"] is True
        assert deploy["resolve_image_repos"] is True, "the extract image needs an ECR repository"
        overrides = dict(item.split("=", 1) for item in shlex.split(deploy["parameter_overrides"]))
        assert set(overrides) <= set(declared), (
            "overrides a parameter the template does not declare"
        )
        assert not set(overrides) & secret, (
            "secrets are asked at deploy time, never kept in the file"
        )
        assert overrides.get("Runtime", "aws") == "aws"
    assert config["default"]["deploy"]["parameters"]["confirm_changeset"] is True


# --- Docker Compose itself, where it is installed -------------------------------------------------
def compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, timeout=60
        )
        if probe.returncode == 0:
            return [docker, "compose"]
    standalone = shutil.which("docker-compose")  # the same Compose v2, as a standalone binary
    if standalone:
        probe = subprocess.run(
            [standalone, "version", "--short"], capture_output=True, text=True, timeout=60
        )
        if probe.returncode == 0 and probe.stdout.strip().lstrip("v").startswith("2"):
            return [standalone]
    return None


def run_compose(env_file: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = compose_command()
    if command is None:
        pytest.skip("the Docker Compose plugin is not installed")
    # Variables of this process would override the env file; leave out the ones it defines.
    own = set(read_env_file(ENV_EXAMPLE))
    env = {name: value for name, value in os.environ.items() if name not in own}
    return subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "--env-file", str(env_file), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_docker_compose_accepts_the_file_with_the_example_env() -> None:
    result = run_compose(ENV_EXAMPLE, "config", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "is not set" not in result.stderr, result.stderr


def test_docker_compose_wires_one_token_and_the_example_secrets(
    env_example: dict[str, str],
) -> None:
    result = run_compose(ENV_EXAMPLE, "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    resolved = json.loads(result.stdout)["services"]
    token = env_example["LOCAL_INTERNAL_TOKEN"]
    assert resolved["app"]["environment"]["LOCAL_INTERNAL_TOKEN"] == token
    assert resolved["minio"]["environment"]["MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_BOOKREADER"] == token
    database = urlsplit(resolved["app"]["environment"]["DATABASE_URL"])
    assert database.password == env_example["POSTGRES_PASSWORD"]
    # The setup script's own variables survive interpolation (written `$$` in the file).
    setup_script = "\n".join(resolved[ONE_SHOT]["command"]).replace("$$", "$")
    assert '"store/$BOOKS_BUCKET"' in setup_script


def test_docker_compose_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    incomplete = tmp_path / "incomplete.env"
    lines = ENV_EXAMPLE.read_text().splitlines()
    incomplete.write_text("\n".join(x for x in lines if not x.startswith("POSTGRES_PASSWORD=")))
    result = run_compose(incomplete, "config", "--quiet")
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


# --- TLS: certbot and `make tls` -----------------------------------------------------------------
def test_certbot_renews_into_the_volume_nginx_reads(
    compose: dict[str, Any], services: dict[str, dict[str, Any]], nginx: list[Directive]
) -> None:
    certbot, edge = services["certbot"], services["nginx"]
    certbot_mounts = named_volume_mounts(certbot, compose)
    nginx_mounts = named_volume_mounts(edge, compose)
    assert certbot_mounts["/etc/letsencrypt"] == nginx_mounts["/etc/letsencrypt"]
    # The webroot certbot writes challenges to is the one nginx serves on plain HTTP.
    acme = next(
        loc
        for loc in nginx_plain_server(nginx).all("location")
        if "/.well-known/acme-challenge/" in loc.args
    )
    webroot = acme.one("root").args[0]
    assert certbot_mounts[webroot] == nginx_mounts[webroot]
    loop = script(certbot)
    assert f"certbot renew --webroot -w {webroot}" in loop and "while :" in loop
    # nginx reloads now and then to pick up what certbot renewed.
    assert "nginx -s reload" in script(edge)
    server = nginx_server(nginx)
    live = "/etc/letsencrypt/live/bookreader/"
    assert server.one("ssl_certificate").args == [live + "fullchain.pem"]
    assert server.one("ssl_certificate_key").args == [live + "privkey.pem"]


def test_make_tls_gets_a_webroot_certificate_for_the_domain(tmp_path: Path) -> None:
    """infra/tls.sh with a `docker` that records its commands (no Docker here)."""
    log = tmp_path / "docker.log"
    fake = tmp_path / "bin" / "docker"
    fake.parent.mkdir()
    # `test -s …fullchain.pem` fails: no certificate yet. Everything else succeeds.
    fake.write_text(
        '#!/bin/sh\nprintf "%s" "$*" | tr "\\n" " " >> "$DOCKER_LOG"; echo >> "$DOCKER_LOG"\n'
        'case "$*" in *"--entrypoint test"*) exit 1;; esac\nexit 0\n'
    )
    fake.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{fake.parent}:{os.environ['PATH']}",
        "DOCKER_LOG": str(log),
        "DOMAIN": "books.example.com",
        "EMAIL": "ops@example.com",
    }
    result = subprocess.run(
        ["sh", str(INFRA / "tls.sh")], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert all(
        call.startswith("compose -f infra/compose.yaml --env-file infra/.env") for call in calls
    )
    steps = [next(i for i, c in enumerate(calls) if marker in c) for marker in (
        "--entrypoint python3 certbot",  # the stand-in certificate
        "up -d nginx",
        "--entrypoint rm certbot -rf /etc/letsencrypt/live/bookreader",
        "certonly --webroot -w /var/www/certbot",
        "exec nginx nginx -s reload",
    )]  # fmt: skip
    assert steps == sorted(steps), calls
    (request,) = [c for c in calls if "certonly" in c]
    for part in ("--cert-name bookreader", "-d books.example.com", "--email ops@example.com"):
        assert part in request
    assert "--staging" not in request
    # Without a domain it says how to call it.
    env.pop("DOMAIN")
    refused = subprocess.run(
        ["sh", str(INFRA / "tls.sh")], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "make tls DOMAIN=" in refused.stderr


# --- metrics: Prometheus and Grafana ------------------------------------------------------------
def test_prometheus_scrapes_the_runtime_inside_with_the_token(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    config = yaml.safe_load((INFRA / "prometheus" / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/_local/metrics"
    port = environment(services["app"])["PORT"]
    assert job["static_configs"][0]["targets"] == [f"app:{port}"]
    secret_file = job["authorization"]["credentials_file"]
    (secret,) = services["prometheus"]["secrets"]
    assert secret_file == f"/run/secrets/{secret}"
    assert compose["secrets"][secret] == {"environment": "LOCAL_INTERNAL_TOKEN"}
    # On the app's internal network, and not behind nginx (which hides /_local/).
    assert "backend" in services["prometheus"]["networks"]
    assert "backend" in services["app"]["networks"]
    mounts = {
        str(v).split(":")[1]: (COMPOSE_FILE.parent / str(v).split(":")[0]).resolve()
        for v in services["prometheus"]["volumes"]
        if str(v).startswith(".")
    }
    rule_files = config["rule_files"]
    assert [mounts[path] for path in rule_files] == [INFRA / "prometheus" / "alerts.yml"]


def test_grafana_loads_the_dashboard_from_the_provisioned_prometheus(
    services: dict[str, dict[str, Any]],
) -> None:
    mounts = {
        str(v).split(":")[1]: (COMPOSE_FILE.parent / str(v).split(":")[0]).resolve()
        for v in services["grafana"]["volumes"]
        if str(v).startswith(".")
    }
    provisioning = mounts["/etc/grafana/provisioning"]
    sources = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())
    (source,) = sources["datasources"]
    assert source["url"] == "http://prometheus:9090"
    providers = yaml.safe_load((provisioning / "dashboards" / "bookreader.yml").read_text())
    folder = mounts[providers["providers"][0]["options"]["path"]]
    dashboard = json.loads((folder / "bookreader.json").read_text())
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == source["uid"], panel["title"]
    assert set(services["grafana"]["networks"]) & set(services["prometheus"]["networks"])
