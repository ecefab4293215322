"""Image providers over real HTTP against local fake servers, the retry layer, the chain, sketch."""

from __future__ import annotations

import base64
import io
import socket
import time
from collections.abc import Iterator
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import pytest
import requests
from PIL import Image

from bookreader.errors import BookReaderError
from bookreader.images.model import ImagePrompt
from bookreader.images.providers import (
    Automatic1111Provider,
    GeneratedImage,
    OpenAIImagesProvider,
    PollinationsProvider,
    ProviderChain,
    ProviderConfig,
    SketchProvider,
    build_chain,
)
from bookreader.images.providers.sketch import LABEL, render_sketch
from bookreader.images.retry import RetryingClient, RetryPolicy, new_session, parse_retry_after
from bookreader.images.validate import ImageLimits
from tests.support.fake_image_servers import (
    Automatic1111Server,
    OpenAIImagesServer,
    PollinationsServer,
    Reply,
    bomb_png,
    json_reply,
    png_bytes,
)

PROMPT = ImagePrompt(
    prompt="an old manor on a hill / at dusk?", negative_prompt="text, watermark", seed=42
)
POLICY = RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=4.0, request_timeout=5.0)


def later(seconds: float = 30.0) -> float:
    return time.monotonic() + seconds


class Sleeps(list[float]):
    """An injected sleep that records how long it was asked to wait and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def client(sleeps: Sleeps, policy: RetryPolicy = POLICY, **options: Any) -> RetryingClient:
    # rand=1.0 takes the jitter out, so the expected delays are exact.
    return RetryingClient("test", policy, sleep=sleeps, rand=lambda: 1.0, **options)


@pytest.fixture
def pollinations() -> Iterator[PollinationsServer]:
    with PollinationsServer() as server:
        yield server


@pytest.fixture
def openai_server() -> Iterator[OpenAIImagesServer]:
    with OpenAIImagesServer() as server:
        yield server


@pytest.fixture
def a1111() -> Iterator[Automatic1111Server]:
    with Automatic1111Server() as server:
        yield server


def pollinations_provider(
    server: PollinationsServer, sleeps: Sleeps, **kw: Any
) -> PollinationsProvider:
    policy = kw.pop("policy", POLICY)
    return PollinationsProvider(client(sleeps, policy), base_url=server.url, **kw)


# --- pollinations.ai ---------------------------------------------------------------------------


def test_pollinations_puts_the_prompt_in_the_path_and_the_rest_in_the_query(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    image = pollinations_provider(pollinations, sleeps, model="turbo").generate(
        PROMPT, deadline=later()
    )

    assert (image.provider, image.seed, image.media_type) == ("pollinations", 42, "image/png")
    assert (image.width, image.height) == (64, 48)
    [request] = pollinations.received
    assert request.method == "GET"
    # The "/" and "?" of the prompt stay inside the one path segment.
    assert request.path == "/prompt/" + quote(PROMPT.prompt, safe="")
    assert request.query == {
        "width": ["768"],
        "height": ["1024"],
        "seed": ["42"],
        "model": ["turbo"],
        "nologo": ["true"],
        "negative": ["text, watermark"],
    }


def test_a_slow_answer_within_the_timeout_succeeds(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(Reply(200, png_bytes(), {"Content-Type": "image/png"}, delay=0.3))
    image = pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later())
    assert image.data == png_bytes()
    assert sleeps == []


def test_429_waits_the_retry_after_seconds_then_succeeds(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(Reply(429, b"slow down", {"Retry-After": "2"}))
    image = pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later())
    assert image.provider == "pollinations"
    assert len(pollinations.received) == 2
    assert sleeps == [2.0]


def test_500_is_retried_with_backoff_then_succeeds(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(Reply(500, b"oops"), Reply(503, b"busy"))
    pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later())
    assert len(pollinations.received) == 3
    assert sleeps == [0.5, 1.0]


def test_always_500_fails_after_the_last_attempt(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(*[Reply(500, b"internal error")] * 5)
    with pytest.raises(BookReaderError) as caught:
        pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_unavailable"
    assert caught.value.details["attempts"] == 3
    assert caught.value.details["http_status"] == 500
    assert len(pollinations.received) == 3
    assert sleeps == [0.5, 1.0]


def test_timeouts_are_retried_and_then_reported(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(*[Reply(200, png_bytes(), delay=2.0)] * 2)
    policy = RetryPolicy(max_attempts=2, base_delay=0.5, request_timeout=0.2)
    provider = pollinations_provider(pollinations, sleeps, policy=policy)
    with pytest.raises(BookReaderError) as caught:
        provider.generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_timeout"
    assert len(pollinations.received) == 2
    assert sleeps == [0.5]


def test_a_400_is_not_retried(pollinations: PollinationsServer, sleeps: Sleeps) -> None:
    pollinations.script(json_reply({"error": "prompt too long"}, 400))
    with pytest.raises(BookReaderError) as caught:
        pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_rejected"
    assert "prompt too long" in caught.value.details["reason"]
    assert len(pollinations.received) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            Reply(200, b"<!DOCTYPE html><html>Cloudflare</html>", {"Content-Type": "image/jpeg"}),
            "HTML",
        ),
        (json_reply({"error": {"message": "model overloaded"}}), "model overloaded"),
        (Reply(200, bytes(range(256)) * 4, {"Content-Type": "image/png"}), "not an allowed image"),
        (Reply(200, png_bytes()[:60], {"Content-Type": "image/png"}), "corrupt image/png"),
        (Reply(200, b""), "empty response"),
    ],
    ids=["html", "json-error", "garbage", "truncated", "empty"],
)
def test_a_200_that_is_not_an_image_fails_with_the_reason(
    pollinations: PollinationsServer, sleeps: Sleeps, reply: Reply, reason: str
) -> None:
    pollinations.script(reply)
    with pytest.raises(BookReaderError) as caught:
        pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_bad_response"
    assert reason in caught.value.details["reason"]
    assert len(pollinations.received) == 1  # bad content is not retried


def test_a_body_over_the_byte_limit_is_refused_without_retrying(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    big = png_bytes(600, 600, (1, 2, 3)) + b"\x00" * 300_000
    pollinations.script(Reply(200, big, {"Content-Type": "image/png"}))
    limits = ImageLimits(max_bytes=100_000)
    with pytest.raises(BookReaderError) as caught:
        pollinations_provider(pollinations, sleeps, limits=limits).generate(
            PROMPT, deadline=later()
        )
    assert caught.value.code == "provider_image_too_large"
    assert len(pollinations.received) == 1


def test_an_image_claiming_a_huge_canvas_is_refused(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(Reply(200, bomb_png(), {"Content-Type": "image/png"}))
    with pytest.raises(BookReaderError) as caught:
        pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_image_too_large"
    assert "pixels" in caught.value.details["reason"]


# --- OpenAI-compatible images API -------------------------------------------------------------


def openai_provider(
    server: OpenAIImagesServer, sleeps: Sleeps, key: str = "test-key"
) -> OpenAIImagesProvider:
    return OpenAIImagesProvider(client(sleeps), base_url=server.url, api_key=key, model="img-1")


def test_openai_posts_the_generation_request_with_the_bearer_key(
    openai_server: OpenAIImagesServer, sleeps: Sleeps
) -> None:
    image = openai_provider(openai_server, sleeps).generate(PROMPT, deadline=later())

    assert (image.provider, image.media_type, image.data) == ("openai", "image/png", png_bytes())
    [request] = openai_server.received
    assert (request.method, request.path) == ("POST", "/v1/images/generations")
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.json() == {
        "model": "img-1",
        "prompt": PROMPT.prompt,
        "size": "768x1024",
        "n": 1,
        "response_format": "b64_json",
    }


def test_openai_url_answer_is_fetched_without_the_key(sleeps: Sleeps) -> None:
    with OpenAIImagesServer(mode="url") as server:
        image = openai_provider(server, sleeps).generate(PROMPT, deadline=later())
        generate, fetch = server.received
    assert image.data == png_bytes()
    assert (fetch.method, fetch.path) == ("GET", "/files/image.png")
    assert "authorization" not in fetch.headers
    assert generate.path == "/v1/images/generations"


def test_openai_wrong_key_fails_once_with_the_servers_message(
    openai_server: OpenAIImagesServer, sleeps: Sleeps
) -> None:
    with pytest.raises(BookReaderError) as caught:
        openai_provider(openai_server, sleeps, key="wrong").generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_rejected"
    assert caught.value.details["http_status"] == 401
    assert "Incorrect API key" in caught.value.details["reason"]
    assert len(openai_server.received) == 1


@pytest.mark.parametrize(
    "reply",
    [
        json_reply({"data": []}),
        json_reply({"data": [{"b64_json": "!!not base64!!"}]}),
        json_reply({"data": [{"b64_json": base64.b64encode(b"<html>no</html>").decode()}]}),
        Reply(200, b"not json at all"),
    ],
    ids=["no-data", "bad-base64", "html-inside", "not-json"],
)
def test_openai_malformed_answers_are_bad_responses(
    openai_server: OpenAIImagesServer, sleeps: Sleeps, reply: Reply
) -> None:
    openai_server.script(reply)
    with pytest.raises(BookReaderError) as caught:
        openai_provider(openai_server, sleeps).generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_bad_response"


def test_openai_429_with_an_http_date_retry_after_is_honoured(
    openai_server: OpenAIImagesServer, sleeps: Sleeps
) -> None:
    when = "Wed, 21 Oct 2026 07:28:05 GMT"
    now = parsedate_to_datetime(when).timestamp() - 5
    openai_server.script(
        json_reply({"error": {"message": "rate limit"}}, 429, **{"Retry-After": when})
    )
    provider = OpenAIImagesProvider(
        client(sleeps, wall_clock=lambda: now), base_url=openai_server.url, api_key="test-key"
    )
    assert provider.generate(PROMPT, deadline=later()).provider == "openai"
    assert sleeps == [5.0]


# --- AUTOMATIC1111 -----------------------------------------------------------------------------


def test_automatic1111_posts_txt2img_and_decodes_the_first_image(
    a1111: Automatic1111Server, sleeps: Sleeps
) -> None:
    provider = Automatic1111Provider(
        client(sleeps), base_url=a1111.url, steps=20, sampler="DPM++ 2M"
    )
    image = provider.generate(PROMPT, deadline=later())

    assert (image.provider, image.seed, image.data) == ("automatic1111", 42, png_bytes())
    [request] = a1111.received
    assert (request.method, request.path) == ("POST", "/sdapi/v1/txt2img")
    assert request.json() == {
        "prompt": PROMPT.prompt,
        "negative_prompt": "text, watermark",
        "width": 768,
        "height": 1024,
        "seed": 42,
        "steps": 20,
        "sampler_name": "DPM++ 2M",
    }


def test_automatic1111_without_images_is_a_bad_response(
    a1111: Automatic1111Server, sleeps: Sleeps
) -> None:
    a1111.script(json_reply({"images": [], "info": ""}))
    with pytest.raises(BookReaderError) as caught:
        Automatic1111Provider(client(sleeps), base_url=a1111.url).generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_bad_response"


def test_automatic1111_500_then_success(a1111: Automatic1111Server, sleeps: Sleeps) -> None:
    a1111.script(json_reply({"error": "CUDA out of memory"}, 500))
    image = Automatic1111Provider(client(sleeps), base_url=a1111.url).generate(
        PROMPT, deadline=later()
    )
    assert image.provider == "automatic1111"
    assert sleeps == [0.5]


# --- the retry layer ---------------------------------------------------------------------------


class FakeClock:
    """A monotonic clock that only moves when the injected sleep is called."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_urllib3_retries_are_switched_off() -> None:
    session = new_session()
    for prefix in ("http://", "https://"):
        assert session.get_adapter(prefix).max_retries.total == 0


