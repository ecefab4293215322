"""bench/RESULTS.md: one section per benchmark between `<!-- bench:NAME -->` markers, so each
benchmark (foundation, parse, extract, generate, …) rewrites only its own section."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = (
    "# Benchmark results\n\n"
    "Written by `make bench` (`python -m bench`). Each section is replaced only by its own\n"
    "benchmark; keep hand-written notes outside the `<!-- bench:… -->` markers.\n"
)


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace the section `name` in `path` with `body`, or append it if it is not there yet."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text() if path.exists() else HEADER
    head, found, rest = text.partition(start)
    if found:
        _, closed, tail = rest.partition(end)
        if not closed:
            raise ValueError(f"{path}: {start} has no matching {end}")
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu_model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model or platform.processor() or platform.machine(),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
    }


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def environment_lines(info: dict[str, Any], services: str) -> list[str]:
    """The bullet list every section starts with: machine, Python, date, services."""
    return [
        f"- Machine: {info['cpus']} CPUs ({info['cpu_model']}), {info['platform']}",
        f"- Python: {info['python']}",
        f"- Date: {info['date']}, commit {info['commit']} (working tree may differ)",
        f"- Services: {services}",
    ]
