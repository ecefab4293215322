"""Upload: start a book upload (presigned URL straight to the store), or send a small file.
Both answer the same shape: the book, whether it was already there, and (presigned only) where
to send the file."""

from __future__ import annotations

from chalice import Response

from bookreader.api.schemas import PresignedUpload, UploadResult
from bookreader.http import BookReaderApp, json_response, parse_body, request_bytes
from bookreader.library import uploads, views

app = BookReaderApp("upload")


@app.route("/uploads", methods=["POST"])
def request_upload() -> Response:
    body = parse_body(app.current_request, uploads.UploadRequest)
    book, upload = uploads.request_upload(app.user.sub, body)
    if upload is None:  # the same file is already in the library
        return json_response(UploadResult(book=views.book_summary(book), existing=True))
    ticket = PresignedUpload.model_validate(upload.model_dump())
    return json_response(
        UploadResult(book=views.book_summary(book), existing=False, upload=ticket), 201
    )


@app.route("/books", methods=["POST"])
def upload_book() -> Response:
    request = app.current_request
    filename, data, content_type = uploads.read_multipart_file(
        request_bytes(request), request.headers.get("content-type", "")
    )
    book, created = uploads.store_direct_upload(app.user.sub, filename, data, content_type)
    return json_response(
        UploadResult(book=views.book_summary(book), existing=not created), 201 if created else 200
    )