def test_backoff_doubles_up_to_the_cap_and_jitter_stays_below_the_full_delay() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0, jitter=0.5)
    assert [policy.backoff(n, 1.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert [policy.backoff(n, 0.0) for n in range(1, 4)] == [0.25, 0.5, 1.0]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = parsedate_to_datetime("Sun, 01 Mar 2026 12:00:00 GMT").timestamp()
    later_date = format_datetime(
        parsedate_to_datetime("Sun, 01 Mar 2026 12:00:30 GMT"), usegmt=True
    )
    assert parse_retry_after("7", now=now) == 7.0
    assert parse_retry_after(later_date, now=now) == 30.0
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None, now=now) is None


def test_connection_errors_are_retried_until_the_attempts_run_out(sleeps: Sleeps) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(BookReaderError) as caught:
        client(sleeps).request("GET", f"http://127.0.0.1:{port}/x", deadline=later(), max_bytes=100)
    assert caught.value.code == "provider_unavailable"
    assert caught.value.details["attempts"] == 3
    assert sleeps == [0.5, 1.0]


def test_no_attempt_starts_after_the_deadline(pollinations: PollinationsServer) -> None:
    clock = FakeClock()
    pollinations.script(*[Reply(500)] * 10)
    policy = RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=60.0)
    retrying = RetryingClient("test", policy, sleep=clock.sleep, clock=clock, rand=lambda: 1.0)
    with pytest.raises(BookReaderError) as caught:
        retrying.request(
            "GET", f"{pollinations.url}/prompt/x", deadline=clock.now + 3.5, max_bytes=100
        )
    # Attempts at t=0, 1 and 3; the next would wait 4 s, past the deadline, so it never starts.
    assert clock.sleeps == [1.0, 2.0]
    assert len(pollinations.received) == 3
    assert caught.value.code == "provider_unavailable"
    assert "deadline" in caught.value.details["gave_up"]


