"""Auth: accounts, sign-in with JWT access tokens and rotating refresh cookies, profile."""

from __future__ import annotations

from chalice import Response

from bookreader.api.bodies import LoginBody, PasswordBody, RegisterBody
from bookreader.api.schemas import AccessToken, AppPasswordList, SignedIn
from bookreader.auth import app_passwords, sessions, users
from bookreader.auth.cookies import cleared_refresh_cookie, refresh_cookie, refresh_token_from
from bookreader.auth.denylist import deny_token
from bookreader.auth.guard import bearer_token
from bookreader.auth.limits import (
    begin_login_attempt,
    limit_login,
    limit_password_check,
    limit_register,
    login_succeeded,
)
from bookreader.auth.origin import ensure_same_site
from bookreader.auth.tokens import issue_access_token, verify_access_token
from bookreader.errors import BookReaderError
from bookreader.http import BookReaderApp, json_response, parse_body

app = BookReaderApp("auth")


def _signed_in(user: users.User, refresh: sessions.IssuedRefresh, status: int = 200) -> Response:
    """The answer of register, login and refresh: an access token, the user, a fresh cookie."""
    access = issue_access_token(user.id, user.role, session=refresh.family_id)
    body = SignedIn(access_token=access.token, expires_in=access.expires_in, user=user)
    return json_response(
        body,
        status,
        {"Set-Cookie": refresh_cookie(refresh.token, refresh.max_age, app.mount_prefix)},
    )


@app.route("/auth/register", methods=["POST"], public=True)
def register() -> Response:
    body = parse_body(app.current_request, RegisterBody)
    limit_register(app.client_ip, body.email)
    user = users.register(
        body.email, body.password, display_name=body.display_name, locale=body.locale
    )
    return _signed_in(user, sessions.issue_refresh(user.id), 201)


@app.route("/auth/login", methods=["POST"], public=True)
def login() -> Response:
    body = parse_body(app.current_request, LoginBody)
    limit_login(app.client_ip, body.email)
    begin_login_attempt(body.email)
    user = users.authenticate(body.email, body.password)
    login_succeeded(body.email)
    return _signed_in(user, sessions.issue_refresh(user.id))


@app.route("/auth/refresh", methods=["POST"], public=True)
def refresh() -> Response:
    """A new session from the cookie, or `null` for a visitor without one.

    Signed out is the ordinary state of a first visit, not an error: no cookie, or one whose
    session is unknown, expired or revoked (`refresh_invalid`), answers 200 `null` — never a
    token — and clears a dead cookie so it is not sent again. A browser logs every 401 as an
    error. A reused token (`refresh_reused`, possible theft) and a disabled account still fail.
    """
    ensure_same_site(app.current_request.headers)
    token = refresh_token_from(app.current_request.headers)
    if token is None:
        return json_response(None)
    try:
        rotated = sessions.rotate_refresh(token)
    except BookReaderError as error:
        if error.code != "refresh_invalid":
            raise
        return json_response(None, headers={"Set-Cookie": cleared_refresh_cookie(app.mount_prefix)})
    return _signed_in(users.get_user(rotated.user_id), rotated)


@app.route("/auth/logout", methods=["POST"], public=True)
def logout() -> Response:
    """Ends the session of the cookie and revokes the access token, whichever are present."""
    headers = app.current_request.headers
    ensure_same_site(headers)
    token = refresh_token_from(headers)
    if token is not None:
        sessions.revoke_refresh(token)
    access = bearer_token(headers)
    if access is not None:
        try:
            claims = verify_access_token(access)
        except BookReaderError:
            claims = None  # an invalid or expired token needs no revoking
        if claims is not None:
            deny_token(claims.jti, claims.exp)
    return Response(
        body="",
        status_code=204,
        # A response that sets a cookie is never cached (nor replayed from a cache).
        headers={
            "Set-Cookie": cleared_refresh_cookie(app.mount_prefix),
            "Cache-Control": "no-store",
        },
    )


@app.route("/auth/me", methods=["GET"])
def me() -> Response:
    return json_response(users.get_user(app.user.sub))


@app.route("/auth/me", methods=["PATCH"])
def update_me() -> Response:
    changes = parse_body(app.current_request, users.ProfileUpdate)
    return json_response(users.update_profile(app.user.sub, changes))


@app.route("/auth/password", methods=["POST"])
def change_password() -> Response:
    """Changes the password, ends every other session, and returns a new access token."""
    body = parse_body(app.current_request, PasswordBody)
    limit_password_check(app.user.sub)
    token = refresh_token_from(app.current_request.headers)
    family = sessions.family_of(token) if token else None
    users.change_password(
        app.user.sub, body.current_password, body.new_password, keep_family=family
    )
    user = users.get_user(app.user.sub)
    access = issue_access_token(user.id, user.role, session=family)
    return json_response(AccessToken(access_token=access.token, expires_in=access.expires_in))


@app.route("/account/app-passwords", methods=["GET"])
def list_app_passwords() -> Response:
    return json_response(AppPasswordList(items=app_passwords.list_app_passwords(app.user.sub)))


@app.route("/account/app-passwords", methods=["POST"])
def create_app_password() -> Response:
    body = parse_body(app.current_request, app_passwords.AppPasswordCreate)
    return json_response(app_passwords.create_app_password(app.user.sub, body), 201)


@app.route("/account/app-passwords/{app_password_id}", methods=["DELETE"])
def revoke_app_password(app_password_id: str) -> Response:
    app_passwords.revoke_app_password(app.user.sub, app_password_id)
    return Response(body="", status_code=204)
