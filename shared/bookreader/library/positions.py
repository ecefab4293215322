"""Where a reader is in a book (the chapter, the character offset in its plain text, the share
of the book read), which device put them there, and the rule that keeps a place made from an
older view of the book from silently replacing a newer one.

Every accepted save gives the book's position a new `version`. A client sends the version it last
saw as `based_on`; when another device has moved the position since, the save is refused with
409 `position_conflict` and both places, and the reader chooses. Each device's own last place is
kept too ("where was I on each device"), whether or not it became the book's position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bookreader import db
from bookreader.db.leases import lease_key
from bookreader.errors import BookReaderError
from bookreader.library import books
from bookreader.validation import invalid_fields

DEVICES_LISTED = 5  # "where was I on each device": the devices that saved most recently


class PositionUpdate(BaseModel):
    """The body of a save. Clients from before position sync send only chapter and offset: they
    count as one unnamed device that has seen nothing, which never conflicts with itself."""

    model_config = ConfigDict(extra="forbid")

    chapter: int = Field(ge=0, le=100_000)
    offset: int = Field(0, ge=0, le=100_000_000)
    percentage: float | None = Field(None, ge=0, le=100, description="Share of the book read, %")
    device_id: str = Field(
        "",
        max_length=64,
        pattern=r"^[A-Za-z0-9._:-]*$",
        description="The saving device's own id (kept by the client); '' for an unnamed device",
    )
    device_name: str | None = Field(
        None,
        min_length=1,
        max_length=80,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="A readable name for the device, e.g. 'Chromium on Linux'",
    )
    based_on: int | None = Field(
        None,
        ge=0,
        description="The `version` of the position this client last saw (none or 0: none seen)",
    )


class DevicePosition(BaseModel):
    device_id: str
    device_name: str | None
    chapter: int
    offset: int
    percentage: float | None
    updated_at: datetime
    current: bool = Field(description="This device's place is the book's position")


class ReadingPosition(BaseModel):
    book_id: str
    chapter: int
    offset: int
    percentage: float | None
    version: int = Field(description="Send it back as `based_on` with the next save")
    device_id: str
    device_name: str | None
    updated_at: datetime
    devices: list[DevicePosition] = Field(
        description=f"The last place of each device, most recent first (at most {DEVICES_LISTED})"
    )


@dataclass(frozen=True)
class HeldPosition:
    """What the server holds for a book: its version and the device that made it."""

    version: int
    device_id: str


def conflicts(
    held: HeldPosition | None, device_id: str, based_on: int, device_based_on: int | None
) -> bool:
    """Whether saving a place made on `device_id` from a view of version `based_on` would
    overwrite a position its maker has not seen. `device_based_on` is what the same device had
    seen when it made its last known place (None: never heard of it).

    - nothing held, or the client saw the held version: no conflict (going back on purpose
      included: the reader saw the later place and chose this one);
    - another device made the held position after the version the client saw: conflict;
    - the same device made it: only a place this device made from an even older view (a stale
      entry of its offline queue arriving late) conflicts; its own newer places do not.
    """
    if held is None or based_on == held.version:
        return False
    if held.device_id != device_id:
        return True
    return device_based_on is not None and based_on < device_based_on


def position_conflict(current: ReadingPosition, yours: PositionUpdate) -> BookReaderError:
    """409 with both places: the client asks the reader which one to keep."""
    return BookReaderError(
        "position_conflict",
        "Another device moved your place in this book since this device last saw it.",
        409,
        {
            "current": current.model_dump(mode="json"),
            "yours": yours.model_dump(mode="json"),
        },
    )


_POSITION_COLUMNS = (
    "book_id::text, chapter, char_offset AS offset, percentage, version, device_id, device_name,"
    " updated_at"
)


def _held(conn: db.Connection, user_id: str, book_id: str) -> dict[str, Any] | None:
    rows = conn.run(
        f"SELECT {_POSITION_COLUMNS} FROM reading_positions"
        " WHERE user_id = CAST(:u AS uuid) AND book_id = CAST(:b AS uuid)",
        u=user_id,
        b=book_id,
    )
    found = db.rows_as_dicts(conn, rows)
    return found[0] if found else None


def _devices(conn: db.Connection, user_id: str, book_id: str) -> list[dict[str, Any]]:
    rows = conn.run(
        "SELECT d.device_id, d.device_name, d.chapter, d.char_offset AS offset, d.percentage,"
        " d.updated_at, (p.device_id = d.device_id AND p.chapter = d.chapter"
        " AND p.char_offset = d.char_offset) AS current"
        " FROM reading_position_devices d JOIN reading_positions p"
        " ON p.user_id = d.user_id AND p.book_id = d.book_id"
        " WHERE d.user_id = CAST(:u AS uuid) AND d.book_id = CAST(:b AS uuid)"
        " ORDER BY d.updated_at DESC, d.device_id LIMIT :n",
        u=user_id,
        b=book_id,
        n=DEVICES_LISTED,
    )
    return db.rows_as_dicts(conn, rows)


def _read(conn: db.Connection, user_id: str, book_id: str) -> ReadingPosition | None:
    held = _held(conn, user_id, book_id)
    if held is None:
        return None
    return ReadingPosition.model_validate({**held, "devices": _devices(conn, user_id, book_id)})


def get_position(user_id: str, book_id: str) -> ReadingPosition | None:
    """The reader's saved position in their book (404 for anyone else's book)."""
    books.get_book(user_id, book_id)
    with db.get_pool().connection() as conn:
        return _read(conn, user_id, book_id)


def _check_place(user_id: str, book_id: str, update: PositionUpdate) -> None:
    """The chapter must exist in the parsed book and the offset lie within its text."""
    book = books.get_book(user_id, book_id)
    chapters = book.chapter_count or 0
    if chapters == 0:
        raise BookReaderError(
            "book_not_readable", f"The book is {book.state}; it has no chapters yet.", 409
        )
    if update.chapter >= chapters:
        raise invalid_fields(
            [("chapter", f"must be below {chapters}")],
            f"The book has chapters 0 to {chapters - 1}.",
        )
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT length(text) FROM chapters WHERE book_id = CAST(:b AS uuid) AND index = :c",
            b=book_id,
            c=update.chapter,
        )
    length = rows[0][0] if rows and rows[0][0] is not None else None
    if length is not None and update.offset > length:
        raise invalid_fields(
            [("offset", f"must be at most {length}")],
            f"Chapter {update.chapter} has {length} characters.",
        )


def _remember_device(
    conn: db.Connection, user_id: str, book_id: str, update: PositionUpdate, based_on: int
) -> None:
    """The device's own last place, unless it already told us of one made from a newer view."""
    conn.run(
        "INSERT INTO reading_position_devices (user_id, book_id, device_id, device_name, chapter,"
        " char_offset, percentage, based_on)"
        " VALUES (CAST(:u AS uuid), CAST(:b AS uuid), :d, :n, :c, :o, :p, :s)"
        " ON CONFLICT (user_id, book_id, device_id) DO UPDATE SET"
        " device_name = COALESCE(EXCLUDED.device_name, reading_position_devices.device_name),"
        " chapter = EXCLUDED.chapter, char_offset = EXCLUDED.char_offset,"
        " percentage = EXCLUDED.percentage, based_on = EXCLUDED.based_on, updated_at = now()"
        " WHERE reading_position_devices.based_on <= EXCLUDED.based_on",
        u=user_id,
        b=book_id,
        d=update.device_id,
        n=update.device_name,
        c=update.chapter,
        o=update.offset,
        p=update.percentage,
        s=based_on,
    )


