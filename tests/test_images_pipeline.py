"""The image pipeline over real PostgreSQL, Redis and the disk object store."""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

import bookreader.db
import bookreader.redis_conn
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.images import concurrency, quota, records
from bookreader.images.model import ImagePrompt
from bookreader.images.pipeline import (
    cache_keys,
    delete_image,
    generate_image,
    image_keys,
    request_image,
)
from bookreader.images.providers import ProviderChain, SketchProvider
from bookreader.images.providers.base import GeneratedImage
from bookreader.library import descriptions
from bookreader.nlp.model import Description, VisualSummary
from bookreader.storage import get_store
from tests.support.domain import domain_environment

BOOK_SHA = "ab" * 32


def png(width: int = 96, height: int = 64) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 40, 200)).save(out, "PNG")
    return out.getvalue()


class FakeProvider:
    """Stands in for pollinations: a fixed PNG, counted calls, optionally blocking or failing."""

    name = "pollinations"

    def __init__(self, *, gate: threading.Event | None = None, error: Exception | None = None):
        self.calls = 0
        self.inside = threading.Semaphore(0)
        self.gate = gate
        self.error = error
        self._lock = threading.Lock()

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        with self._lock:
            self.calls += 1
        self.inside.release()
        if self.gate is not None:
            assert self.gate.wait(30)
        if self.error is not None:
            raise self.error
        return GeneratedImage(png(), "image/png", self.name, prompt.seed, 96, 64)


@pytest.fixture
def env(services, database_url, redis_prefix, tmp_path, monkeypatch):
    yield from domain_environment(
        monkeypatch,
        database_url,
        services.redis_url,
        redis_prefix,
        tmp_path,
        IMAGE_SLOT_WAIT_SECONDS="0",
    )


