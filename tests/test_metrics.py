"""The runtime's Prometheus metrics, scraped from the real runtime: behind the internal token,
invocations counted where every invocation passes, the workers' own metrics (recorded in other
processes) added up, the state read at scrape time; and the Grafana dashboard and the alert
rules in infra/ asking only for metrics that the exposition really has."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bookreader import bus, redis_conn
from bookreader.config import get_settings
from local.launcher import RunningRuntime
from local.metrics import StateCollector
from tests.support.auth_client import fake_ip, new_email, strong_password

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "infra" / "grafana" / "dashboards" / "bookreader.json"
ALERTS = ROOT / "infra" / "prometheus" / "alerts.yml"
# Series Prometheus makes itself for every target.
PROMETHEUS_OWN = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
    "and", "or", "unless", "inf", "nan",
}  # fmt: skip

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture(scope="module")
def runtime(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    with services.product_runtime(tmp_path_factory.mktemp("metrics")) as running:
        yield running


def scrape(runtime: RunningRuntime) -> tuple[Samples, set[str]]:
    """(every sample by name and labels, every metric and sample name) of one scrape."""
    answer = requests.get(runtime.url + "/_local/metrics", headers=runtime.auth, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples: Samples = {}
    names: set[str] = set()
    for family in text_string_to_metric_families(answer.text):
        names.add(family.name)
        for sample in family.samples:
            names.add(sample.name)
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples, names


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_need_the_runtime_token(runtime: RunningRuntime) -> None:
    url = runtime.url + "/_local/metrics"
    assert requests.get(url, timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert requests.get(url, headers=wrong, timeout=10).status_code == 401
    # Not under the API either (nginx hides /_local/ too: tests/test_edge_nginx.py).
    assert requests.get(runtime.api_url + "/_local/metrics", timeout=10).status_code == 404


def test_every_invocation_is_counted_with_its_duration(runtime: RunningRuntime) -> None:
    before, _ = scrape(runtime)
    for _ in range(3):
        assert requests.get(runtime.api_url + "/health", timeout=10).status_code == 200
    assert requests.get(runtime.api_url + "/auth/me", timeout=10).status_code == 401
    after, _ = scrape(runtime)
    labels = {"function": "HealthFunction", "trigger": "http"}

    def grew(name: str, **extra: str) -> float:
        return value(after, name, **labels, **extra) - value(before, name, **labels, **extra)

    assert grew("bookreader_invocations_total") == 3
    assert grew("bookreader_invocation_duration_seconds_count") == 3
    assert grew("bookreader_invocation_duration_seconds_bucket", le="+Inf") == 3
    assert grew("bookreader_invocation_duration_seconds_sum") > 0
    # A 401 is an answer, not a failure of the function.
    assert grew("bookreader_invocation_errors_total") == 0
    auth = {"function": "AuthFunction", "trigger": "http"}
    assert value(after, "bookreader_invocation_errors_total", **auth) == 0
    # Event-driven functions are there from the start, at zero.
    assert ("bookreader_invocations_total", (("function", "ParseFunction"), ("trigger", "s3"))) in (
        after
    )


def test_rate_limit_refusals_in_the_workers_are_added_up(runtime: RunningRuntime) -> None:
    label = {"limit": "login-ip-email+login-ip"}
    before, _ = scrape(runtime)
    body = {"email": new_email(), "password": strong_password()}
    address = {"X-Forwarded-For": fake_ip()}
    statuses = [
        requests.post(
            runtime.api_url + "/auth/login", json=body, headers=address, timeout=20
        ).status_code
        for _ in range(7)
    ]
    assert statuses == [401] * 5 + [429, 429]
    after, _ = scrape(runtime)
    # Counted inside the auth function's worker processes, summed by the runtime.
    grew = value(after, "bookreader_rate_limit_hits_total", **label) - value(
        before, "bookreader_rate_limit_hits_total", **label
    )
    assert grew == 2


def test_the_database_pools_of_the_workers_are_reported(runtime: RunningRuntime) -> None:
    requests.get(runtime.api_url + "/health/ready", timeout=10)
    samples, _ = scrape(runtime)
    # Every worker that touched PostgreSQL has a pool; the live ones are summed.
    assert value(samples, "bookreader_db_pool_capacity") >= 1
    assert value(samples, "bookreader_db_pool_connections_idle") >= 1
    assert value(samples, "bookreader_db_pool_connections_in_use") >= 0
    assert value(samples, "bookreader_db_connections_opened_total") >= 1


def test_state_is_read_at_scrape_time(runtime: RunningRuntime) -> None:
    samples, _ = scrape(runtime)
    for state in ("uploading", "parsing", "ready", "failed"):
        assert ("bookreader_books", (("state", state),)) in samples
    assert value(samples, "bookreader_ready") == 1
    for dependency in ("postgres", "redis", "object_store"):
        assert value(samples, "bookreader_dependency_up", dependency=dependency) == 1
    for stream in ("ParseFunction", "ExtractFunction", "GenerateFunction", "s3-events"):
        assert ("bookreader_queue_depth", (("stream", stream),)) in samples
        assert ("bookreader_queue_oldest_age_seconds", (("stream", stream),)) in samples
    assert value(samples, "bookreader_dead_letters", stream="ParseFunction") == 0


def test_queue_age_and_dead_letters_come_from_the_streams(
    services, redis_prefix: str, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", services.redis_url)
    monkeypatch.setenv("REDIS_PREFIX", redis_prefix)
    monkeypatch.setattr(redis_conn, "_client", None)
    get_settings.cache_clear()
    try:
        client = redis.Redis.from_url(services.redis_url)
        ten_minutes_ago = int(time.time() * 1000) - 600_000
        stream = bus.function_stream("ExtractFunction")
        client.xadd(stream, {"event": "{}"}, id=f"{ten_minutes_ago}-0")
        client.xadd(stream, {"event": "{}"})
        client.xadd(bus.dead_letter_stream("ExtractFunction"), {"event": "{}", "error": "x"})
        from bookreader import db
        from bookreader.db.migrate import apply_migrations

        with db.connect(database_url) as conn:
            apply_migrations(conn)
        collector = StateCollector(
            ["ExtractFunction", "ParseFunction"], db.Pool(database_url, 1), lambda: None
        )
        families = {family.name: family for family in collector.collect()}
    finally:
        monkeypatch.setattr(redis_conn, "_client", None)
        get_settings.cache_clear()

    def gauge(name: str, stream: str) -> float:
        (sample,) = [s for s in families[name].samples if s.labels == {"stream": stream}]
        return sample.value

    assert gauge("bookreader_queue_depth", "ExtractFunction") == 2
    assert 590 <= gauge("bookreader_queue_oldest_age_seconds", "ExtractFunction") < 3600
    assert gauge("bookreader_dead_letters", "ExtractFunction") == 1
    assert gauge("bookreader_queue_depth", "ParseFunction") == 0
    assert gauge("bookreader_queue_oldest_age_seconds", "ParseFunction") == 0
    assert gauge("bookreader_dead_letters", "ParseFunction") == 0


# --- the dashboard and the alerts ask for what exists -------------------------------------------
def metric_names(expression: str) -> set[str]:
    """The metric names a PromQL expression reads (not functions, labels, keywords)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', "", expression)  # strings
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # range selectors
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r"(?<![A-Za-z0-9_:])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", "", text)  # numbers
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        following = text[match.end() :].lstrip()
        if following.startswith("(") or match[0].lower() in PROMQL_WORDS:
            continue
        names.add(match[0])
    return names


def dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def alert_rules() -> list[dict]:
    groups = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_the_promql_reader_finds_names() -> None:
    expression = (
        'histogram_quantile(0.95, sum by (function, le) (rate(a_bucket{x="y"}[5m])))'
        " / clamp_min(b_total, 1e-9) > 0.05 or up{job='z'} == 0"
    )
    assert metric_names(expression) == {"a_bucket", "b_total", "up"}


def test_every_dashboard_and_alert_query_names_a_metric_the_runtime_exposes(
    runtime: RunningRuntime,
) -> None:
    _, exposed = scrape(runtime)
    queries = dashboard_queries() + [rule["expr"] for rule in alert_rules()]
    assert len(queries) >= 15
    asked = set().union(*(metric_names(query) for query in queries))
    missing = asked - exposed - PROMETHEUS_OWN
    assert not missing, f"asked for but not exposed: {sorted(missing)}"
    # And the dashboard covers what the operator needs to see.
    for needed in (
        "bookreader_invocations_total",
        "bookreader_invocation_errors_total",
        "bookreader_invocation_duration_seconds_bucket",
        "bookreader_queue_depth",
        "bookreader_queue_oldest_age_seconds",
        "bookreader_dead_letters",
        "bookreader_books",
        "bookreader_images",
        "bookreader_image_provider_seconds_bucket",
        "bookreader_rate_limit_hits_total",
        "bookreader_db_pool_connections_in_use",
    ):
        assert needed in asked, needed


def test_the_alerts_cover_dead_letters_stuck_events_errors_and_readiness() -> None:
    rules = {rule["alert"]: rule for rule in alert_rules()}
    assert "bookreader_dead_letters" in rules["BookReaderDeadLetters"]["expr"]
    assert "> 0" in rules["BookReaderDeadLetters"]["expr"]
    assert "> 300" in rules["BookReaderEventsStuck"]["expr"]
    assert "> 0.05" in rules["BookReaderErrorRatio"]["expr"]
    assert "bookreader_ready == 0" in rules["BookReaderNotReady"]["expr"]
    for rule in rules.values():
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"]
