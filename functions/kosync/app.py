"""KOReader progress sync: the kosync server protocol under /kosync, signed in with the
account's email and an app password of scope `kosync` (`x-auth-user` / `x-auth-key`)."""

from __future__ import annotations

from chalice import Response

from bookreader.http import BookReaderApp, parse_body
from bookreader.kosync import protocol, sync
from bookreader.kosync.protocol import Authorized, NoProgress, ProgressAnswer, ProgressUpdate

app = BookReaderApp("kosync", device_sign_in=protocol.sign_in, render_error=protocol.render_error)


@app.route("/kosync/users/create", methods=["POST"], public=True)
def create_user() -> Response:
    raise protocol.registration_refused()


@app.route("/kosync/users/auth", methods=["GET"], app_password="kosync")
def authorize() -> Response:
    return protocol.answer(Authorized(authorized="OK"))


@app.route("/kosync/syncs/progress", methods=["PUT"], app_password="kosync")
def update_progress() -> Response:
    update = parse_body(app.current_request, ProgressUpdate)
    return protocol.answer(sync.push(app.device, update))


@app.route("/kosync/syncs/progress/{document}", methods=["GET"], app_password="kosync")
def get_progress(document: str) -> Response:
    if not protocol.DOCUMENT.match(document):
        raise protocol.document_invalid()
    found = sync.pull(app.device, document)
    return protocol.answer(ProgressAnswer(found if found is not None else NoProgress()))
