"""The kosync server protocol as KOReader's "Progress sync" plugin speaks it (kosync.koplugin,
KOSyncClient.lua and api.json; the reference server koreader/koreader-sync-server), under
`/api/kosync`:

- every request sends `Accept: application/vnd.koreader.v1+json`; signed requests send
  `x-auth-user` (here: the account's email) and `x-auth-key` (the MD5 hex of the password;
  here: of an app password of scope `kosync`, never the account password);
- `POST /users/create` registers (201); we never make accounts from a device (402, 2005);
- `GET /users/auth` → 200 `{"authorized": "OK"}`;
- `PUT /syncs/progress` `{document, progress, percentage, device, device_id}` →
  200 `{document, timestamp}`;
- `GET /syncs/progress/{document}` → 200 with `{document, progress, percentage, device,
  device_id, timestamp}`, or `{}` when there is none;
- errors are `{"code": <int>, "message": <text>}`: 2001 Unauthorized (401), 2003 Invalid
  request (403), 2004 no document (403), 2005 registration refused (402), 2000 server (503).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from chalice import Response
from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from bookreader.auth.app_passwords import Device, Scope
from bookreader.auth.device_sign_in import authenticate_device
from bookreader.errors import BookReaderError

MEDIA_TYPE = "application/vnd.koreader.v1+json"
DOCUMENT_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
DOCUMENT = re.compile(DOCUMENT_PATTERN)
UNAUTHORIZED, INVALID, NO_DOCUMENT, REGISTRATION_REFUSED, SERVER = 2001, 2003, 2004, 2005, 2000
_MAX_HEADER = 320
_HEADERS: dict[str, str | list[str]] = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
}


class KosyncError(BaseModel):
    """The error shape of the kosync protocol (KOReader shows `message`)."""

    code: int = Field(
        description="2001 unauthorized, 2003 invalid request, 2004 no document,"
        " 2005 registration refused, 2000 server error"
    )
    message: str


class Authorized(BaseModel):
    authorized: str = Field(description='"OK"')


class ProgressUpdate(BaseModel):
    """What KOReader pushes. Newer KOReader versions may add fields (`metadata`,
    `identifiers`): they are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")

    document: str = Field(pattern=DOCUMENT_PATTERN, description="KOReader's id of the file")
    progress: str = Field(
        min_length=1,
        max_length=4096,
        description="An XPointer (EPUB, FB2: `/body/DocFragment[3]/body/p[2]/text().5`) or a"
        " page number (PDF)",
    )
    percentage: float = Field(ge=0, le=1, allow_inf_nan=False, description="Share read, 0–1")
    device: str = Field(min_length=1, max_length=100, description="KOReader's device model")
    device_id: str = Field("", max_length=100, description="KOReader's id of the device")

    @field_validator("progress", "device", "device_id", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        # KOReader sends `tostring(progress)`, but a page number may arrive as a number.
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )


class ProgressSaved(BaseModel):
    document: str
    timestamp: int = Field(description="Unix time of the save, seconds")


class Progress(BaseModel):
    """Where the reader is in a document: the newest place of any device, KOReader's own as
    it sent it, or the web reader's translated into KOReader's terms."""

    document: str
    progress: str
    percentage: float
    device: str
    device_id: str
    timestamp: int


class NoProgress(BaseModel):
    """`{}`: nothing is known of the document."""

    model_config = ConfigDict(extra="forbid")


class ProgressAnswer(RootModel[Progress | NoProgress]):
    """The newest place in a document, or `{}`."""


def sign_in(headers: Mapping[str, str], ip: str, scope: Scope) -> Device:
    """The device of KOReader's `x-auth-user` / `x-auth-key` headers, rate-limited like
    sign-in (`device_sign_in.authenticate_device`)."""
    login = (headers.get("x-auth-user") or "").strip()
    key = (headers.get("x-auth-key") or "").strip()
    if not login or not key or len(login) > _MAX_HEADER or len(key) > _MAX_HEADER:
        raise BookReaderError("unauthenticated", "Send x-auth-user and x-auth-key.", 401)
    return authenticate_device(ip, login, scope, key=key)


def registration_refused() -> BookReaderError:
    return BookReaderError(
        "registration_refused",
        "Accounts are not made from a device. Sign in to BookReader AI, create an app password"
        " for KOReader (Account → App passwords), then log in here with your email and it.",
        402,
    )


def document_invalid() -> BookReaderError:
    return BookReaderError("document_invalid", "Field 'document' not provided.", 403)


def render_error(error: BookReaderError) -> Response:
    """Any error as the protocol's `{code, message}` with the status the reference server
    gives that code (a 429 stays a 429 with `Retry-After`)."""
    headers: dict[str, str | list[str]] = {**_HEADERS}
    headers.update({k: v for k, v in error.headers.items() if k.lower() == "retry-after"})
    if error.code == "registration_refused":
        status, body = 402, KosyncError(code=REGISTRATION_REFUSED, message=error.message)
    elif error.status == 429:
        status, body = 429, KosyncError(code=UNAUTHORIZED, message=error.message)
    elif error.status >= 500:
        status, body = 503, KosyncError(code=SERVER, message="Unknown server error.")
    elif _names_document(error):
        status, body = 403, KosyncError(code=NO_DOCUMENT, message="Field 'document' not provided.")
    elif error.status in (401, 403):  # no or wrong credentials, a disabled account
        status, body = 401, KosyncError(code=UNAUTHORIZED, message="Unauthorized")
    else:
        status, body = 403, KosyncError(code=INVALID, message="Invalid request")
    return Response(body=json.dumps(body.model_dump()), status_code=status, headers=headers)


def answer(body: BaseModel) -> Response:
    data = body.model_dump(mode="json")
    return Response(body=json.dumps(data, ensure_ascii=False), status_code=200, headers=_HEADERS)


def _names_document(error: BookReaderError) -> bool:
    fields = error.details.get("fields") or []
    return error.code == "document_invalid" or any(
        isinstance(item, dict) and item.get("field") == "document" for item in fields
    )
