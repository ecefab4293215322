"""The JSON answers of the API. Handlers build these models and `json_response` serialises
them, so the OpenAPI document generated from them describes exactly what clients receive.

Book-supplied strings (titles, authors, TOC labels, description text) are plain text: clients
render them as text, never as HTML. Only `html` fields hold (sanitised) markup.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bookreader.auth.app_passwords import AppPassword, CreatedAppPassword
from bookreader.auth.users import User, UserPage
from bookreader.books.model import BookMetadata, TocEntry
from bookreader.exports.records import ExportFormat, ExportState, IllustrationChoice
from bookreader.images.preferences import IllustrationPreferences
from bookreader.images.records import ImageState
from bookreader.library.lifecycle import BookState
from bookreader.library.positions import ReadingPosition
from bookreader.nlp.model import CastMember, DescriptionType, VisualSummary

# Domain models answered as they are.
__all__ = ["AppPassword", "CreatedAppPassword", "ReadingPosition", "User", "UserPage"]

Direction = Literal["ltr", "rtl"]


class Answer(BaseModel):
    """A response body: undocumented fields are refused, so the document cannot fall behind."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Answer):
    code: str = Field(description="Stable machine-readable code, e.g. `book_not_found`")
    message: str = Field(description="A human sentence (English)")
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="Code-specific facts; `fields: [{field, problem}]` for validation_failed",
    )


class ErrorBody(Answer):
    """Every error: `{"error": {"code", "message", "details"}}`."""

    error: ErrorDetail


# --- health ---------------------------------------------------------------------------------


class Live(Answer):
    status: Literal["ok"] = "ok"


class Ready(Answer):
    status: Literal["ready"] = "ready"
    checks: dict[str, str]


# --- auth -----------------------------------------------------------------------------------


class AccessToken(Answer):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class AppPasswordList(Answer):
    """The user's app passwords (e-reader devices), newest first; secrets are never shown."""

    items: list[AppPassword]


class SignedIn(AccessToken):
    """Register, login and refresh; the refresh token travels in an httpOnly cookie."""

    user: User


# --- books ----------------------------------------------------------------------------------

PLAIN_TEXT = "Plain text from the book: render it as text, never as HTML"


class BookSummary(Answer):
    id: str
    title: str = Field(
        description="The book's title, or its file name before parsing. " + PLAIN_TEXT
    )
    authors: list[str] = Field(default_factory=list, description=PLAIN_TEXT)
    language: str | None
    format: Literal["epub", "fb2"] | None
    state: BookState = Field(
        description="Where the book is on its way into the library (see docs/book-lifecycle.md):"
        " `uploading` (waiting for the file), `parsing` (reading the file), `parsed` (readable;"
        " finding passages has not started yet — usually a moment, for good if extraction is"
        " not deployed), `extracting` (readable; finding passages, chapter by chapter), `ready`,"
        " `extraction_unsupported_language` (readable; no passages for this language) or"
        " `failed` (see `error`). `uploading`, `parsing`, `parsed` and `extracting` still"
        " change: poll until another state is reached."
    )
    progress: float = Field(
        ge=0,
        le=1,
        description="How far the server is with the book, over parsing and extraction together:"
        " parsing fills 0–0.2, extraction 0.2–1 by chapters; 1 once `ready` or"
        " `extraction_unsupported_language`, 0 when `uploading` or `failed`. It never goes"
        " down while the book moves on; only an administrator's re-run of extraction starts"
        " it again from 0.2.",
    )
    error: ErrorDetail | None = Field(description="Why the book failed (state `failed`)")
    cover_thumbnail_url: str | None = Field(description="Short-lived URL of a small cover")
    word_count: int | None
    reading_minutes: int | None
    reading_progress: float | None = Field(
        None, ge=0, le=1, description="How far the reader has read, by words; null before opening"
    )
    created_at: datetime


class BookPage(Answer):
    items: list[BookSummary]
    total: int
    page: int
    page_size: int


class ChapterSummary(Answer):
    index: int
    title: str = Field(description=PLAIN_TEXT)
    level: int
    linear: bool
    direction: Direction = "ltr"
    word_count: int


class ExtractionProgress(Answer):
    language: str | None = Field(description="The language extraction detected")
    chapters_done: int
    chapters_total: int | None


class BookDetail(BookSummary):
    filename: str
    size: int | None
    direction: Direction = Field("ltr", description="Text direction of the book")
    metadata: BookMetadata | None
    toc: list[TocEntry]
    chapter_count: int | None
    chapters: list[ChapterSummary]
    has_cover: bool
    extraction: ExtractionProgress
    parsed_at: datetime | None


class FootnoteView(Answer):
    id: str
    title: str = Field(description=PLAIN_TEXT)
    html: str = Field(description="Sanitised HTML, as in a chapter's `html`")


