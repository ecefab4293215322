"""What an administrator watches: users, books by state, today's images, dead letters.

Read-only counts over the tables and the event bus; the dead letters are the local bus's
streams, the ones `make dlq` lists.
"""

from __future__ import annotations

from datetime import UTC, datetime

import redis

from bookreader import bus, db, redis_conn
from bookreader.api.schemas import AdminOverview, DeadLetterCount, ImageCount, UserCounts
from bookreader.library.lifecycle import BookState


def admin_overview(*, now: datetime | None = None) -> AdminOverview:
    moment = now or datetime.now(UTC)
    midnight = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with db.get_pool().connection() as conn:
        total, admins, disabled = conn.run(
            "SELECT count(*), count(*) FILTER (WHERE role = 'admin'),"
            " count(*) FILTER (WHERE disabled) FROM users"
        )[0]
        # Every state appears, zero included, so a dashboard never has to guess.
        books_by_state = {str(state): 0 for state in BookState}
        for state, count in conn.run("SELECT state, count(*) FROM books GROUP BY state"):
            books_by_state[state] = int(count)
        images = conn.run(
            "SELECT state, provider, count(*) FROM images WHERE created_at >= :midnight"
            " GROUP BY state, provider ORDER BY state, provider",
            midnight=midnight,
        )
    return AdminOverview(
        users=UserCounts(total=total, admins=admins, disabled=disabled),
        books_by_state=books_by_state,
        images_today=[
            ImageCount(state=state, provider=provider, count=count)
            for state, provider, count in images
        ],
        dead_letters=dead_letter_counts(),
        generated_at=moment,
    )


def dead_letter_counts() -> list[DeadLetterCount] | None:
    """Dead letters waiting, per function; None when the bus cannot be read (the page says so)."""
    prefix = bus.dead_letter_stream("")
    try:
        client = redis_conn.redis_client()
        streams = sorted(client.scan_iter(match=bus.dead_letter_stream("*"), _type="stream"))
        counts = [(stream.removeprefix(prefix), int(client.xlen(stream))) for stream in streams]
    except redis.RedisError:
        return None
    return [DeadLetterCount(function=name, count=count) for name, count in counts if count]