def set_image_env(monkeypatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def add_user(role: str = "user") -> str:
    with bookreader.db.get_pool().transaction() as conn:
        rows = conn.run(
            "INSERT INTO users (email, password_hash, role) VALUES (:e, 'x', :r)"
            " RETURNING id::text",
            e=f"{uuid.uuid4().hex[:8]}@example.org",
            r=role,
        )
    return rows[0][0]


def add_book(user_id: str, sha256: str = BOOK_SHA, descriptions: int = 3) -> list[str]:
    """A parsed, extracted Russian classic with a cast; its description ids."""
    subjects = [["старый дом"], ["зимний лес"], ["широкая река"], ["каменный мост"]]
    with bookreader.db.get_pool().transaction() as conn:
        book_id = conn.run(
            "INSERT INTO books (user_id, state, filename, object_key, sha256, format, title,"
            " authors, language, metadata, chapter_count) VALUES (CAST(:u AS uuid), 'ready',"
            " 'book.fb2', 'uploads/book.fb2', :sha, 'fb2', 'Капитанская дочка',"
            " CAST(:authors AS jsonb), 'ru', CAST(:meta AS jsonb), 1) RETURNING id::text",
            u=user_id,
            sha=sha256,
            authors=json.dumps(["Александр Пушкин"]),
            meta=json.dumps({"title": "Капитанская дочка", "subjects": ["prose_rus_classic"]}),
        )[0][0]
        text = "Старый дом стоял на краю зимнего леса. Пётр Гринёв смотрел на реку."
        conn.run(
            "INSERT INTO chapters (book_id, index, title, html, text, paragraphs, word_count)"
            " VALUES (CAST(:b AS uuid), 0, 'I', '<p></p>', :t, '[[0, 70]]', 12)",
            b=book_id,
            t=text,
        )
        conn.run(
            "INSERT INTO cast_members (book_id, position, kind, name, aliases, first_chapter,"
            " first_offset, mentions, appearance) VALUES (CAST(:b AS uuid), 0, 'character',"
            " 'Пётр Гринёв', '[\"Гринёв\"]', 0, 40, 12, '{}')",
            b=book_id,
        )
        ids = []
        for index in range(descriptions):
            summary = {
                "subjects": subjects[index % len(subjects)],
                "attributes": {"time": ["ночь"]},
                "characters": [],
            }
            ids.append(
                conn.run(
                    "INSERT INTO descriptions (book_id, chapter, start_offset, end_offset, type,"
                    " confidence, priority, text, summary) VALUES (CAST(:b AS uuid), 0, :s, :e,"
                    " 'location', 0.9, 0.8, :t, CAST(:summary AS jsonb)) RETURNING id::text",
                    b=book_id,
                    s=index,
                    e=index + 30,
                    t=text[index : index + 30],
                    summary=json.dumps(summary, ensure_ascii=False),
                )[0][0]
            )
    return ids


def stored(key: str) -> bytes:
    return get_store().get(get_settings().books_bucket, key)


def test_requested_image_is_drawn_stored_and_recorded(env) -> None:
    user = add_user()
    description = add_book(user)[0]
    record, created = request_image(user, description, provider="sketch")
    assert created and record.state == "queued" and record.generation == 0
    assert record.style == "oil painting"  # the genre's default

    ready = generate_image(record.id, SketchProvider())

    assert ready.state == "ready" and ready.made_by == "sketch"
    assert ready.width and ready.height and ready.bytes
    assert ready.prompt is not None and ready.seed == ready.prompt.seed
    assert "oil painting" in ready.prompt.prompt.lower()
    assert (ready.object_key, ready.thumbnail_key) == image_keys(ready)
    assert ready.object_key == f"books/{user}/{ready.book_id}/illustrations/{ready.id}.webp"
    full = Image.open(io.BytesIO(stored(ready.object_key)))
    assert full.format == "WEBP" and full.size == (ready.width, ready.height)
    assert len(stored(ready.object_key)) == ready.bytes
    assert max(Image.open(io.BytesIO(stored(ready.thumbnail_key))).size) <= 256


def test_ready_image_is_not_generated_again(env) -> None:
    user = add_user()
    record, _ = request_image(user, add_book(user)[0])
    provider = FakeProvider()
    first = generate_image(record.id, provider)
    again = generate_image(record.id, provider)
    assert provider.calls == 1 and again == first


def test_concurrent_duplicate_requests_make_one_record_and_count_once(env) -> None:
    user = add_user()
    description = add_book(user)[0]
    start = threading.Barrier(10)

    def ask(_: int):
        start.wait()
        return request_image(user, description, "ink sketch")

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(ask, range(10)))

    assert len({record.id for record, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert quota.used_today(user) == 1
    with bookreader.db.get_pool().connection() as conn:
        assert conn.run("SELECT count(*) FROM images")[0][0] == 1


def test_quota_exceeded_is_429_with_retry_after_until_midnight(env, monkeypatch) -> None:
    set_image_env(monkeypatch, IMAGE_DAILY_QUOTA="2")
    user = add_user()
    first, second, third = add_book(user)
    request_image(user, first)
    request_image(user, second)

    with pytest.raises(BookReaderError) as refused:
        request_image(user, third)

    assert refused.value.status == 429 and refused.value.code == "image_quota_exceeded"
    assert "midnight" in refused.value.message
    assert 1 <= int(refused.value.headers["Retry-After"]) <= 86400
    # Asking again for an image that exists is free, and the refusal created nothing.
    assert request_image(user, first)[1] is False
    assert quota.used_today(user) == 2
    with bookreader.db.get_pool().connection() as conn:
        assert conn.run("SELECT count(*) FROM images")[0][0] == 2


def test_admin_override_raises_the_limit(env, monkeypatch) -> None:
    set_image_env(monkeypatch, IMAGE_DAILY_QUOTA="1")
    user, admin = add_user(), add_user("admin")
    first, second, third = add_book(user)
    request_image(user, first)
    with pytest.raises(BookReaderError, match="today's 1 illustrations"):
        request_image(user, second)
    with pytest.raises(BookReaderError) as forbidden:
        quota.set_daily_limit(user, user, 100)
    assert forbidden.value.status == 403

    quota.set_daily_limit(admin, user, 3)

    assert request_image(user, second)[1] and request_image(user, third)[1]
    quota.set_daily_limit(admin, user, None)
    with pytest.raises(BookReaderError, match="today's 1 illustrations"):
        request_image(user, second, "anime")


def test_another_account_does_not_get_anothers_picture_by_default(env) -> None:
    alice, bob = add_user(), add_user()
    alice_description = add_book(alice)[0]
    bob_description = add_book(bob)[0]  # an upload of the same file: the same sha256
    provider = FakeProvider()

    alices = generate_image(request_image(alice, alice_description)[0].id, provider)
    bob_request = request_image(bob, bob_description)[0]
    assert bob_request.state == "queued", "nothing tells Bob that Alice drew this passage"
    bobs = generate_image(bob_request.id, provider)

    assert provider.calls == 2, "Bob's picture is drawn for Bob"
    assert bobs.cache_key != alices.cache_key and bobs.prompt == alices.prompt
    with bookreader.db.get_pool().connection() as conn:
        assert conn.run("SELECT count(*) FROM image_cache")[0][0] == 2


def test_one_account_reuses_its_own_picture(env) -> None:
    alice = add_user()
    first, *_ = add_book(alice)
    provider = FakeProvider()
    drawn = generate_image(request_image(alice, first)[0].id, provider)
    delete_image(alice, drawn.id)  # asked again later: the cached picture comes back at once
    again = generate_image(request_image(alice, first)[0].id, provider)
    assert provider.calls == 1 and again.cache_key == drawn.cache_key


def test_same_book_file_shares_the_picture_across_users_when_the_admin_enables_it(
    env, monkeypatch
) -> None:
    set_image_env(monkeypatch, IMAGE_CACHE_SHARED="true")
    alice, bob = add_user(), add_user()
    alice_description = add_book(alice)[0]
    bob_description = add_book(bob)[0]  # an upload of the same file: the same sha256
    provider = FakeProvider()

    alices = generate_image(request_image(alice, alice_description)[0].id, provider)
    bobs = generate_image(request_image(bob, bob_description)[0].id, provider)

    assert provider.calls == 1
    assert bobs.state == "ready" and bobs.id != alices.id and bobs.user_id == bob
    assert bobs.cache_key == alices.cache_key and bobs.prompt == alices.prompt
    assert (bobs.object_key, bobs.thumbnail_key) == cache_keys(bobs.cache_key)
    assert (bobs.width, bobs.height, bobs.bytes, bobs.made_by) == (
        alices.width,
        alices.height,
        alices.bytes,
        "pollinations",
    )
    assert stored(bobs.object_key) == stored(alices.object_key)


def test_different_book_file_is_drawn_anew(env) -> None:
    alice, bob = add_user(), add_user()
    provider = FakeProvider()
    generate_image(request_image(alice, add_book(alice)[0])[0].id, provider)
    generate_image(request_image(bob, add_book(bob, sha256="cd" * 32)[0])[0].id, provider)
    assert provider.calls == 2


def test_third_concurrent_generate_gets_provider_busy(env, monkeypatch) -> None:
    set_image_env(monkeypatch, IMAGE_CONCURRENCY_BY_PROVIDER='{"pollinations": 2}')
    user = add_user()
    ids = [request_image(user, d)[0].id for d in add_book(user)]
    gate = threading.Event()
    provider = FakeProvider(gate=gate)
    with ThreadPoolExecutor(2) as pool:
        running = [pool.submit(generate_image, image_id, provider) for image_id in ids[:2]]
        for _ in range(2):
            assert provider.inside.acquire(timeout=30)
        try:
            with pytest.raises(BookReaderError) as busy:
                generate_image(ids[2], provider)
        finally:
            gate.set()
        done = [future.result(timeout=30) for future in running]

    assert busy.value.status == 503 and busy.value.code == "provider_busy"
    assert busy.value.headers["Retry-After"]
    waiting = records.get_image(ids[2])
    assert waiting.state == "queued" and waiting.error_code == "provider_busy"
    assert [record.state for record in done] == ["ready", "ready"]
    assert provider.calls == 2
    assert bookreader.redis_conn.redis_client().zcard(concurrency.slots_key("pollinations")) == 0
    # Slots are free again: the retry draws it.
    assert generate_image(ids[2], provider).state == "ready"


def test_generate_waits_for_a_slot_within_the_wait(env, monkeypatch) -> None:
    set_image_env(
        monkeypatch,
        IMAGE_CONCURRENCY_BY_PROVIDER='{"pollinations": 1}',
        IMAGE_SLOT_WAIT_SECONDS="30",
    )
    user = add_user()
    first, second = (request_image(user, d)[0].id for d in add_book(user, descriptions=2))
    gate = threading.Event()
    provider = FakeProvider(gate=gate)
    with ThreadPoolExecutor(2) as pool:
        holder = pool.submit(generate_image, first, provider)
        assert provider.inside.acquire(timeout=30)
        waiter = pool.submit(generate_image, second, provider)
        gate.set()
        assert holder.result(timeout=30).state == "ready"
        assert waiter.result(timeout=30).state == "ready"
    assert provider.calls == 2


def test_crashed_holders_slot_expires_after_its_lease(env) -> None:
    crashed = concurrency.try_acquire("pollinations", 1, lease_s=0.3)
    assert crashed is not None
    assert concurrency.try_acquire("pollinations", 1, lease_s=60) is None
    give_up = time.monotonic() + 30
    while (taken := concurrency.try_acquire("pollinations", 1, lease_s=60)) is None:
        assert time.monotonic() < give_up, "the crashed holder's slot never expired"
        time.sleep(0.05)
    concurrency.release("pollinations", taken)


def test_failing_provider_marks_the_image_failed_with_its_code(env) -> None:
    user = add_user()
    record, _ = request_image(user, add_book(user)[0])
    error = BookReaderError("provider_bad_response", "pollinations returned HTML", 502)
    failed = generate_image(record.id, FakeProvider(error=error))

    assert failed.state == "failed"
    assert (failed.error_code, failed.error_message) == (
        "provider_bad_response",
        "pollinations returned HTML",
    )
    assert failed.object_key is None
    assert bookreader.redis_conn.redis_client().zcard(concurrency.slots_key("pollinations")) == 0


def test_unexpected_error_fails_without_a_traceback(env) -> None:
    user = add_user()
    record, _ = request_image(user, add_book(user)[0])
    with pytest.raises(RuntimeError):
        generate_image(record.id, FakeProvider(error=RuntimeError("boom\nTraceback")))
    failed = records.get_image(record.id)
    assert failed.state == "failed" and failed.error_code == "generation_failed"
    assert "boom" not in (failed.error_message or "")


def test_chain_falls_through_to_sketch_and_records_who_drew_it(env) -> None:
    user = add_user()
    record, _ = request_image(user, add_book(user)[0])
    broken = FakeProvider(error=BookReaderError("provider_timeout", "too slow", 504))
    ready = generate_image(record.id, ProviderChain([broken, SketchProvider()], fall_through=True))
    assert ready.provider == "pollinations" and ready.made_by == "sketch"
    with bookreader.db.get_pool().connection() as conn:
        # A fallback's picture is not cached as the asked provider's.
        assert conn.run("SELECT count(*) FROM image_cache")[0][0] == 0


def test_regenerate_creates_the_next_generation(env) -> None:
    user = add_user()
    description = add_book(user)[0]
    original, _ = request_image(user, description, "anime")

    again, created = request_image(user, description, regenerate_of=original.id)
    third, _ = request_image(user, description, regenerate_of=original.id)

    assert created and again.id != original.id
    assert (again.generation, again.style, again.provider) == (1, "anime", original.provider)
    assert third.generation == 2
    assert request_image(user, description, "anime") == (original, False)
    assert quota.used_today(user) == 3


def test_someone_elses_description_or_image_is_not_found(env) -> None:
    owner, stranger = add_user(), add_user()
    description = add_book(owner)[0]
    record, _ = request_image(owner, description)
    for asked in (description, str(uuid.uuid4()), "not-a-uuid"):
        with pytest.raises(BookReaderError) as missing:
            request_image(stranger, asked)
        assert (missing.value.status, missing.value.code) == (404, "description_not_found")
    with pytest.raises(BookReaderError) as missing:
        records.get_image(record.id, stranger)
    assert missing.value.code == "image_not_found"
    own = add_book(stranger, sha256="ef" * 32)[0]
    with pytest.raises(BookReaderError, match="No such image"):
        request_image(stranger, own, regenerate_of=record.id)


def test_unknown_style_is_422(env) -> None:
    user = add_user()
    with pytest.raises(BookReaderError) as unknown:
        request_image(user, add_book(user)[0], "crayon")
    assert (unknown.value.status, unknown.value.code) == (422, "style_unknown")


def test_a_rerun_keeps_pictures_of_descriptions_found_again_and_frees_the_rest(env) -> None:
    user = add_user()
    kept_id, dropped_id, _ = add_book(user)
    kept = generate_image(request_image(user, kept_id, provider="sketch")[0].id, SketchProvider())
    dropped = generate_image(
        request_image(user, dropped_id, provider="sketch")[0].id, SketchProvider()
    )
    with bookreader.db.get_pool().connection() as conn:
        text, book_id = conn.run(
            "SELECT c.text, c.book_id::text FROM chapters c JOIN descriptions d"
            " ON d.book_id = c.book_id WHERE d.id = CAST(:d AS uuid)",
            d=kept_id,
        )[0]
    # The re-run finds the first description again (same span, new score) and not the second.
    again = Description(
        chapter=0, start=0, end=30, type="location", confidence=0.95, priority=0.9,
        summary=VisualSummary(subjects=["старый дом"]),
    )  # fmt: skip

    orphaned = descriptions.replace_chapter(book_id, 0, text, [again])

    assert orphaned == list(image_keys(dropped))
    assert records.get_image(kept.id).state == "ready"
    with pytest.raises(BookReaderError):
        records.get_image(dropped.id)
    with bookreader.db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT id::text, confidence FROM descriptions WHERE book_id = CAST(:b AS uuid)",
            b=book_id,
        )
    assert [(row[0], round(row[1], 2)) for row in rows] == [(kept_id, 0.95)]
