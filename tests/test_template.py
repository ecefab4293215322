"""The template is valid CloudFormation, and the runtime reads it faithfully."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bookreader.errors import BookReaderError
from local.launcher import start_runtime
from local.runtime import parse_parameter_overrides, read_env_overrides
from local.template import load_topology, load_yaml

ROOT = Path(__file__).parent.parent
TEMPLATES = [ROOT / "template.yaml", ROOT / "tests/fixtures/runtime/template.yaml"]
FIXTURE_PARAMETERS = {"DatabaseUrl": "postgresql://x", "RedisUrl": "redis://x"}
PRODUCTION_PARAMETERS = {**FIXTURE_PARAMETERS, "JwtSecret": "x" * 32}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.parent.name or "root")
def test_template_passes_cfn_lint(template: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(template)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_loader_understands_short_tags() -> None:
    template = load_yaml(ROOT / "template.yaml")
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["DATABASE_URL"] == {"Ref": "DatabaseUrl"}
    assert variables["BOOKS_BUCKET"] == {"Fn::Sub": "${AWS::StackName}-books-${AWS::AccountId}"}
    destination = template["Resources"]["HealthFunction"]["Properties"]["EventInvokeConfig"]
    assert destination["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["DeadLetterQueue", "Arn"]
    }


def test_topology_resolves_intrinsics_and_events() -> None:
    topology = load_topology(ROOT / "tests/fixtures/runtime/template.yaml", FIXTURE_PARAMETERS)
    recorder = topology.functions["RecorderFunction"]
    assert recorder.environment["DATABASE_URL"] == "postgresql://x"
    assert recorder.environment["BOOKS_BUCKET"] == "fixture-000000000000"
    assert recorder.timeout == 5
    assert recorder.max_retry_attempts == 2
    assert recorder.on_failure == "arn:aws:sqs:us-east-1:000000000000:DeadLetterQueue"
    (trigger,) = recorder.s3_triggers
    assert (trigger.bucket, trigger.prefix, trigger.suffix) == (
        "fixture-000000000000",
        "uploads/",
        ".epub",
    )
    assert topology.cors is not None and topology.cors.allow_origin == "https://reader.example"
    assert "application/octet-stream" in topology.binary_media_types


def test_parameter_not_declared_by_template_is_rejected() -> None:
    with pytest.raises(BookReaderError) as error:
        load_topology(ROOT / "template.yaml", {**PRODUCTION_PARAMETERS, "Bogus": "1"})
    assert error.value.code == "parameter_unknown"


def test_env_override_of_undeclared_variable_is_rejected(tmp_path: Path) -> None:
    topology = load_topology(ROOT / "tests/fixtures/runtime/template.yaml", FIXTURE_PARAMETERS)
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"EchoFunction": {"SLOW_SECONDS": "1"}}))
    assert read_env_overrides(good, topology)["EchoFunction"] == {"SLOW_SECONDS": "1"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"EchoFunction": {"NOT_DECLARED": "1"}}))
    with pytest.raises(BookReaderError, match="NOT_DECLARED is not declared"):
        read_env_overrides(bad, topology)


def test_runtime_refuses_to_start_with_undeclared_override(
    services, redis_prefix, tmp_path
) -> None:
    env_file = tmp_path / "env.json"
    env_file.write_text(json.dumps({"Parameters": {"TYPO_VARIABLE": "x"}}))
    with pytest.raises(RuntimeError) as error:
        start_runtime(
            tmp_path / "data",
            {
                "DATABASE_URL": services.database_url,
                "REDIS_URL": services.redis_url,
                "REDIS_PREFIX": redis_prefix,
                "LOCAL_ENV_VARS": str(env_file),
            },
        )
    assert "TYPO_VARIABLE is not declared in the template" in str(error.value)


def test_parameter_overrides_read_like_sam_deploy() -> None:
    declared = {"ImageProviders", "PollinationsUrl", "ImageDailyQuota"}
    text = (
        'ImageProviders=\'["openai", "sketch"]\' PollinationsUrl=http://gpu:7860 ImageDailyQuota=5'
    )
    assert parse_parameter_overrides(text, declared) == {
        "ImageProviders": '["openai", "sketch"]',
        "PollinationsUrl": "http://gpu:7860",
        "ImageDailyQuota": "5",
    }
    assert parse_parameter_overrides("", declared) == {}
    for bad in ("Nonsense=1", "ImageProviders"):
        with pytest.raises(BookReaderError) as caught:
            parse_parameter_overrides(bad, declared)
        assert caught.value.code == "parameter_override_invalid"