def test_a_retry_after_beyond_the_deadline_gives_up_at_once(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(Reply(429, b"", {"Retry-After": "3600"}))
    with pytest.raises(BookReaderError) as caught:
        pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=later(60))
    assert caught.value.code == "provider_rate_limited"
    assert sleeps == []


def test_a_passed_deadline_sends_nothing(pollinations: PollinationsServer, sleeps: Sleeps) -> None:
    with pytest.raises(BookReaderError) as caught:
        pollinations_provider(pollinations, sleeps).generate(PROMPT, deadline=time.monotonic() - 1)
    assert caught.value.code == "provider_timeout"
    assert pollinations.received == []


class RecordingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.timeouts: list[Any] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        self.timeouts.append(kwargs.get("timeout"))
        return super().request(method, url, *args, **kwargs)


def test_each_request_timeout_is_capped_by_the_time_left(pollinations: PollinationsServer) -> None:
    clock = FakeClock()
    session = RecordingSession()
    policy = RetryPolicy(connect_timeout=5.0, request_timeout=60.0)
    retrying = RetryingClient("test", policy, session=session, clock=clock, sleep=clock.sleep)
    retrying.request(
        "GET", f"{pollinations.url}/prompt/x", deadline=clock.now + 2.5, max_bytes=10**6
    )
    assert session.timeouts == [(2.5, 2.5)]


