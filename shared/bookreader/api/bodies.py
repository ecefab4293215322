"""Request bodies that belong to no domain module (the rest live beside the code that uses
them: `auth.users.ProfileUpdate`, `library.uploads.UploadRequest`, …)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class RegisterBody(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    display_name: str | None = Field(None, max_length=200)
    locale: Literal["ru", "en"] = "ru"


class LoginBody(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class PasswordBody(BaseModel):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class QuotaUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # null removes the override: the user is back on the configured default.
    daily_limit: int | None = Field(ge=0, le=100_000)


class IllustrationRequest(BaseModel):
    """The body is optional; without `style` the reader's default (or the genre's) is used."""

    style: str | None = Field(None, max_length=40)


class BookFileForm(BaseModel):
    """`multipart/form-data` with the book in a part named `file` (read by
    `library.uploads.read_multipart_file`; this model only documents it)."""

    file: bytes = Field(
        description="The .epub, .fb2 or .fb2.zip file (at most 6 MB; larger files: POST /uploads)"
    )


class SpanIllustrationRequest(BaseModel):
    """Any passage the reader chose: chapter and offsets into its plain text."""

    model_config = ConfigDict(extra="forbid")

    chapter: int = Field(ge=0, le=100_000)
    start: int = Field(ge=0, le=100_000_000)
    end: int = Field(ge=1, le=100_000_000)
    style: str | None = Field(None, max_length=40)
