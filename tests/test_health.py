"""The production template through the runtime: health probes, and readiness that names what
is down."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

import bookreader
import local
from local.launcher import RunningRuntime, start_runtime
from local.services import EmbeddedRedis


def test_every_template_route_is_served(product_runtime: RunningRuntime) -> None:
    live = requests.get(product_runtime.api_url + "/health", timeout=10)
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = requests.get(product_runtime.api_url + "/health/ready", timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"postgres": "ok", "redis": "ok", "object_store": "ok"}


@pytest.fixture
def doomed_redis(tmp_path) -> EmbeddedRedis:
    redis_server = EmbeddedRedis(tmp_path / "doomed")
    redis_server.start()
    yield redis_server
    redis_server.stop()


def test_readiness_names_the_service_that_is_down(database_url, doomed_redis, tmp_path) -> None:
    runtime: RunningRuntime = start_runtime(
        tmp_path / "data", {"DATABASE_URL": database_url, "REDIS_URL": doomed_redis.url}
    )
    try:
        assert requests.get(runtime.api_url + "/health/ready", timeout=10).status_code == 200
        doomed_redis.stop()
        response = requests.get(runtime.api_url + "/health/ready", timeout=30)
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "not_ready"
        assert error["details"]["down"] == ["redis"]
        assert "redis" in error["message"]
        # Liveness does not depend on Redis, and the runtime itself keeps serving.
        assert requests.get(runtime.api_url + "/health", timeout=10).status_code == 200
        assert runtime.process.poll() is None
    finally:
        runtime.stop()


def test_local_up_with_embedded_services_persists_across_restart(tmp_path) -> None:
    """No DATABASE_URL/REDIS_URL: embedded PostgreSQL and Redis start under the data directory."""
    data_dir = tmp_path / "data"
    env = {"DATABASE_URL": "", "REDIS_URL": ""}
    first = start_runtime(data_dir, env)
    try:
        assert requests.get(first.api_url + "/health/ready", timeout=20).status_code == 200
        assert '"database": "embedded"' in first.log() and '"redis": "embedded"' in first.log()
    finally:
        assert first.stop() == 0
    second = start_runtime(data_dir, env)
    try:
        assert requests.get(second.api_url + "/health/ready", timeout=20).status_code == 200
        assert '"versions": []' in second.log(), "migrations were kept, not re-applied"
        assert (data_dir / "redis" / "appendonlydir").exists() or any(
            (data_dir / "redis").glob("*.aof")
        )
    finally:
        assert second.stop() == 0
    leftovers = subprocess.run(
        ["pgrep", "-f", str(data_dir)], capture_output=True, text=True, check=False
    )
    assert leftovers.stdout.strip() == "", "Ctrl-C stops every process the runtime started"


def test_local_up_stops_its_postgres_after_a_process_that_died_holding_it(tmp_path) -> None:
    """A process killed while it held the embedded PostgreSQL (a second Ctrl-C, `kill -9`) leaves
    the server running and its handle counted; the next `local up` still stops it on exit."""
    data_dir = tmp_path / "data"
    crash = (
        "import os, sys; from pathlib import Path; from local.services import EmbeddedPostgres;"
        "EmbeddedPostgres(Path(sys.argv[1])).start(); os._exit(9)"
    )
    paths = [Path(local.__file__).parents[1], Path(bookreader.__file__).parents[1]]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths))}
    died = subprocess.run([sys.executable, "-c", crash, str(data_dir)], env=env, check=False)
    assert died.returncode == 9
    running = subprocess.run(["pgrep", "-f", str(data_dir)], capture_output=True, text=True)
    assert running.stdout.strip(), "the dead process left its PostgreSQL running"

    runtime = start_runtime(data_dir, {"DATABASE_URL": "", "REDIS_URL": ""})
    try:
        assert requests.get(runtime.api_url + "/health/ready", timeout=20).status_code == 200
    finally:
        assert runtime.stop() == 0
    leftovers = subprocess.run(
        ["pgrep", "-f", str(data_dir)], capture_output=True, text=True, check=False
    )
    assert leftovers.stdout.strip() == "", "the runtime stopped the PostgreSQL it used"
