"""Presigned URLs of the disk store: HMAC-SHA256 over method, object, expiry and limits.

Shared by the store (which signs) and the local runtime (which verifies and serves).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote

from pydantic import BaseModel

from bookreader.errors import BookReaderError

OBJECTS_PATH = "/_local/objects"


class SignedObjectRequest(BaseModel):
    method: str
    bucket: str
    key: str
    expires: int
    max_bytes: int = 0
    content_type: str = ""
    # GET only: the answer's Content-Type and Content-Disposition, as S3's
    # `response-content-type` / `response-content-disposition` overrides (signed alike).
    response_content_type: str = ""
    response_disposition: str = ""

    def signature(self, secret: str) -> str:
        message = "\n".join(
            [
                self.method,
                self.bucket,
                self.key,
                str(self.expires),
                str(self.max_bytes),
                self.content_type,
                self.response_content_type,
                self.response_disposition,
            ]
        )
        return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()

    def url(self, base_url: str, secret: str) -> str:
        query = f"expires={self.expires}&sig={self.signature(secret)}"
        if self.method == "PUT":
            query += f"&max={self.max_bytes}&type={quote(self.content_type, safe='')}"
        if self.response_content_type:
            query += f"&rct={quote(self.response_content_type, safe='')}"
        if self.response_disposition:
            query += f"&rcd={quote(self.response_disposition, safe='')}"
        return (
            f"{base_url.rstrip('/')}{OBJECTS_PATH}/{quote(self.bucket)}/{quote(self.key)}?{query}"
        )


def verify(
    request: SignedObjectRequest, signature: str, secret: str, now: float | None = None
) -> None:
    """Raise a 403 BookReaderError unless `signature` is valid and unexpired."""
    expected = request.signature(secret)
    if not hmac.compare_digest(expected, signature):
        raise BookReaderError("signature_invalid", "the URL signature does not match", 403)
    if (now or time.time()) > request.expires:
        raise BookReaderError("url_expired", "the presigned URL has expired", 403)
