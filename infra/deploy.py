"""`make deploy [ENV=…]`: build and deploy template.yaml with the SAM CLI.

The deployment's settings live in infra/samconfig.toml, one config env per target (`default`
is AWS, `localstack` a LocalStack instance). Its secrets never do: they are read from the
environment (DATABASE_URL, REDIS_URL, JWT_SECRET, …) or asked for at the terminal, and passed
to `sam deploy` as parameters. `--dry-run` prints the commands with the secrets masked.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMCONFIG = ROOT / "infra/samconfig.toml"
TEMPLATE = ROOT / "template.yaml"
MASK = "********"
# Where LocalStack listens, resolved as localstack-client does: LOCALSTACK_HOST, else the
# name LocalStack's own DNS answers for the local machine, on the edge port.
LOCALSTACK_DEFAULT_HOST = "localhost.localstack.cloud:4566"


@dataclass
class Plan:
    """The commands one deployment runs, and the environment they run in."""

    commands: list[list[str]]
    environment: dict[str, str] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)

    def shown(self) -> str:
        lines = [f"{name}={value}" for name, value in sorted(self.environment.items())]
        for command in self.commands:
            masked = [_mask(arg, self.secrets) for arg in command]
            lines.append(shlex.join(masked))
        return "\n".join(lines)


def secret_parameters(template_text: str) -> dict[str, bool]:
    """NoEcho parameters of the template → whether the deployment must have a value."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # The template's short tags (!Ref, !Sub …) are irrelevant here; read them as plain values.
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    parameters = (yaml.load(template_text, Loader=_Loader) or {}).get("Parameters") or {}
    return {
        name: "Default" not in spec
        for name, spec in parameters.items()
        if str(spec.get("NoEcho", "")).lower() == "true"
    }


def environment_name(parameter: str) -> str:
    """DatabaseUrl → DATABASE_URL, OpenAiImagesApiKey → OPENAI_IMAGES_API_KEY."""
    words = re.findall(r"[A-Z][a-z0-9]*", parameter.replace("OpenAi", "Openai"))
    return "_".join(word.upper() for word in words)


def plan(
    config_env: str,
    sam: str,
    environ: dict[str, str],
    ask: Callable[[str], str] | None = None,
) -> Plan:
    """The build and deploy commands for a config env of samconfig.toml."""
    config = tomllib.loads(SAMCONFIG.read_text())
    if config_env not in config:
        known = ", ".join(sorted(key for key in config if key != "version"))
        raise SystemExit(f"ENV={config_env} is not in infra/samconfig.toml (known: {known})")
    deploy_settings = config[config_env].get("deploy", {}).get("parameters", {})
    overrides = dict(
        item.split("=", 1) for item in shlex.split(deploy_settings.get("parameter_overrides", ""))
    )
    secrets: set[str] = set()
    for parameter, required in secret_parameters(TEMPLATE.read_text()).items():
        value = environ.get(environment_name(parameter))
        if not value and required:
            if ask is None:  # a dry run: show where the value goes
                overrides[parameter] = f"<{environment_name(parameter)}>"
                continue
            value = ask(parameter)
        if value:
            overrides[parameter] = value
            secrets.add(value)
    common = ["--config-file", str(SAMCONFIG.relative_to(ROOT)), "--config-env", config_env]
    deploy = [sam, "deploy", *common]  # deploys what `sam build` wrote to .aws-sam/build
    # `--parameter-overrides` replaces the file's list, so the file's entries are repeated here.
    deploy += ["--parameter-overrides", *(f"{key}={value}" for key, value in overrides.items())]
    environment = localstack_environment(environ) if config_env == "localstack" else {}
    return Plan([[sam, "build", *common], deploy], environment, secrets)


def localstack_environment(environ: dict[str, str]) -> dict[str, str]:
    """Point the SAM CLI's AWS clients at LocalStack (it accepts any credentials)."""
    host = environ.get("LOCALSTACK_HOST", LOCALSTACK_DEFAULT_HOST)
    return {
        "AWS_ENDPOINT_URL": host if "://" in host else f"http://{host}",
        "AWS_ACCESS_KEY_ID": environ.get("AWS_ACCESS_KEY_ID", "test"),
        "AWS_SECRET_ACCESS_KEY": environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        "AWS_DEFAULT_REGION": environ.get("AWS_DEFAULT_REGION", "us-east-1"),
    }


def _mask(argument: str, secrets: set[str]) -> str:
    for secret in secrets:
        argument = argument.replace(secret, MASK)
    return argument


def _ask(parameter: str) -> str:
    if not sys.stdin.isatty():
        raise SystemExit(f"{parameter} is required: set {environment_name(parameter)}")
    value = getpass.getpass(f"{parameter} ({environment_name(parameter)}): ")
    if not value:
        raise SystemExit(f"{parameter} is required")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default="default", help="config env of infra/samconfig.toml")
    parser.add_argument("--sam", default="sam", help="the SAM CLI to run")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    args = parser.parse_args(argv)
    deployment = plan(args.env, args.sam, dict(os.environ), None if args.dry_run else _ask)
    print(deployment.shown())
    if args.dry_run:
        return 0
    for command in deployment.commands:
        completed = subprocess.run(command, cwd=ROOT, env={**os.environ, **deployment.environment})
        if completed.returncode != 0:
            return completed.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
