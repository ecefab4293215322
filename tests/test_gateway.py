"""The HTTP gateway behaves like API Gateway in front of Lambda, over real HTTP."""

import base64
import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from bookreader.storage.disk import DiskStore
from local.launcher import RunningRuntime
from tests.support.services import launch_fixture_runtime

ERROR_KEYS = {"code", "message", "details"}


def assert_error_shape(response: requests.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return body["error"]


@pytest.fixture(scope="module")
def rt(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    """One runtime for the module: these tests only read, or wait for recovery."""
    tmp_path = tmp_path_factory.mktemp("gateway")
    database_url = services.create_database()
    prefix = f"test-gw-{uuid.uuid4().hex[:8]}"
    runtime = launch_fixture_runtime(services, database_url, prefix, tmp_path / "records", tmp_path)
    yield runtime
    runtime.stop()
    services.drop_database(database_url)
    services.delete_redis_keys(prefix)


def echo(rt: RunningRuntime, path: str, **kwargs) -> dict:
    response = requests.request(
        kwargs.pop("method", "GET"), rt.api_url + path, timeout=10, **kwargs
    )
    assert response.status_code == 200, response.text
    return response.json()["event"]


def test_static_beats_param_beats_greedy(rt: RunningRuntime) -> None:
    cases = {
        "/items/static": ("/items/static", None),
        "/items/42": ("/items/{item_id}", {"item_id": "42"}),
        "/items/42/parts/7": (
            "/items/{item_id}/parts/{part_id}",
            {"item_id": "42", "part_id": "7"},
        ),
        "/items/42/other/deep": ("/items/{proxy+}", {"proxy": "42/other/deep"}),
        "/items/static/x": ("/items/{proxy+}", {"proxy": "static/x"}),
    }
    for path, (resource, params) in cases.items():
        event = echo(rt, path)
        assert event["resource"] == resource, path
        assert event["requestContext"]["resourcePath"] == resource
        assert event["pathParameters"] == params
        assert event["path"] == path


def test_event_is_a_complete_rest_v1_proxy_event(rt: RunningRuntime) -> None:
    event = echo(
        rt,
        "/items/%D0%BA%D0%BD%D0%B8%D0%B3%D0%B0?tag=a&tag=b&empty=",
        headers={"X-Trace": "t1", "User-Agent": "pytest"},
    )
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"item_id": "книга"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "empty": [""]}
    assert event["queryStringParameters"] == {"tag": "b", "empty": ""}
    assert event["headers"]["X-Trace"] == "t1"
    assert event["multiValueHeaders"]["X-Trace"] == ["t1"]
    context = event["requestContext"]
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["identity"]["userAgent"] == "pytest"
    # As API Gateway's stage `api`: the function sees the path below it, the context the
    # path the browser asked for.
    assert context["stage"] == "api" and context["requestId"]
    assert event["path"] == "/items/книга"
    assert context["path"] == "/api/items/книга"
    assert event["body"] is None and event["isBase64Encoded"] is False


def test_json_body_is_passed_as_text(rt: RunningRuntime) -> None:
    body = json.dumps({"title": "Анна Каренина"}, ensure_ascii=False).encode()
    event = echo(
        rt, "/items/1", method="POST", data=body, headers={"Content-Type": "application/json"}
    )
    assert event["isBase64Encoded"] is False
    assert "Анна Каренина" in event["body"]


def test_binary_bodies_round_trip_base64(rt: RunningRuntime) -> None:
    payload = bytes(range(256)) * 40
    response = requests.post(
        rt.api_url + "/binary",
        data=payload,
        headers={"Content-Type": "application/octet-stream"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.content == payload


def test_chalice_binary_response_reaches_client(rt: RunningRuntime) -> None:
    response = requests.get(rt.api_url + "/things/1/picture", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG") and len(response.content) == 264


def test_multi_value_response_headers(rt: RunningRuntime) -> None:
    response = requests.get(rt.api_url + "/items/static", timeout=10)
    assert response.raw.headers.getlist("X-Multi") == ["a", "b"]
    assert response.headers["x-amzn-RequestId"]


def test_cors_preflight_answered_from_template(rt: RunningRuntime) -> None:
    response = requests.options(
        rt.api_url + "/things",
        headers={"Origin": "https://reader.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://reader.example"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Content-Type,Authorization"
    assert response.headers["Access-Control-Max-Age"] == "300"


def test_unknown_route_is_404(rt: RunningRuntime) -> None:
    assert_error_shape(requests.get(rt.api_url + "/no/such/route", timeout=10), 404, "not_found")


def test_missing_path_parameter_is_404(rt: RunningRuntime) -> None:
    assert_error_shape(requests.get(rt.api_url + "/things//picture", timeout=10), 404, "not_found")
    assert_error_shape(requests.get(rt.api_url + "/items//parts/1", timeout=10), 404, "not_found")


def test_wrong_method_is_405_with_allow(rt: RunningRuntime) -> None:
    response = requests.delete(rt.api_url + "/things/1", timeout=10)
    assert_error_shape(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, OPTIONS"


def test_invalid_json_is_400(rt: RunningRuntime) -> None:
    response = requests.post(rt.api_url + "/things", data="{not json", timeout=10)
    assert_error_shape(response, 400, "invalid_json")


def test_invalid_fields_are_422_with_details(rt: RunningRuntime) -> None:
    response = requests.post(rt.api_url + "/things", json={"name": "", "count": -1}, timeout=10)
    error = assert_error_shape(response, 422, "validation_failed")
    assert {item["field"] for item in error["details"]["fields"]} == {"name", "count"}
    created = requests.post(rt.api_url + "/things", json={"name": "книга", "count": 2}, timeout=10)
    assert created.status_code == 201 and created.json() == {"name": "книга", "count": 2}


def test_domain_error_keeps_its_status_and_code(rt: RunningRuntime) -> None:
    assert_error_shape(
        requests.get(rt.api_url + "/things/missing", timeout=10), 404, "thing_not_found"
    )


def test_unhandled_error_in_chalice_view_is_500_without_details(rt: RunningRuntime) -> None:
    response = requests.get(rt.api_url + "/things/boom", timeout=10)
    assert_error_shape(response, 500, "internal_error")
    assert "internal detail" not in response.text


def test_handler_that_raises_is_502_and_detail_stays_in_log(rt: RunningRuntime) -> None:
    response = requests.get(rt.api_url + "/raise", timeout=10)
    assert_error_shape(response, 502, "function_error")
    assert "secret detail" not in response.text
    time.sleep(0.2)
    assert "secret detail that must not reach the client" in rt.log()


def test_malformed_proxy_response_is_502(rt: RunningRuntime) -> None:
    assert_error_shape(
        requests.get(rt.api_url + "/malformed", timeout=10), 502, "malformed_response"
    )


def test_body_over_10_mb_is_413(rt: RunningRuntime) -> None:
    response = requests.post(
        rt.api_url + "/items/1", data=b"x" * (10 * 1024 * 1024 + 1), timeout=30
    )
    assert_error_shape(response, 413, "payload_too_large")
    assert requests.get(rt.api_url + "/items/static", timeout=10).status_code == 200


def test_chunked_body_over_limit_is_413(rt: RunningRuntime) -> None:
    def chunks():
        for _ in range(11):
            yield b"x" * (1024 * 1024)

    response = requests.post(rt.api_url + "/items/1", data=chunks(), timeout=30)
    assert_error_shape(response, 413, "payload_too_large")


def test_integration_timeout_is_504_and_gateway_recovers(rt: RunningRuntime) -> None:
    # The fixture runtime sets LOCAL_API_TIMEOUT=3 (API Gateway's is 29 s).
    response = requests.get(rt.api_url + "/sleep?seconds=6", timeout=20)
    assert_error_shape(response, 504, "gateway_timeout")
    assert requests.get(rt.api_url + "/items/static", timeout=10).status_code == 200


def full_pool(rt: RunningRuntime, function: str = "EchoFunction") -> set[int]:
    """The pool's pids once every worker is up: workers start on demand, so as many requests
    at once as the pool has room for fill it."""
    deadline = time.time() + 30
    while time.time() < deadline:
        function_status = rt.status()["functions"][function]
        if len(function_status["pids"]) == function_status["size"]:
            return set(function_status["pids"])
        with ThreadPoolExecutor(function_status["size"]) as pool:
            list(
                pool.map(
                    lambda _: requests.get(rt.api_url + "/sleep?seconds=0.5", timeout=10),
                    range(function_status["size"]),
                )
            )
    raise AssertionError(f"{function}'s pool did not fill up again")


def test_worker_that_dies_is_replaced_and_gateway_keeps_serving(rt: RunningRuntime) -> None:
    before = full_pool(rt)
    assert_error_shape(requests.get(rt.api_url + "/crash", timeout=10), 502, "function_error")
    for _ in range(5):
        assert requests.get(rt.api_url + "/items/static", timeout=10).status_code == 200
    deadline = time.time() + 30
    while (after := full_pool(rt)) == before and time.time() < deadline:
        time.sleep(0.1)
    assert len(after & before) == 1, "the dead worker is replaced, the other one kept"


def test_workers_are_warm_and_reused(rt: RunningRuntime) -> None:
    workers = full_pool(rt)
    with ThreadPoolExecutor(4) as pool:  # concurrent requests reach both workers
        list(pool.map(lambda _: requests.get(rt.api_url + "/items/static", timeout=10), range(20)))
    time.sleep(0.2)
    seen = len(rt.log().splitlines())
    with ThreadPoolExecutor(4) as pool:
        responses = list(
            pool.map(lambda _: requests.get(rt.api_url + "/items/static", timeout=10), range(40))
        )
    assert {response.json()["pid"] for response in responses} <= workers
    time.sleep(0.2)
    new_lines = [line for line in rt.log().splitlines()[seen:] if '"EchoFunction"' in line]
    assert len(new_lines) == 40
    assert not [line for line in new_lines if '"cold": true' in line], "warm workers are reused"


def test_function_sees_only_declared_environment(rt: RunningRuntime) -> None:
    env = requests.get(rt.api_url + "/items/static", timeout=10).json()["env"]
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "EchoFunction"
    assert env["BOOKS_BUCKET"] == "fixture-000000000000"
    assert env["RECORD_DIR"]  # set through the env-vars override file
    assert "LOCAL_INTERNAL_TOKEN" not in env and "PYTEST_CURRENT_TEST" not in env


def test_the_api_lives_under_api_only(rt: RunningRuntime) -> None:
    assert requests.get(rt.url + "/api/items/static", timeout=10).status_code == 200
    for path in ("/api/no/such/route", "/api", "/api/", "/api/_local/status"):
        assert_error_shape(requests.get(rt.url + path, timeout=10), 404, "not_found")
    # Outside /api/ the template's routes are not reachable: that is the web app's space.
    outside = requests.get(rt.url + "/items/static", timeout=10)
    assert "event" not in outside.text


def test_runtime_endpoints_need_the_token(rt: RunningRuntime) -> None:
    assert_error_shape(requests.get(rt.url + "/_local/status", timeout=10), 401, "unauthorised")
    bad = {"Authorization": "Bearer wrong"}
    assert_error_shape(
        requests.post(rt.url + "/_local/events/s3", json={}, headers=bad, timeout=10),
        401,
        "unauthorised",
    )


def test_garbage_request_line_does_not_break_the_gateway(rt: RunningRuntime) -> None:
    host, port = rt.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"\x00\x01garbage\r\n\r\n")
        sock.recv(1024)
    assert requests.get(rt.api_url + "/items/static", timeout=10).status_code == 200


def test_base64_body_flag_for_declared_binary_types(rt: RunningRuntime) -> None:
    event = echo(
        rt, "/items/1", method="POST", data=b"\xff\xfe", headers={"Content-Type": "image/png"}
    )
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\xff\xfe"


def _raw_exchange(rt: RunningRuntime, request: bytes) -> bytes:
    host, port = rt.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize("coding", ["gzip, chunked", "chunked, identity", "xchunked", "identity"])
def test_a_transfer_coding_other_than_chunked_is_refused_not_read_as_the_next_request(
    rt: RunningRuntime, coding: str
) -> None:
    smuggled = b"GET /api/items/static HTTP/1.1\r\nHost: x\r\n\r\n"
    body = b"0\r\n\r\n" + smuggled
    answer = _raw_exchange(
        rt,
        b"POST /api/items/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
        + coding.encode()
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body,
    )
    assert answer.startswith(b"HTTP/1.1 501 "), answer[:200]
    assert b"transfer_coding_unsupported" in answer
    assert answer.count(b"HTTP/1.1 ") == 1, "the body was read as a second request"


def test_chunked_beside_a_content_length_is_a_bad_request(rt: RunningRuntime) -> None:
    answer = _raw_exchange(
        rt,
        b"POST /api/items/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Length: 5\r\n\r\n0\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert answer.count(b"HTTP/1.1 ") == 1


# --- the object endpoint judges an upload by its headers, and keys are write-once -------------

OBJECT_BUCKET = "fixture-000000000000"


def _store_of(runtime: RunningRuntime) -> DiskStore:
    secret = json.loads((runtime.data_dir / "secrets.json").read_text())["store_secret"]
    return DiskStore(runtime.data_dir / "objects", secret, runtime.url, notify=False)


def _headers_only(runtime: RunningRuntime, method: str, url: str, headers: dict[str, str]) -> bytes:
    """Send a request's headers and no body; return what the server answers before it."""
    split = urlsplit(url)
    head = f"{method} {split.path}?{split.query} HTTP/1.1\r\nHost: {split.netloc}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection((split.hostname, split.port), timeout=10) as sock:
        sock.sendall(head.encode())
        return _read_until_closed(sock)


def test_a_bogus_signature_with_a_huge_body_is_refused_before_the_body_is_sent(
    rt: RunningRuntime,
) -> None:
    upload = _store_of(rt).presign_put(
        OBJECT_BUCKET, "uploads/u/b/huge.epub", content_type="application/epub+zip",
        max_bytes=1000, expires_in=60,
    )  # fmt: skip
    forged = upload.url.replace("sig=", "sig=0")
    answer = _headers_only(
        rt, "PUT", forged,
        {"Content-Type": "application/epub+zip", "Content-Length": str(4 * 1024**3)},
    )  # fmt: skip
    assert answer.startswith(b"HTTP/1.1 403 "), answer[:200]
    assert b'"signature_invalid"' in answer and b"Connection: close" in answer
    # A genuine URL with a declared size over the signed one: 413 from the headers alone too.
    too_big = _headers_only(
        rt, "PUT", upload.url,
        {"Content-Type": "application/epub+zip", "Content-Length": str(4 * 1024**3)},
    )  # fmt: skip
    assert too_big.startswith(b"HTTP/1.1 413 ") and b'"entity_too_large"' in too_big


def test_expect_continue_is_answered_only_for_an_acceptable_upload(rt: RunningRuntime) -> None:
    store = _store_of(rt)
    upload = store.presign_put(
        OBJECT_BUCKET, "uploads/u/b/continue.epub", content_type="application/epub+zip",
        max_bytes=1000, expires_in=60,
    )  # fmt: skip
    refused = _headers_only(
        rt, "PUT", upload.url.replace("sig=", "sig=0"),
        {"Content-Type": "application/epub+zip", "Content-Length": "5", "Expect": "100-continue"},
    )  # fmt: skip
    assert refused.startswith(b"HTTP/1.1 403 "), "no 100 Continue for a forged URL"
    split = urlsplit(upload.url)
    with socket.create_connection((split.hostname, split.port), timeout=10) as sock:
        sock.sendall(
            f"PUT {split.path}?{split.query} HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/epub+zip\r\nContent-Length: 5\r\n"
            "Expect: 100-continue\r\n\r\n".encode()
        )
        assert sock.recv(4096).startswith(b"HTTP/1.1 100 ")
        sock.sendall(b"hello")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200 ")
    assert store.get(OBJECT_BUCKET, "uploads/u/b/continue.epub") == b"hello"


def test_an_upload_url_works_once_and_a_replay_is_409(rt: RunningRuntime) -> None:
    store = _store_of(rt)
    key = "uploads/u/b/once.epub"
    upload = store.presign_put(
        OBJECT_BUCKET, key, content_type="application/epub+zip", max_bytes=1000, expires_in=60
    )
    first = requests.put(upload.url, data=b"the book", headers=upload.headers, timeout=10)
    assert first.status_code == 200, first.text
    replay = requests.put(upload.url, data=b"evil", headers=upload.headers, timeout=10)
    assert_error_shape(replay, 409, "object_exists")
    assert store.get(OBJECT_BUCKET, key) == b"the book"
    # Two racing uploads of a fresh key: exactly one wins.
    racing = store.presign_put(
        OBJECT_BUCKET, "uploads/u/b/race.epub", content_type="application/epub+zip",
        max_bytes=100_000, expires_in=60,
    )  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(
                lambda n: (
                    requests.put(
                        racing.url, data=bytes([n]) * 50_000, headers=racing.headers, timeout=10
                    ).status_code
                ),
                range(4),
            )
        )
    assert sorted(answers) == [200, 409, 409, 409]


def test_a_chunked_upload_over_the_signed_size_stores_nothing(rt: RunningRuntime) -> None:
    store = _store_of(rt)
    key = "uploads/u/b/chunked.epub"
    upload = store.presign_put(
        OBJECT_BUCKET, key, content_type="application/epub+zip", max_bytes=100, expires_in=60
    )
    response = requests.put(
        upload.url, data=iter([b"x" * 60, b"y" * 60]), headers=upload.headers, timeout=10
    )
    assert_error_shape(response, 413, "entity_too_large")
    assert not store.exists(OBJECT_BUCKET, key)
    leftovers = [p.name for p in (rt.data_dir / "objects" / OBJECT_BUCKET).rglob(".tmp-*")]
    assert leftovers == [], "a refused upload leaves no partial file"
    # The same URL still works for a body within the limit: nothing was written.
    ok = requests.put(upload.url, data=iter([b"x" * 50]), headers=upload.headers, timeout=10)
    assert ok.status_code == 200 and store.get(OBJECT_BUCKET, key) == b"x" * 50


def test_presigned_get_answers_with_the_signed_type_and_disposition(rt: RunningRuntime) -> None:
    store = _store_of(rt)
    key = "books/u/b/images/pic.svg"
    store.put(OBJECT_BUCKET, key, b"<svg xmlns='http://www.w3.org/2000/svg'/>", "text/html")
    url = store.presign_get(
        OBJECT_BUCKET, key, expires_in=60, content_type="image/svg+xml", disposition="attachment"
    )
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml"
    assert response.headers["Content-Disposition"] == "attachment"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The overrides are signed: a client cannot pick its own type.
    forged = requests.get(url.replace("image%2Fsvg%2Bxml", "text%2Fhtml"), timeout=10)
    assert_error_shape(forged, 403, "signature_invalid")


# --- slow clients and the connection cap --------------------------------------------------------


@pytest.fixture(scope="module")
def tight(services, tmp_path_factory) -> Iterator[RunningRuntime]:
    """A runtime with short read timeouts and room for two connections."""
    tmp_path = tmp_path_factory.mktemp("gateway-tight")
    database_url = services.create_database()
    prefix = f"test-gwt-{uuid.uuid4().hex[:8]}"
    runtime = launch_fixture_runtime(
        services, database_url, prefix, tmp_path / "records", tmp_path,
        LOCAL_HEADER_TIMEOUT="2", LOCAL_BODY_TIMEOUT="2", LOCAL_MAX_CONNECTIONS="2",
    )  # fmt: skip
    yield runtime
    runtime.stop()
    services.drop_database(database_url)
    services.delete_redis_keys(prefix)


def _connect(runtime: RunningRuntime) -> socket.socket:
    split = urlsplit(runtime.url)
    return socket.create_connection((split.hostname, split.port), timeout=30)


def _read_until_closed(sock: socket.socket) -> bytes:
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def _wait_served(runtime: RunningRuntime) -> None:
    """Until a plain request is answered again (slots free once their threads end)."""
    for _ in range(100):
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(runtime.api_url + "/items/static", timeout=10).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError("the gateway did not serve again")


def test_a_client_that_stalls_in_its_headers_is_dropped(tight: RunningRuntime) -> None:
    with _connect(tight) as sock:
        sock.sendall(b"GET /api/items/static HTTP/1.1\r\nHost: x\r\n")  # and never the end
        assert _read_until_closed(sock) == b"", "dropped without an answer"
    _wait_served(tight)


def test_a_client_that_stalls_in_its_body_gets_408_and_is_dropped(tight: RunningRuntime) -> None:
    with _connect(tight) as sock:
        sock.sendall(b"POST /api/items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123")
        answer = _read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ") and b'"request_timeout"' in answer
    _wait_served(tight)


def test_an_idle_keep_alive_connection_is_closed(tight: RunningRuntime) -> None:
    with _connect(tight) as sock:
        sock.sendall(b"GET /api/items/static HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = _read_until_closed(sock)  # answered, then closed once idle
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.count(b"HTTP/1.1 ") == 1


def _held_connection(runtime: RunningRuntime) -> socket.socket:
    """A connection in the middle of its headers that the gateway is serving (a slot freed by
    an earlier test's connection is released by its thread a moment after the client left)."""
    for _ in range(50):
        sock = _connect(runtime)
        sock.sendall(b"GET /api/items/static HTTP/1.1\r\nHost: x\r\n")
        sock.settimeout(0.3)
        try:
            sock.recv(65536)  # an answer now can only be the refusal
        except TimeoutError:
            sock.settimeout(30)
            return sock
        sock.close()
        time.sleep(0.1)
    raise AssertionError("no connection slot came free")


def test_connections_beyond_the_cap_are_refused_with_503(tight: RunningRuntime) -> None:
    _wait_served(tight)
    # Two clients sending a header line now and then: each holds a slot (connections are
    # accepted in order, so both are taken before the third arrives).
    holders = [_held_connection(tight) for _ in range(2)]
    stop = threading.Event()

    def trickle() -> None:
        while not stop.wait(0.2):
            for holder in holders:
                with contextlib.suppress(OSError):
                    holder.sendall(b"X-Slow: 1\r\n")

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        with _connect(tight) as extra:
            extra.sendall(b"GET /api/items/static HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = _read_until_closed(extra)
        assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
        assert b'"too_many_connections"' in answer and b"Retry-After" in answer
    finally:
        stop.set()
        thread.join()
        for holder in holders:
            holder.close()
    _wait_served(tight)
