"""KOReader's progress and the reader's positions, one place in a book whichever device made it.

A push is kept as KOReader sent it (any document, known or not, as the reference server does)
and, when the document is one of the reader's books, becomes that device's place through the
same save as any device (`library.positions`): device "KOReader on <model>" (read in the web
reader's question as "… (KOReader on Kobo_io, 10 minutes ago)", like "Chrome on Android"), id
`koreader:<KOReader's device id>`. KOReader has no way to ask the reader about a conflict, so
its push always becomes the book's position (it is made from the latest version); the web
reader, whose next save was made from an older one, then asks "Continue at …?".

A pull answers the newest place of any device: KOReader's own as it sent it, or another
device's translated (its XPointer when the document is the very file we keep and the book's
chapters know their sources, and always its percentage).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from bookreader import db
from bookreader.auth.app_passwords import Device
from bookreader.errors import BookReaderError
from bookreader.kosync import xpointer
from bookreader.kosync.protocol import Progress, ProgressSaved, ProgressUpdate
from bookreader.library import positions
from bookreader.library.documents import DocumentMatch, book_for_document, chapter_layouts
from bookreader.library.positions import PositionUpdate, ReadingPosition

DEVICE_PREFIX = "koreader:"
WEB_DEVICE = "BookReader AI"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,55}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SAVE_ATTEMPTS = 3


@dataclass(frozen=True)
class _Pushed:
    progress: str
    percentage: float
    device: str
    device_id: str
    updated_at: datetime


def device_key(device_id: str, device: str) -> str:
    """Our device id for a KOReader device (within the positions' id alphabet and length)."""
    raw = device_id or device
    if _SAFE_ID.match(raw):
        return DEVICE_PREFIX + raw
    return DEVICE_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def device_name(update: ProgressUpdate) -> str:
    return _CONTROL.sub("", f"KOReader on {update.device}")[:80]


def push(device: Device, update: ProgressUpdate) -> ProgressSaved:
    """Keep KOReader's progress and move the reader's place in the book it names."""
    match = book_for_document(device.user_id, update.document)
    with db.get_pool().transaction() as conn:
        rows = conn.run(
            "INSERT INTO kosync_progress (user_id, document, progress, percentage, device,"
            " device_id) VALUES (CAST(:u AS uuid), :d, :p, :pc, :dev, :did)"
            " ON CONFLICT (user_id, document) DO UPDATE SET"
            " progress = EXCLUDED.progress, percentage = EXCLUDED.percentage,"
            " device = EXCLUDED.device, device_id = EXCLUDED.device_id, updated_at = now()"
            " RETURNING updated_at",
            u=device.user_id,
            d=update.document,
            p=update.progress,
            pc=update.percentage,
            dev=update.device,
            did=update.device_id,
        )
    saved_at: datetime = rows[0][0]
    if match is not None:
        _move_reader(device.user_id, match, update)
    return ProgressSaved(document=update.document, timestamp=int(saved_at.timestamp()))


def _move_reader(user_id: str, match: DocumentMatch, update: ProgressUpdate) -> None:
    layout = chapter_layouts(match.book.id)
    place = xpointer.to_place(update.progress, layout) if match.same_file else None
    place = place or xpointer.from_fraction(update.percentage, layout)
    if place is None:
        return
    chapter, offset = place
    save = PositionUpdate(
        chapter=chapter,
        offset=offset,
        percentage=round(update.percentage * 100, 4),
        device_id=device_key(update.device_id, update.device),
        device_name=device_name(update),
    )
    for attempt in range(_SAVE_ATTEMPTS):
        held = positions.get_position(user_id, match.book.id)
        try:
            positions.save_position(
                user_id, match.book.id, save.model_copy(update={"based_on": held and held.version})
            )
            return
        except BookReaderError as error:
            # Another device saved between our read and our write: read again and win.
            if error.code != "position_conflict" or attempt == _SAVE_ATTEMPTS - 1:
                raise


def pull(device: Device, document: str) -> Progress | None:
    """The newest place in `document`, in KOReader's terms; None when nothing is known."""
    pushed = _pushed(device.user_id, document)
    match = book_for_document(device.user_id, document)
    held = positions.get_position(device.user_id, match.book.id) if match else None
    if match is not None and held is not None and _is_newer(held, pushed):
        return _translated(document, held, match)
    if pushed is None:
        return None
    return Progress(
        document=document,
        progress=pushed.progress,
        percentage=pushed.percentage,
        device=pushed.device,
        device_id=pushed.device_id,
        timestamp=int(pushed.updated_at.timestamp()),
    )


def _is_newer(held: ReadingPosition, pushed: _Pushed | None) -> bool:
    """The book's position is another device's later place than KOReader's last push here
    (the push itself is saved just after its row, so its own place never counts)."""
    if pushed is None:
        return True
    own = held.device_id == device_key(pushed.device_id, pushed.device)
    return not own and held.updated_at > pushed.updated_at


def _translated(document: str, held: ReadingPosition, match: DocumentMatch) -> Progress:
    layout = chapter_layouts(match.book.id)
    place = xpointer.to_xpointer(held.chapter, held.offset, layout) if match.same_file else None
    percentage = (
        held.percentage / 100
        if held.percentage is not None
        else xpointer.to_fraction(held.chapter, held.offset, layout)
    )
    return Progress(
        document=document,
        progress=place or "",
        percentage=round(percentage, 6),
        device=held.device_name or WEB_DEVICE,
        device_id=held.device_id or "web",
        timestamp=int(held.updated_at.timestamp()),
    )


def _pushed(user_id: str, document: str) -> _Pushed | None:
    with db.get_pool().connection() as conn:
        rows = conn.run(
            "SELECT progress, percentage, device, device_id, updated_at FROM kosync_progress"
            " WHERE user_id = CAST(:u AS uuid) AND document = :d",
            u=user_id,
            d=document,
        )
    return _Pushed(*rows[0]) if rows else None
