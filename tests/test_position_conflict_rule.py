"""The position conflict rule on its own (shared/bookreader/library/positions.py), as any client
of it sees it — the web app today, KOReader sync later: a place made from an older view than
another device's later save is refused; a device never conflicts with its own newer places."""

from __future__ import annotations

import pytest

from bookreader.library.positions import HeldPosition, conflicts

LAPTOP, PHONE = "laptop-1", "phone-1"


@pytest.mark.parametrize(
    ("held", "device", "based_on", "device_based_on", "refused"),
    [
        (None, PHONE, 0, None, False),  # the first place ever saved
        (HeldPosition(3, LAPTOP), PHONE, 3, None, False),  # saw the latest: moves on, or back
        (HeldPosition(3, LAPTOP), PHONE, 2, 1, True),  # the laptop moved since the phone looked
        (HeldPosition(3, LAPTOP), PHONE, 0, None, True),  # never looked, and someone else read
        (HeldPosition(3, PHONE), PHONE, 2, 2, False),  # its own answer lost: still its own view
        (HeldPosition(5, PHONE), PHONE, 2, 4, True),  # its own stale queue entry arriving late
        (HeldPosition(3, ""), "", 0, 0, False),  # clients that name no device, as before sync
    ],
)
def test_conflict_rule(
    held: HeldPosition | None,
    device: str,
    based_on: int,
    device_based_on: int | None,
    refused: bool,
) -> None:
    assert conflicts(held, device, based_on, device_based_on) is refused
