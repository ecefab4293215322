"""A reader's illustration preferences: automatic illustration (off by default), how far
ahead it may go, how many pictures per chapter, and a default style."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bookreader import db
from bookreader.images.styles import resolve_style

# The furthest automatic illustration may ever look ahead, whatever a reader asks for.
MAX_CHAPTERS_AHEAD = 10


class IllustrationPreferences(BaseModel):
    auto_illustrate: bool = False
    chapters_ahead: int = Field(2, ge=0, le=MAX_CHAPTERS_AHEAD)
    per_chapter: int = Field(2, ge=1, le=10)
    style: str | None = None


class PreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto_illustrate: bool | None = None
    chapters_ahead: int | None = Field(None, ge=0, le=MAX_CHAPTERS_AHEAD)
    per_chapter: int | None = Field(None, ge=1, le=10)
    # An empty string clears the default style (back to the genre's choice).
    style: str | None = Field(None, max_length=40)

    @field_validator("style")
    @classmethod
    def _known_style(cls, value: str | None) -> str | None:
        if value:
            return resolve_style(value, []).name  # 422 style_unknown with the allowed list
        return value


def get_preferences(user_id: str) -> IllustrationPreferences:
    with db.get_pool().connection() as conn:
        return load_preferences(conn, user_id)


def update_preferences(user_id: str, update: PreferencesUpdate) -> IllustrationPreferences:
    with db.get_pool().transaction() as conn:
        current = load_preferences(conn, user_id)
        changes = update.model_dump(exclude_unset=True)
        # null means "no change" for a setting that always has a value; for the style it
        # clears the reader's default, like an empty string.
        changes = {k: v for k, v in changes.items() if v is not None or k == "style"}
        if "style" in changes:
            changes["style"] = changes["style"] or None
        merged = current.model_copy(update=changes)
        conn.run(
            "INSERT INTO illustration_settings (user_id, auto_illustrate, chapters_ahead,"
            " per_chapter, style) VALUES (CAST(:u AS uuid), :a, :n, :k, :s)"
            " ON CONFLICT (user_id) DO UPDATE SET auto_illustrate = EXCLUDED.auto_illustrate,"
            " chapters_ahead = EXCLUDED.chapters_ahead, per_chapter = EXCLUDED.per_chapter,"
            " style = EXCLUDED.style, updated_at = now()",
            u=user_id,
            a=merged.auto_illustrate,
            n=merged.chapters_ahead,
            k=merged.per_chapter,
            s=merged.style,
        )
        return merged


def load_preferences(conn: db.Connection, user_id: str) -> IllustrationPreferences:
    rows = conn.run(
        "SELECT auto_illustrate, chapters_ahead, per_chapter, style FROM illustration_settings"
        " WHERE user_id = CAST(:u AS uuid)",
        u=user_id,
    )
    found = db.rows_as_dicts(conn, rows)
    return IllustrationPreferences.model_validate(found[0]) if found else IllustrationPreferences()
