"""EPUBCheck (Debian's `epubcheck`, installed by `make test-tools`) on a file: its messages."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

JAR = Path(os.environ.get("EPUBCHECK_JAR", "/usr/share/java/epubcheck.jar"))


def epubcheck(path: Path) -> list[dict]:
    """Every message EPUBCheck gives the EPUB (`severity`, `ID`, `message`, `locations`)."""
    if not JAR.is_file():
        pytest.fail(f"EPUBCheck is not installed at {JAR}: run `make test-tools`")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        # The /usr/bin link is a jar run through binfmt, not always registered: run it with Java.
        subprocess.run(
            ["java", "-jar", str(JAR), str(path), "--json", str(report)],
            capture_output=True,
            timeout=180,
            check=False,
        )
        assert report.is_file(), f"EPUBCheck wrote no report for {path}"
        return json.loads(report.read_text(encoding="utf-8"))["messages"]


def errors(messages: list[dict]) -> list[str]:
    """The errors and fatal errors, readable in an assertion message."""
    return [
        f"{m['ID']} {m['message']} @ {[loc.get('path') for loc in m['locations']][:3]}"
        for m in messages
        if m["severity"] in ("ERROR", "FATAL")
    ]
