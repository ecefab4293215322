"""PostgreSQL's own client programs (pg_dump, pg_restore) in a version that fits the server.

pg_dump must be at least the server's major version; pg_restore must be at least the version
of the pg_dump that wrote the archive. The embedded PostgreSQL (pgserver) ships its own
binaries; a machine may have several versions under /usr/lib/postgresql.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from bookreader.errors import BookReaderError


def _candidate_dirs() -> list[Path]:
    dirs: list[Path] = []
    if configured := os.environ.get("PG_BIN_DIR"):
        dirs.append(Path(configured))
    # pgserver's binaries, found without importing it (importing it starts a lock file dance).
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.submodule_search_locations:
        dirs.extend(Path(p) / "pginstall" / "bin" for p in spec.submodule_search_locations)
    dirs.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    return dirs


@cache
def tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s+(\d+)", out)
    return int(match[1]) if match else None


def available(name: str) -> list[tuple[int, Path]]:
    """Every copy of the program `name` found, with its major version, newest first."""
    found: dict[Path, int] = {}
    paths = [d / name for d in _candidate_dirs()]
    if on_path := shutil.which(name):
        paths.append(Path(on_path))
    for path in paths:
        if path.is_file() and (major := tool_major(path)) is not None:
            found.setdefault(path.resolve(), major)
    return sorted(((major, path) for path, major in found.items()), reverse=True)


def find_tool(name: str, at_least: int) -> Path:
    """`name` of the server's major version if there is one, else the newest that is newer."""
    copies = available(name)
    fitting = [(major, path) for major, path in copies if major >= at_least]
    if not fitting:
        have = ", ".join(f"{path} ({major})" for major, path in copies) or "none found"
        raise BookReaderError(
            "pg_tool_missing",
            f"{name} {at_least} or newer is needed (have: {have}). Install the PostgreSQL"
            f" {at_least} client (apt-get install postgresql-client-{at_least}) or set"
            " PG_BIN_DIR to its bin directory.",
            500,
        )
    exact = [path for major, path in fitting if major == at_least]
    return exact[0] if exact else fitting[0][1]


def server_major(version_num: int) -> int:
    """`SHOW server_version_num` (160004) → 16."""
    return version_num // 10000
