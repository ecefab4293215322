"""What a function's handler can import, found by reading its source (no code is run).

Every `import` in the handler and in the `bookreader` modules it reaches counts, including
imports inside functions: a lazy import still has to resolve on Lambda when that path runs.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
FIRST_PARTY = "bookreader"


def third_party_imports(handler: Path, shared: Path = ROOT / "shared") -> set[str]:
    """Top-level names of the third-party modules the handler's import closure names."""
    seen: set[Path] = set()
    found: set[str] = set()
    pending = [handler]
    while pending:
        source = pending.pop()
        if source in seen:
            continue
        seen.add(source)
        for name in _imported_names(source):
            top = name.partition(".")[0]
            if top == FIRST_PARTY:
                pending.extend(_module_files(name, shared))
            elif top not in sys.stdlib_module_names and top != "__future__":
                found.add(top)
    return found


def _imported_names(source: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from bookreader.x import y` may name a submodule y as well as an attribute.
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _module_files(dotted: str, shared: Path) -> list[Path]:
    """The files Python runs to import `dotted`: each package's __init__ and the module."""
    parts = dotted.split(".")
    files = []
    for depth in range(1, len(parts) + 1):
        base = shared.joinpath(*parts[:depth])
        for candidate in (base / "__init__.py", base.with_suffix(".py")):
            if candidate.is_file():
                files.append(candidate)
    return files
