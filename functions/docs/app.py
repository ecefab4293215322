"""Docs: the API's OpenAPI 3.1 document and a readable reference page, both generated from the
operations table and the models the handlers use."""

from __future__ import annotations

from chalice import Response

from bookreader.api.openapi import document_text
from bookreader.api.reference_page import CONTENT_SECURITY_POLICY, render_reference_page
from bookreader.http import BookReaderApp

app = BookReaderApp("docs")
_CACHE = {"Cache-Control": "public, max-age=300"}


@app.route("/openapi.json", methods=["GET"], public=True)
def openapi_document() -> Response:
    # Already JSON text: the document is built once per process and served as it is.
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json", **_CACHE}
    return Response(body=document_text(), status_code=200, headers=headers)


@app.route("/docs", methods=["GET"], public=True)
def reference_page() -> Response:
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        **_CACHE,
    }
    return Response(body=render_reference_page(), status_code=200, headers=headers)