class ChapterView(Answer):
    book_id: str
    index: int
    title: str = Field(description=PLAIN_TEXT)
    level: int
    linear: bool
    direction: Direction = Field("ltr", description="Text direction of the chapter")
    word_count: int
    html: str = Field(
        description="Sanitised HTML; paragraph blocks carry `data-p` (index in `paragraphs`)."
        " The book's own ids are prefixed `bk-` (safe characters only) and in-chapter links"
        " point at them (`#bk-…`); classes are only `bk-` names of the reader's vocabulary"
        " (`bk-title`, `bk-epigraph`, `bk-poem`, …); links elsewhere in the book are"
        " `#pos-<chapter>-<offset>`, note references `#note-<id>` with `data-note`"
    )
    text: str = Field(description="Plain text; positions and offsets count characters of it")
    paragraphs: list[tuple[int, int]] = Field(
        description="(start, end) of each paragraph in `text`"
    )
    footnotes: list[FootnoteView] = Field(description="The notes this chapter references")
    previous: int | None
    next: int | None


class PresignedUpload(Answer):
    method: Literal["PUT"]
    url: str
    headers: dict[str, str] = Field(
        description="Send these headers with the upload. The URL works once: the file's key"
        " is write-once, so a second PUT answers 409 `object_exists` (412 from S3, whose URL"
        " carries `If-None-Match: *`)"
    )
    expires_at: datetime


class UploadResult(Answer):
    """`POST /uploads` and `POST /books`: the book, and how to send its file (presigned only)."""

    book: BookSummary
    existing: bool = Field(description="The same file is already in the library: this book")
    upload: PresignedUpload | None = Field(
        None, description="Where to PUT the file (POST /uploads of a new file only)"
    )


class DescriptionView(Answer):
    id: str
    chapter: int
    start: int = Field(description="Offset of the passage in the chapter's `text`")
    end: int
    type: DescriptionType
    confidence: float = Field(ge=0, le=1)
    priority: float = Field(ge=0, le=1)
    text: str
    summary: VisualSummary | None


class DescriptionPage(Answer):
    items: list[DescriptionView]
    next: str | None = Field(description="Pass as `cursor` for the next page; null at the end")


class CastList(Answer):
    items: list[CastMember]
    hidden: int = Field(
        0, description="Members first met beyond the reading position, left out (no spoilers)"
    )
    reached_chapter: int | None = Field(
        None, description="The saved position's chapter the list is cut at; null before reading"
    )


class ExtractionQueued(Answer):
    book_id: str
    state: Literal["queued"] = "queued"


class ReparseQueued(Answer):
    book_id: str
    state: Literal["queued"] = "queued"


# --- reading --------------------------------------------------------------------------------


class SavedPosition(ReadingPosition):
    illustrating: list[str] = Field(
        description="Ids of the illustrations automatic mode queued for what lies ahead"
    )


# --- illustrations --------------------------------------------------------------------------


class IllustrationError(Answer):
    code: str | None
    message: str | None


class IllustrationPassage(Answer):
    """Where an illustration's passage is: open the reader at (chapter, start)."""

    chapter: int
    start: int = Field(description="Offset of the passage in the chapter's `text`")
    end: int
    text: str


class Illustration(Answer):
    id: str
    book_id: str
    description_id: str
    state: ImageState
    style: str
    provider: str
    made_by: str | None
    generation: int
    prompt: str | None
    negative_prompt: str | None
    seed: int | None
    width: int | None
    height: int | None
    bytes: int | None
    url: str | None = Field(description="Short-lived URL of the WebP picture (when ready)")
    thumbnail_url: str | None
    error: IllustrationError | None
    created_at: datetime
    passage: IllustrationPassage | None = Field(
        None, description="Where its passage is (in the gallery and recent lists)"
    )


class IllustrationList(Answer):
    items: list[Illustration]


class RecentIllustration(Illustration):
    book_title: str


class RecentIllustrationList(Answer):
    items: list[RecentIllustration]


# --- exports --------------------------------------------------------------------------------


class ExportError(Answer):
    code: str
    message: str = Field(description="Why the file could not be built, in words")


class Export(Answer):
    """A book built as a file to take elsewhere; poll it until `state` is `ready`."""

    id: str
    book_id: str
    format: ExportFormat
    illustrations: IllustrationChoice
    style: str | None
    state: ExportState
    progress: float = Field(description="0–1 while it is built")
    pictures: int | None = Field(description="Illustrations placed in the file (when ready)")
    bytes: int | None
    url: str | None = Field(
        description="Short-lived URL that downloads the file (when ready); ask again for a new one"
    )
    filename: str | None = Field(description="The file's name for saving it (when ready)")
    error: ExportError | None
    created_at: datetime


class ImageQuota(Answer):
    daily_limit: int
    overridden: bool = Field(description="An administrator set this user's limit")
    used_today: int


class IllustrationSettings(IllustrationPreferences):
    model_config = ConfigDict(extra="forbid")

    quota: ImageQuota
    styles: list[str] = Field(description="The style presets a picture can be drawn in")


# --- administration -------------------------------------------------------------------------


class UserCounts(Answer):
    total: int
    admins: int
    disabled: int


class ImageCount(Answer):
    state: ImageState
    provider: str
    count: int


class DeadLetterCount(Answer):
    function: str
    count: int


class AdminOverview(Answer):
    """What an administrator watches: users, books by state, today's images, dead letters."""

    users: UserCounts
    books_by_state: dict[str, int] = Field(description="Every book state with its count")
    images_today: list[ImageCount] = Field(
        description="Images created since midnight UTC, by state and provider"
    )
    dead_letters: list[DeadLetterCount] | None = Field(
        description="Events that exhausted their retries, by function (`make dlq` lists them);"
        " null when the event bus cannot be read"
    )
    generated_at: datetime
