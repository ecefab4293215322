"""One shape for "these fields are wrong": 422 `validation_failed` with
`details.fields = [{"field": "a.b", "problem": "…"}]`, wherever the check happens."""

from __future__ import annotations

from pydantic import ValidationError

from bookreader.errors import BookReaderError


def invalid_fields(
    problems: list[tuple[str, str]], message: str = "Some fields are not valid."
) -> BookReaderError:
    fields = [{"field": field, "problem": problem} for field, problem in problems]
    return BookReaderError("validation_failed", message, 422, {"fields": fields})


def from_pydantic(error: ValidationError, location: str = "") -> BookReaderError:
    problems = [
        (".".join(str(part) for part in (location, *item["loc"]) if part != ""), item["msg"])
        for item in error.errors(include_url=False, include_input=False)
    ]
    return invalid_fields(problems)