def save_position(user_id: str, book_id: str, update: PositionUpdate) -> ReadingPosition:
    """Remember where the reader is, unless another device moved the place since this client
    last saw it: then 409 `position_conflict` with both places (the device's place is still
    kept in its own row, so nothing the reader did is lost)."""
    _check_place(user_id, book_id, update)
    based_on = update.based_on or 0
    with db.get_pool().transaction() as conn:
        # One save of a book's position at a time: the check and the write see the same row.
        conn.run("SELECT pg_advisory_xact_lock(:k)", k=lease_key(f"position:{user_id}:{book_id}"))
        held = _held(conn, user_id, book_id)
        rows = conn.run(
            "SELECT based_on FROM reading_position_devices WHERE user_id = CAST(:u AS uuid)"
            " AND book_id = CAST(:b AS uuid) AND device_id = :d",
            u=user_id,
            b=book_id,
            d=update.device_id,
        )
        device_based_on = rows[0][0] if rows else None
        stamp = HeldPosition(held["version"], held["device_id"]) if held else None
        refused = conflicts(stamp, update.device_id, based_on, device_based_on)
        _remember_device(conn, user_id, book_id, update, based_on)
        if not refused:
            conn.run(
                "INSERT INTO reading_positions (user_id, book_id, chapter, char_offset,"
                " percentage, version, device_id, device_name)"
                " VALUES (CAST(:u AS uuid), CAST(:b AS uuid), :c, :o, :p, 1, :d, :n)"
                " ON CONFLICT (user_id, book_id) DO UPDATE SET chapter = EXCLUDED.chapter,"
                " char_offset = EXCLUDED.char_offset, percentage = EXCLUDED.percentage,"
                " version = reading_positions.version + 1, device_id = EXCLUDED.device_id,"
                " device_name = EXCLUDED.device_name, updated_at = now()",
                u=user_id,
                b=book_id,
                c=update.chapter,
                o=update.offset,
                p=update.percentage,
                d=update.device_id,
                n=update.device_name,
            )
        position = _read(conn, user_id, book_id)
    if position is None:  # cannot happen: a position was held, or has just been written
        raise BookReaderError("position_not_found", "The position could not be read back.", 500)
    if refused:
        raise position_conflict(position, update)
    return position
