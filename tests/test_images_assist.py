"""The language-model assist against a fake chat-completions server over real HTTP, inside the
real generate pipeline (PostgreSQL, Redis, the disk store): used when it answers well, the
offline prompt whenever it does not — and the picture is drawn either way."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from bookreader.config import get_settings
from bookreader.images import quota
from bookreader.images.assist import AssistRequest, assist_config, assist_prompt
from bookreader.images.assist import budget as assist_budget
from bookreader.images.assist.answer import MAX_PROMPT_CHARS
from bookreader.images.auto import illustrate_ahead
from bookreader.images.model import BookContext, ImagePrompt
from bookreader.images.pipeline import generate_image, request_image
from bookreader.images.preferences import IllustrationPreferences
from bookreader.images.providers import SketchProvider
from bookreader.images.records import ImageRecord
from bookreader.nlp.model import CastMember
from tests.support.domain import domain_environment
from tests.support.fake_image_servers import Reply, json_reply
from tests.support.fake_llm_server import GOOD_ANSWER, ChatCompletionsServer
from tests.test_images_pipeline import add_book, add_user


@pytest.fixture
def llm() -> Iterator[ChatCompletionsServer]:
    with ChatCompletionsServer() as server:
        yield server


def assist_env(llm_url: str, **extra: str) -> dict[str, str]:
    return {
        "PROMPT_ASSIST_URL": llm_url,
        "PROMPT_ASSIST_MODEL": "test-model",
        "PROMPT_ASSIST_API_KEY": "assist-key",
        "PROMPT_ASSIST_TIMEOUT_SECONDS": "2",
        "IMAGE_SLOT_WAIT_SECONDS": "0",
        "IMAGE_PROVIDERS": '["sketch"]',
        **extra,
    }


@pytest.fixture
def env(services, database_url, redis_prefix, tmp_path, monkeypatch, llm):
    yield from domain_environment(
        monkeypatch, database_url, services.redis_url, redis_prefix, tmp_path, **assist_env(llm.url)
    )


def set_env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def draw(user: str, description: str, **options: Any) -> ImageRecord:
    record, _ = request_image(user, description, provider="sketch", **options)
    return generate_image(record.id, SketchProvider())


def offline_prompt_of(user: str, description: str) -> ImagePrompt:
    """The prompt the pipeline builds with the assist off, for comparison."""
    settings = get_settings().model_copy(update={"prompt_assist_url": ""})
    record, _ = request_image(user, description, provider="sketch", style="engraving")
    return generate_image(record.id, SketchProvider(), settings=settings).prompt  # type: ignore[return-value]


def test_a_good_answer_becomes_the_prompt_and_the_record_says_so(env, llm) -> None:
    user = add_user()
    description = add_book(user)[0]

    ready = draw(user, description)

    assert ready.state == "ready"
    assert ready.prompt is not None and ready.prompt.source == "assist"
    assert "old wooden manor house at the edge of a snowy winter forest" in ready.prompt.prompt
    assert ready.prompt.prompt.startswith("Oil painting: ")  # the style still frames it
    assert ready.prompt.kind == "location"
    (call,) = llm.completions()
    body = call.json()
    assert body["model"] == "test-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    told = json.loads(body["messages"][1]["content"])
    assert told["passage"].startswith("Старый дом")
    assert told["book"]["authors"] == ["Александр Пушкин"]


def test_a_server_with_json_mode_only_is_asked_again_in_json_mode(
    services, database_url, redis_prefix, tmp_path, monkeypatch
) -> None:
    with ChatCompletionsServer(json_object_only=True) as server:
        for _ in domain_environment(
            monkeypatch, database_url, services.redis_url, redis_prefix, tmp_path,
            **assist_env(server.url),
        ):  # fmt: skip
            user = add_user()
            ready = draw(user, add_book(user)[0])
            assert ready.prompt is not None and ready.prompt.source == "assist"
            kinds = [c.json()["response_format"]["type"] for c in server.completions()]
            assert kinds == ["json_schema", "json_object"]


@pytest.mark.parametrize(
    "answer",
    [
        "{not json at all",
        {**GOOD_ANSWER, "pictureable": "maybe"},
        {key: value for key, value in GOOD_ANSWER.items() if key != "subject"},
        {**GOOD_ANSWER, "type": "scenery"},
        {**GOOD_ANSWER, "prompt": "a house"},  # too short to draw from
        {**GOOD_ANSWER, "prompt": "x " * MAX_PROMPT_CHARS},
        {**GOOD_ANSWER, "prompt": GOOD_ANSWER["prompt"] + ", in the style of Greg Rutkowski"},
        {**GOOD_ANSWER, "prompt": GOOD_ANSWER["prompt"] + ", by simon stålenhag"},
        {**GOOD_ANSWER, "prompt": "Старый дом на краю зимнего леса, сумерки, река подо льдом"},
    ],
    ids=[
        "malformed-json",
        "wrong-field-type",
        "missing-field",
        "unknown-type",
        "too-short",
        "too-long",
        "living-artist",
        "living-artist-accent-folded",
        "not-english",
    ],
)
def test_an_unusable_answer_falls_back_to_the_offline_prompt(env, llm, answer) -> None:
    llm.answer = answer
    user = add_user()
    description = add_book(user)[0]

    ready = draw(user, description, style="engraving")

    assert ready.state == "ready" and ready.made_by == "sketch"
    assert ready.prompt is not None and ready.prompt.source == "offline"
    assert "Rutkowski" not in ready.prompt.prompt and "manor" not in ready.prompt.prompt
    assert len(llm.completions()) == 1
    # Exactly what the pipeline draws with the assist off.
    offline = offline_prompt_of(user, add_book(user, sha256="cd" * 32)[0])
    assert ready.prompt.prompt.split(",")[0] == offline.prompt.split(",")[0]


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, json.dumps({"choices": []}).encode(), {"Content-Type": "application/json"}),
        Reply(200, b"<html>proxy error</html>", {"Content-Type": "text/html"}),
        json_reply({"error": {"message": "Rate limit reached"}}, 429, **{"Retry-After": "20"}),
        json_reply({"error": {"message": "model crashed"}}, 500),
        json_reply({"error": {"message": "Incorrect API key provided"}}, 401),
        Reply(200, b"{}", {"Content-Type": "application/json"}, delay=4.0),  # past the 2 s limit
    ],
    ids=["no-choices", "not-json", "429-retry-after", "500", "401", "timeout"],
)
def test_a_failing_server_falls_back_and_the_picture_is_still_made(env, llm, reply) -> None:
    llm.script(reply)
    user = add_user()

    ready = draw(user, add_book(user)[0])

    assert ready.state == "ready" and ready.bytes
    assert ready.prompt is not None and ready.prompt.source == "offline"
    assert len(llm.completions()) == 1  # one attempt, no waiting out a Retry-After


def test_an_unreachable_server_falls_back(
    services, database_url, redis_prefix, tmp_path, monkeypatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    for _ in domain_environment(
        monkeypatch, database_url, services.redis_url, redis_prefix, tmp_path,
        **assist_env(closed),
    ):  # fmt: skip
        user = add_user()
        ready = draw(user, add_book(user)[0])
        assert ready.state == "ready"
        assert ready.prompt is not None and ready.prompt.source == "offline"


def test_the_same_passage_cast_and_model_are_asked_once(env, llm, monkeypatch) -> None:
    user = add_user()
    description = add_book(user)[0]
    first = draw(user, description)

    again = draw(user, description, regenerate_of=first.id)

    assert again.generation == 1
    assert again.prompt is not None and again.prompt.source == "assist"
    assert again.prompt.prompt == first.prompt.prompt  # type: ignore[union-attr]
    assert len(llm.completions()) == 1
    # Another model is another answer.
    set_env(monkeypatch, PROMPT_ASSIST_MODEL="other-model")
    draw(user, description, regenerate_of=again.id)
    assert [c.json()["model"] for c in llm.completions()] == ["test-model", "other-model"]


def test_the_daily_budget_stops_calls_but_not_pictures(env, llm, monkeypatch) -> None:
    set_env(monkeypatch, PROMPT_ASSIST_DAILY_BUDGET="2")
    user, other = add_user(), add_user()
    descriptions = add_book(user, descriptions=3)

    sources = [draw(user, d).prompt.source for d in descriptions]  # type: ignore[union-attr]

    assert sources == ["assist", "assist", "offline"]
    assert len(llm.completions()) == 2
    assert assist_budget.used_today(user) == 2
    # The budget is per user: another reader still gets the assist.
    theirs = draw(other, add_book(other, sha256="ef" * 32)[0])
    assert theirs.prompt is not None and theirs.prompt.source == "assist"


def test_the_rate_limit_across_users_falls_back_without_waiting(env, llm, monkeypatch) -> None:
    set_env(monkeypatch, PROMPT_ASSIST_RATE_PER_MINUTE="1")
    user = add_user()
    first, second = add_book(user, descriptions=2)

    assert draw(user, first).prompt.source == "assist"  # type: ignore[union-attr]
    assert draw(user, second).prompt.source == "offline"  # type: ignore[union-attr]
    assert len(llm.completions()) == 1
    assert assist_budget.used_today(user) == 1  # the refused call is not counted


def test_the_assist_is_off_unless_configured(
    services, database_url, redis_prefix, tmp_path, monkeypatch, llm
) -> None:
    for _ in domain_environment(
        monkeypatch, database_url, services.redis_url, redis_prefix, tmp_path
    ):
        user = add_user()
        ready = draw(user, add_book(user)[0])
        assert ready.prompt is not None and ready.prompt.source == "offline"
    assert llm.received == []


def test_automatic_mode_skips_what_the_assist_cannot_picture(env, llm) -> None:
    llm.answer = {**GOOD_ANSWER, "pictureable": False}
    user = add_user()
    descriptions = add_book(user, descriptions=2)
    book_id = _book_of(descriptions[0])
    prefs = IllustrationPreferences(auto_illustrate=True, chapters_ahead=0, per_chapter=1)

    (queued,) = illustrate_ahead(user, book_id, 0, prefs)
    assert quota.used_today(user) == 1
    skipped = generate_image(queued.id, SketchProvider())

    assert skipped.state == "failed" and skipped.error_code == "not_pictureable"
    assert skipped.object_key is None
    assert quota.used_today(user) == 0  # automatic mode spent nothing on it
    # Asked for explicitly (regenerate), the same passage is drawn.
    asked = draw(user, queued.description_id, regenerate_of=queued.id)
    assert asked.state == "ready" and asked.prompt.source == "assist"  # type: ignore[union-attr]
    # A reader's own request for a passage automatic mode never took up is drawn too.
    other = next(d for d in descriptions if d != queued.description_id)
    assert draw(user, other).state == "ready"


def test_characters_are_found_in_russian_cases_and_sent_with_their_looks() -> None:
    cast = [
        CastMember(
            kind="character",
            name="Пётр Гринёв",
            aliases=["Гринёв", "Гринёва"],
            first_chapter=0,
            first_offset=0,
            mentions=12,
            appearance={"clothes": ["шинель"]},
        ),
        CastMember(kind="character", name="Савельич", first_chapter=0, first_offset=5, mentions=9),
        CastMember(
            kind="place", name="Белогорская крепость", first_chapter=1, first_offset=0, mentions=3
        ),
    ]
    request = AssistRequest.build(
        "Мы увидели Гринёвым оставленный дом у реки.",
        language="ru",
        kind="location",
        style="engraving",
        cast=cast,
        book=BookContext(title="Капитанская дочка", sha256="ab" * 32),
    )
    assert [c.name for c in request.characters] == ["Пётр Гринёв"]
    assert request.characters[0].appearance == {"clothes": ["шинель"]}
    assert request.book.sha256 == ""  # the file's hash is no part of what the model is told


def test_without_configuration_the_offline_prompt_is_returned_untouched() -> None:
    offline = ImagePrompt(prompt="Antique engraving of a manor", style="engraving")
    request = AssistRequest(passage="Дом.", language="ru", kind="location", style="engraving")
    config = assist_config(get_settings().model_copy(update={"prompt_assist_url": ""}))

    outcome = assist_prompt(offline, request, user_id="u", config=config)

    assert outcome.prompt == offline and outcome.fallback == "off" and outcome.pictureable


def _book_of(description_id: str) -> str:
    import bookreader.db

    with bookreader.db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT book_id::text FROM descriptions WHERE id = CAST(:d AS uuid)", d=description_id
        )
    return str(rows[0][0])


def test_a_base_url_given_with_v1_is_not_given_a_second_one(env, llm, monkeypatch) -> None:
    set_env(monkeypatch, PROMPT_ASSIST_URL=f"{llm.url}/v1/")
    user = add_user()

    ready = draw(user, add_book(user)[0])

    assert ready.prompt is not None and ready.prompt.source == "assist"
    assert [r.path for r in llm.received] == ["/v1/chat/completions"]


def test_the_assists_reading_of_the_type_is_the_pictures_kind(env, llm) -> None:
    llm.answer = {**GOOD_ANSWER, "type": "object", "subject": "a stuffed owl on a mantelpiece"}
    user = add_user()

    ready = draw(user, add_book(user)[0])  # the extractor said location

    assert ready.prompt is not None and ready.prompt.kind == "object"
