"""How KOReader names a document: the MD5 of 1024-byte samples of its file (KOReader's
`util.partialMD5`, frontend/util.lua), or, in its "file name" matching mode, the MD5 of the
file's name (not computed here: PostgreSQL's `md5(filename)` answers that).

The samples start at `lshift(1024, 2*i)` for i = -1 … 10. `lshift` is LuaJIT's 32-bit BitOp,
which takes the shift count modulo 32: for i = -1 that is 1024 << 30, whose low 32 bits are 0.
So the offsets are 0, 1 KiB, 4 KiB, 16 KiB, … 1 GiB; a sample past the end stops the walk and
one that crosses it is shorter.
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO

SAMPLE = 1024
OFFSETS = tuple((SAMPLE << (2 * i)) & 0xFFFFFFFF if i >= 0 else 0 for i in range(-1, 11))
_CHUNK = 1 << 20


def partial_md5(data: bytes) -> str:
    """KOReader's document id of a file with these bytes (lower-case hex)."""
    digest = hashlib.md5(usedforsecurity=False)
    for offset in OFFSETS:
        sample = data[offset : offset + SAMPLE]
        if not sample:
            break
        digest.update(sample)
    return digest.hexdigest()


def partial_md5_of(stream: BinaryIO) -> str:
    """The same, read from a stream front to back (a store's body need not seek): only the
    samples are kept, the bytes between them are read and dropped."""
    digest = hashlib.md5(usedforsecurity=False)
    position = 0
    for offset in OFFSETS:
        while position < offset:
            skipped = stream.read(min(_CHUNK, offset - position))
            if not skipped:
                return digest.hexdigest()
            position += len(skipped)
        sample = b""
        while len(sample) < SAMPLE:
            more = stream.read(SAMPLE - len(sample))
            if not more:
                break
            sample += more
        position += len(sample)
        if not sample:
            break
        digest.update(sample)
    return digest.hexdigest()