# --- the chain ---------------------------------------------------------------------------------


class Failing:
    def __init__(self, name: str) -> None:
        self.name = name
        self.calls = 0

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        self.calls += 1
        raise BookReaderError("provider_unavailable", f"{self.name} is down", 502)


def test_the_chain_falls_through_to_the_next_provider_when_configured() -> None:
    first = Failing("pollinations")
    image = ProviderChain([first, SketchProvider()], fall_through=True).generate(
        PROMPT, deadline=later()
    )
    assert first.calls == 1
    assert image.provider == "sketch"


def test_the_chain_stops_at_the_first_failure_when_not_configured_to_fall_through() -> None:
    first, second = Failing("openai"), Failing("automatic1111")
    with pytest.raises(BookReaderError) as caught:
        ProviderChain([first, second], fall_through=False).generate(PROMPT, deadline=later())
    assert caught.value.code == "provider_unavailable"
    assert (first.calls, second.calls) == (1, 0)


def test_a_chain_where_every_provider_fails_lists_each_failure() -> None:
    with pytest.raises(BookReaderError) as caught:
        ProviderChain([Failing("a"), Failing("b")], fall_through=True).generate(
            PROMPT, deadline=later()
        )
    assert caught.value.code == "providers_failed"
    assert [f["provider"] for f in caught.value.details["failures"]] == ["a", "b"]


