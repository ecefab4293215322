"""Object events and async invocations reach their functions at least once, through the real
runtime, Redis Streams and a real object store; failures retry with backoff into a DLQ."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from bookreader import redis_conn
from bookreader.config import get_settings
from bookreader.jobs import invoke_async
from bookreader.storage.disk import DiskStore
from bookreader.storage.s3 import S3Store
from local.launcher import RunningRuntime, free_port
from tests.support.services import launch_fixture_runtime, read_records

BUCKET = "fixture-000000000000"
KEY = "uploads/u1/Война и мир+том 1 (2).epub"


def wait_for(condition: Callable[[], object], timeout: float = 20, message: str = "") -> object:
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting: {message}")


def disk_store_of(runtime: RunningRuntime) -> DiskStore:
    secret = json.loads((runtime.data_dir / "secrets.json").read_text())["store_secret"]
    return DiskStore(runtime.data_dir / "objects", secret, runtime.url, notify=False)


def presigned_put(
    runtime: RunningRuntime, key: str, data: bytes, max_bytes: int = 1000
) -> requests.Response:
    upload = disk_store_of(runtime).presign_put(
        BUCKET, key, content_type="application/epub+zip", max_bytes=max_bytes, expires_in=60
    )
    return requests.put(upload.url, data=data, headers=upload.headers, timeout=10)


def run_cli(runtime: RunningRuntime, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **{k: runtime.env[k] for k in ("REDIS_URL", "REDIS_PREFIX", "DATA_DIR")}}
    return subprocess.run(
        [sys.executable, "-m", "local", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_presigned_put_triggers_function_with_exact_decoded_key(
    fixture_runtime, record_dir
) -> None:
    response = presigned_put(fixture_runtime, KEY, b"book bytes")
    assert response.status_code == 200, response.text
    records = wait_for(lambda: read_records(record_dir, "recorder.jsonl"), message="recorder")
    assert records[0]["key"] == KEY
    assert records[0]["bucket"] == BUCKET and records[0]["size"] == 10
    # The object is really stored, with its content type, and readable via a presigned GET.
    store = disk_store_of(fixture_runtime)
    assert store.head(BUCKET, KEY).content_type == "application/epub+zip"
    fetched = requests.get(store.presign_get(BUCKET, KEY, expires_in=60), timeout=10)
    assert (
        fetched.content == b"book bytes"
        and fetched.headers["Content-Type"] == "application/epub+zip"
    )


def test_filters_decide_which_functions_run(fixture_runtime, record_dir) -> None:
    assert presigned_put(fixture_runtime, "uploads/notes.txt", b"x").status_code == 200
    assert presigned_put(fixture_runtime, "covers/a.epub", b"x").status_code == 200
    assert presigned_put(fixture_runtime, "uploads/ok.epub", b"x").status_code == 200
    wait_for(lambda: read_records(record_dir, "recorder.jsonl"), message="recorder")
    time.sleep(0.5)
    assert [r["key"] for r in read_records(record_dir, "recorder.jsonl")] == ["uploads/ok.epub"]


def test_presigned_put_enforces_signature_expiry_size_and_type(fixture_runtime, record_dir) -> None:
    store = disk_store_of(fixture_runtime)
    upload = store.presign_put(
        BUCKET, "uploads/a.epub", content_type="application/epub+zip", max_bytes=5, expires_in=60
    )
    too_big = requests.put(upload.url, data=b"123456", headers=upload.headers, timeout=10)
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "entity_too_large"
    wrong_type = requests.put(
        upload.url, data=b"1", headers={"Content-Type": "text/html"}, timeout=10
    )
    assert wrong_type.status_code == 403
    tampered = requests.put(
        upload.url.replace("max=5", "max=500"), data=b"123456", headers=upload.headers, timeout=10
    )
    assert tampered.status_code == 403 and tampered.json()["error"]["code"] == "signature_invalid"
    other_key = requests.put(
        upload.url.replace("a.epub", "b.epub"), data=b"1", headers=upload.headers, timeout=10
    )
    assert other_key.status_code == 403
    expired = store.presign_put(
        BUCKET, "uploads/a.epub", content_type="application/epub+zip", max_bytes=5, expires_in=-1
    )
    response = requests.put(expired.url, data=b"1", headers=expired.headers, timeout=10)
    assert response.status_code == 403 and response.json()["error"]["code"] == "url_expired"
    time.sleep(0.5)
    assert read_records(record_dir, "recorder.jsonl") == [], "rejected uploads store nothing"


def test_invoke_async_reaches_the_function(fixture_runtime, record_dir, monkeypatch) -> None:
    monkeypatch.setenv("REDIS_URL", fixture_runtime.env["REDIS_URL"])
    monkeypatch.setenv("REDIS_PREFIX", fixture_runtime.env["REDIS_PREFIX"])
    monkeypatch.setenv("BOOKREADER_RUNTIME", "local")
    monkeypatch.setattr(redis_conn, "_client", None)
    get_settings.cache_clear()
    try:
        invoke_async("RecorderFunction", {"book_id": "b1", "title": "Капитанская дочка"})
    finally:
        get_settings.cache_clear()
        monkeypatch.setattr(redis_conn, "_client", None)
    records = wait_for(lambda: read_records(record_dir, "recorder.jsonl"), message="async invoke")
    assert records[0]["payload"] == {"book_id": "b1", "title": "Капитанская дочка"}


def test_killed_worker_loses_nothing(
    services, database_url, redis_prefix, record_dir, tmp_path
) -> None:
    runtime = launch_fixture_runtime(
        services,
        database_url,
        redis_prefix,
        record_dir,
        tmp_path,
        overrides={"SLOW_SECONDS": "2"},
        LOCAL_VISIBILITY_TIMEOUT_MS="3000",
    )
    try:
        assert presigned_put(runtime, "uploads/slow-book.epub", b"x").status_code == 200
        started = wait_for(lambda: read_records(record_dir, "started.jsonl"), message="slow start")
        os.kill(started[0]["pid"], signal.SIGKILL)
        done = wait_for(
            lambda: read_records(record_dir, "recorder.jsonl"), timeout=30, message="redelivery"
        )
        assert [r["key"] for r in done] == ["uploads/slow-book.epub"]
        attempts = read_records(record_dir, "started.jsonl")
        assert len(attempts) == 2 and attempts[1]["pid"] != attempts[0]["pid"]
        # The runtime saw its worker die: a retry after the backoff, as for any failed attempt,
        # not a wait for the visibility timeout.
        assert '"retry scheduled"' in runtime.log()
        time.sleep(1)
        assert len(read_records(record_dir, "recorder.jsonl")) == 1, "processed once"
    finally:
        runtime.stop()


def test_failing_handler_retries_with_backoff_then_dead_letters_and_replays(
    fixture_runtime, record_dir
) -> None:
    assert presigned_put(fixture_runtime, "fail/broken.bin", b"x").status_code == 200
    attempts = wait_for(
        lambda: len(read_records(record_dir, "failing.jsonl")) >= 3 or None, message="retries"
    )
    assert attempts
    letters = wait_for(lambda: _dead_letters(fixture_runtime), message="dead letter")
    times = [r["at"] for r in read_records(record_dir, "failing.jsonl")]
    assert len(times) == 3, "1 attempt + MaximumRetryAttempts (2)"
    scheduled = [
        json.loads(line)
        for line in fixture_runtime.log().splitlines()
        if '"retry scheduled"' in line and '"FailingFunction"' in line
    ]
    backoffs = [entry["backoff_ms"] for entry in scheduled]
    assert [entry["attempt"] for entry in scheduled] == [1, 2]
    assert backoffs[1] > backoffs[0] >= 0.8 * 300, (
        f"exponential backoff from 300 ms, got {backoffs}"
    )
    for gap, backoff in zip([times[1] - times[0], times[2] - times[1]], backoffs, strict=True):
        assert gap >= 0.8 * backoff / 1000, "a retry never comes before its backoff"

    (letter,) = letters
    assert letter["function"] == "FailingFunction" and letter["attempts"] == "3"
    assert "always fails" in letter["error"]
    assert json.loads(letter["event"])["Records"][0]["s3"]["object"]["key"] == "fail/broken.bin"

    replay = run_cli(fixture_runtime, "dlq", "replay", letter["id"])
    assert replay.returncode == 0, replay.stderr
    wait_for(
        lambda: len(read_records(record_dir, "failing.jsonl")) >= 4 or None,
        message="replayed attempt",
    )
    assert run_cli(fixture_runtime, "dlq", "replay", "0-1").returncode == 1


def _dead_letters(runtime: RunningRuntime) -> list[dict]:
    result = run_cli(runtime, "dlq", "list")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_webhook_rejects_bad_notifications(fixture_runtime) -> None:
    url = fixture_runtime.url + "/_local/events/s3"
    bad = requests.post(url, data="not json", headers=fixture_runtime.auth, timeout=10)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_notification"
    shapeless = requests.post(
        url, json={"Records": [{"nope": 1}]}, headers=fixture_runtime.auth, timeout=10
    )
    assert shapeless.status_code == 400
    test_event = requests.post(
        url, json={"Event": "s3:TestEvent"}, headers=fixture_runtime.auth, timeout=10
    )
    assert test_event.status_code == 200 and test_event.json() == {"accepted": 0}


@pytest.fixture
def moto_endpoint(monkeypatch) -> str:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_s3_endpoint_notification_through_webhook(
    services, database_url, redis_prefix, record_dir, tmp_path: Path, moto_endpoint: str
) -> None:
    runtime = launch_fixture_runtime(
        services,
        database_url,
        redis_prefix,
        record_dir,
        tmp_path,
        AWS_ENDPOINT_URL_S3=moto_endpoint,
    )
    try:
        sqs = boto3.client("sqs", endpoint_url=moto_endpoint, region_name="us-east-1")
        queue_url = sqs.create_queue(QueueName="bucket-events")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
        s3.put_bucket_notification_configuration(  # the runtime created the bucket at start-up
            Bucket=BUCKET,
            NotificationConfiguration={
                "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]
            },
        )
        upload = S3Store(moto_endpoint, "us-east-1").presign_put(
            BUCKET, KEY, content_type="application/epub+zip", max_bytes=100, expires_in=60
        )
        assert (
            requests.put(upload.url, data=b"book", headers=upload.headers, timeout=10).status_code
            == 200
        )

        forwarded = 0
        deadline = time.time() + 20
        while forwarded == 0 and time.time() < deadline:  # the bridge a store's webhook would be
            for message in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get(
                "Messages", []
            ):
                response = requests.post(
                    runtime.url + "/_local/events/s3",
                    data=message["Body"],
                    headers=runtime.auth,
                    timeout=10,
                )
                assert response.status_code == 200, response.text
                forwarded += response.json()["accepted"]
        assert forwarded == 1
        records = wait_for(
            lambda: read_records(record_dir, "recorder.jsonl"), message="recorder via moto"
        )
        assert [r["key"] for r in records] == [KEY]
    finally:
        runtime.stop()
