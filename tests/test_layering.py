"""The shared package's layers point one way: the library (books, chapters, descriptions, cast)
knows nothing of pictures, and the images package reads the library's tables only through the
library's functions. Read from the source, so a new import or query that breaks the rule fails
here before it makes a cycle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SHARED = Path(__file__).parent.parent / "shared" / "bookreader"
LIBRARY_TABLES = ("books", "chapters", "footnotes", "book_images", "descriptions", "cast_members")


def imported_modules(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_library_never_imports_images() -> None:
    for source in sorted((SHARED / "library").glob("*.py")):
        images = {name for name in imported_modules(source) if name.startswith("bookreader.images")}
        assert not images, f"{source.name} imports {images}"


def test_images_run_no_sql_on_the_library_tables() -> None:
    table = re.compile(rf"\b(?:FROM|JOIN|UPDATE|INTO)\s+({'|'.join(LIBRARY_TABLES)})\b", re.I)
    for source in sorted((SHARED / "images").rglob("*.py")):
        found = table.findall(source.read_text(encoding="utf-8"))
        assert not found, f"{source.relative_to(SHARED)} queries {found}"


def test_exports_read_the_library_and_images_only_through_their_functions() -> None:
    image_tables = ("images", "image_cache", "image_quotas")
    tables = "|".join((*LIBRARY_TABLES, *image_tables))
    table = re.compile(rf"\b(?:FROM|JOIN|UPDATE|INTO)\s+({tables})\b", re.I)
    for source in sorted((SHARED / "exports").rglob("*.py")):
        found = table.findall(source.read_text(encoding="utf-8"))
        assert not found, f"{source.relative_to(SHARED)} queries {found}"