def test_a_failing_http_provider_falls_through_to_sketch(
    pollinations: PollinationsServer, sleeps: Sleeps
) -> None:
    pollinations.script(Reply(200, b"<html>maintenance</html>"))
    config = ProviderConfig(
        chain=["pollinations", "sketch"], fall_through=True, pollinations_url=pollinations.url
    )
    chain = build_chain(config, sleep=sleeps)
    assert [p.name for p in chain.providers] == ["pollinations", "sketch"]
    assert chain.generate(PROMPT, deadline=later()).provider == "sketch"
    assert len(pollinations.received) == 1


# --- sketch ------------------------------------------------------------------------------------


def sketch(**fields: Any) -> Image.Image:
    return Image.open(io.BytesIO(render_sketch(ImagePrompt(**{"prompt": "a house", **fields}))))


def test_the_sketch_is_byte_identical_for_the_same_prompt() -> None:
    prompt = ImagePrompt(prompt="a red barn at noon", kind="location", seed=7)
    first = SketchProvider().generate(prompt, deadline=0)
    assert first.data == SketchProvider().generate(prompt.model_copy(), deadline=0).data
    assert first.data != render_sketch(prompt.model_copy(update={"seed": 8}))
    assert (first.provider, first.media_type, first.seed) == ("sketch", "image/png", 7)


def test_the_sketch_has_the_prompts_size_and_is_labelled_as_a_placeholder() -> None:
    image = sketch(width=512, height=640)
    assert image.size == (512, 640)
    assert image.text["Description"] == LABEL
    label_band = image.convert("L").crop((0, 640 - 64, 512, 640))
    assert label_band.getextrema() == (20, 255)  # white letters on the dark band


def test_night_is_dark_blue_and_noon_is_bright() -> None:
    night = sketch(attributes={"time": ["night"]}).convert("RGB").getpixel((5, 5))
    noon = sketch(prompt="a house at noon").convert("RGB").getpixel((5, 5))
    sunset = sketch(prompt="a house at sunset", kind="atmosphere").convert("RGB")
    assert isinstance(night, tuple) and isinstance(noon, tuple)
    assert night[2] > night[0] and sum(night) < 120
    assert sum(noon) > 3 * sum(night)
    horizon = sunset.getpixel((5, 800))
    assert isinstance(horizon, tuple) and horizon[0] > horizon[2]  # orange low, purple high


def test_each_description_kind_draws_a_different_sketch() -> None:
    kinds = ["location", "character", "atmosphere", "object", "action"]
    pictures = {render_sketch(ImagePrompt(prompt="a blue door", kind=kind)) for kind in kinds}
    assert len(pictures) == len(kinds)


def test_colour_words_tint_the_sketch() -> None:
    red = sketch(prompt="a red vase", kind="object").convert("RGB").getpixel((384, 520))
    green = sketch(prompt="a green vase", kind="object").convert("RGB").getpixel((384, 520))
    assert red != green
