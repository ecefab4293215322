"""`make deploy` runs the SAM CLI with the config env's settings and the secrets as parameters.

AWS and LocalStack are unreachable here, so these run the deploy script as `make deploy` does,
with `--dry-run`, and check the commands it would run.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from local.template import load_yaml

ROOT = Path(__file__).parent.parent
SECRETS = {
    "DATABASE_URL": "postgresql://bookreader:s3cret-db@db.internal:5432/bookreader",
    "REDIS_URL": "rediss://:s3cret-redis@cache.internal:6379/0",
    "JWT_SECRET": "k" * 48,
}


def deploy(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and k != "LOCALSTACK_HOST"}
    return subprocess.run(
        [sys.executable, "infra/deploy.py", *args],
        cwd=ROOT,
        env={**clean, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def commands(output: str) -> list[list[str]]:
    return [shlex.split(line) for line in output.splitlines() if "=" not in line.split()[0]]


def overrides(command: list[str]) -> dict[str, str]:
    values = command[command.index("--parameter-overrides") + 1 :]
    return dict(value.split("=", 1) for value in values)


def test_deploy_builds_then_deploys_with_the_secrets_as_parameters_and_never_prints_them() -> None:
    result = deploy("--dry-run", "--sam", "sam", env=SECRETS)
    assert result.returncode == 0, result.stderr
    build, release = commands(result.stdout)
    assert build == [
        "sam",
        "build",
        "--config-file",
        "infra/samconfig.toml",
        "--config-env",
        "default",
    ]
    assert release[:2] == ["sam", "deploy"]
    given = overrides(release)
    assert {"DatabaseUrl", "RedisUrl", "JwtSecret", "Stage", "Runtime"} <= set(given)
    declared = load_yaml(ROOT / "template.yaml")["Parameters"]
    assert set(given) <= set(declared)
    for secret in SECRETS.values():
        assert secret not in result.stdout + result.stderr
    assert given["DatabaseUrl"] == "********"


def test_deploy_without_a_required_secret_and_no_terminal_says_which_to_set() -> None:
    result = deploy("--sam", "sam", env={"REDIS_URL": SECRETS["REDIS_URL"]})
    assert result.returncode != 0
    assert "DatabaseUrl is required: set DATABASE_URL" in result.stderr


def test_an_unknown_environment_names_the_known_ones() -> None:
    result = deploy("--env", "staging", "--dry-run")
    assert result.returncode != 0
    assert (
        "ENV=staging is not in infra/samconfig.toml (known: default, localstack)" in result.stderr
    )


def test_localstack_points_the_sam_cli_at_the_instance_as_localstack_client_resolves_it() -> None:
    result = deploy("--env", "localstack", "--dry-run", env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert "AWS_ENDPOINT_URL=http://localhost.localstack.cloud:4566" in result.stdout
    assert "AWS_ACCESS_KEY_ID=test" in result.stdout
    release = commands(result.stdout)[1]
    assert release[release.index("--config-env") + 1] == "localstack"
    assert overrides(release)["S3PublicEndpointUrl"] == "http://localhost.localstack.cloud:4566"

    elsewhere = deploy(
        "--env", "localstack", "--dry-run", env={**SECRETS, "LOCALSTACK_HOST": "ls.lan:4566"}
    )
    assert "AWS_ENDPOINT_URL=http://ls.lan:4566" in elsewhere.stdout


def test_a_dry_run_without_secrets_shows_where_each_goes() -> None:
    result = deploy("--dry-run")
    assert result.returncode == 0, result.stderr
    given = overrides(commands(result.stdout)[1])
    assert given["JwtSecret"] == "<JWT_SECRET>"
    assert "OpenAiImagesApiKey" not in given  # optional secrets go only when set
