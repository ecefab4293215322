"""Every operation of the HTTP API, as data: method, path template, what it takes and what it
answers. The OpenAPI document and the reference page are generated from this table; tests hold
it equal to `template.yaml` and to the routes the function apps declare.

Errors every operation may give are added when the document is built (401, 429 and 503 for
bearer routes, 403 for admin routes, 404 where the path names something, 422 where a body or
query is validated, 400/413/415 for JSON bodies); `errors` lists the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from bookreader.annotations.model import (
    MAX_PER_BOOK,
    Bookmark,
    BookmarkCreate,
    BookmarkList,
    Highlight,
    HighlightCreate,
    HighlightList,
    HighlightUpdate,
)
from bookreader.api import bodies, queries, schemas
from bookreader.auth.app_passwords import AppPasswordCreate, Scope
from bookreader.auth.users import AdminUserUpdate, ProfileUpdate
from bookreader.exports.pipeline import ExportRequest
from bookreader.images.preferences import PreferencesUpdate
from bookreader.kosync.protocol import (
    Authorized,
    KosyncError,
    ProgressAnswer,
    ProgressSaved,
    ProgressUpdate,
)
from bookreader.library.positions import PositionUpdate
from bookreader.library.uploads import UploadRequest
from bookreader.search.model import SearchPage
from bookreader.search.queries import SearchQuery


@dataclass(frozen=True)
class Content:
    """A response that is not a JSON model: its media type and JSON Schema."""

    media_type: str
    schema: dict[str, Any] = field(default_factory=dict)
    # Other media types the same answer may have (chosen by a query parameter).
    also: tuple[tuple[str, dict[str, Any]], ...] = ()


NoContent = None
EXPORT = Content(
    "text/markdown",
    {"type": "string"},
    also=(("application/json", {"type": "object"}), ("text/csv", {"type": "string"})),
)
BINARY_IMAGE = Content("image/*", {"type": "string", "contentMediaType": "image/*"})
_XML = {"type": "string", "contentMediaType": "application/xml"}
OPDS_NAVIGATION = Content("application/atom+xml;profile=opds-catalog;kind=navigation", _XML)
OPDS_ACQUISITION = Content("application/atom+xml;profile=opds-catalog;kind=acquisition", _XML)
OPDS_JSON = Content("application/opds+json", {"type": "object"})
OPDS_PUBLICATION = Content("application/opds-publication+json", {"type": "object"})


@dataclass(frozen=True)
class Nullable:
    """A JSON answer that is the model or `null`: "nothing yet" is an ordinary answer, not a
    404 (a book never opened has no reading position; browsers log every 404 as an error)."""

    model: type[BaseModel]


Response = type[BaseModel] | Content | Nullable | None


@dataclass(frozen=True)
class Operation:
    id: str  # operationId, camelCase
    method: str
    path: str  # as in template.yaml
    summary: str
    tag: str
    responses: dict[int, Response]
    body: type[BaseModel] | None = None
    body_media_type: str = "application/json"
    body_required: bool = True
    query: type[queries.Query] | None = None
    public: bool = False
    admin: bool = False
    # Signed in with an app password of this scope instead of a bearer token (HTTP Basic; the
    # kosync scope: KOReader's x-auth-user / x-auth-key headers).
    app_password: Scope | None = None
    errors: tuple[int, ...] = ()
    description: str = ""
    # A protocol of its own (kosync): its errors have this shape and exactly these statuses.
    error_model: type[BaseModel] | None = None
    error_statuses: tuple[int, ...] | None = None
    # Also answered to HEAD: the same headers without the body (an operation of its own).
    head: bool = False

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def head_of(operation: Operation) -> Operation:
    """The HEAD twin of a GET operation: the same status and headers, no body."""
    return replace(
        operation,
        id=f"head{operation.id[0].upper()}{operation.id[1:]}",
        method="HEAD",
        summary=f"{operation.summary} — headers only",
        responses={status: NoContent for status in operation.responses},
        description="Answers like GET without the body (KOReader checks a feed with HEAD).",
        head=False,
    )


_DECLARED: tuple[Operation, ...] = (
    # --- health and the contract itself ---------------------------------------------------
    Operation(
        "getHealth", "GET", "/health", "Liveness", "Health", {200: schemas.Live}, public=True
    ),
    Operation(
        "getReadiness",
        "GET",
        "/health/ready",
        "Readiness: PostgreSQL, Redis and the object store answer",
        "Health",
        {200: schemas.Ready},
        public=True,
        errors=(503,),
        description="503 `not_ready` names what is down in `details.down`.",
    ),
    Operation(
        "getOpenApi",
        "GET",
        "/openapi.json",
        "This API as an OpenAPI 3.1 document",
        "Docs",
        {200: Content("application/json", {"type": "object"})},
        public=True,
    ),
    Operation(
        "getApiReference",
        "GET",
        "/docs",
        "This API as a readable page",
        "Docs",
        {200: Content("text/html", {"type": "string"})},
        public=True,
    ),
    # --- auth -------------------------------------------------------------------------------
    Operation(
        "register",
        "POST",
        "/auth/register",
        "Create an account and sign in",
        "Auth",
        {201: schemas.SignedIn},
        body=bodies.RegisterBody,
        public=True,
        errors=(409, 422, 429),
        description=(
            "Sets the refresh cookie. 409 `email_taken`: it tells whether an account exists, the"
            " honest answer a person registering needs; so registration is limited per client"
            " address (3 a minute: a list of emails cannot be tested quickly) and per target"
            " email whatever the address (5 a minute: one person's address cannot be probed"
            " from many). 422 `email_invalid` (`details.reason`:"
            " `malformed`, `mixed_scripts`, `imitates_latin`) or `password_weak`"
            " (`details.reason`: `too_short`, `too_common`, `too_simple`, `too_guessable`,"
            " `same_as_email`, `contains_email`, `contains_product_name`, …). 429 with"
            " `Retry-After`."
        ),
    ),
    Operation(
        "login",
        "POST",
        "/auth/login",
        "Sign in",
        "Auth",
        {200: schemas.SignedIn},
        body=bodies.LoginBody,
        public=True,
        errors=(401, 429),
        description=(
            "Sets the refresh cookie. 401 `invalid_credentials`. 429 `rate_limited` (per address"
            " and email, per address) or `login_locked`: after 10 unsuccessful sign-ins to one"
            " account, from any addresses, each attempt waits twice as long as the last (2 s up"
            " to 15 min); a successful sign-in resets it. Both with `Retry-After`."
        ),
    ),
    Operation(
        "refresh",
        "POST",
        "/auth/refresh",
        "A new access token from the refresh cookie",
        "Auth",
        {200: Nullable(schemas.SignedIn)},
        public=True,
        errors=(401, 403),
        description=(
            "Rotates the refresh cookie. `null` when there is no session to renew: no cookie,"
            " or one whose session is unknown, expired or revoked (that cookie is cleared) — a"
            " signed-out visitor is ordinary, not an error. Reusing an already rotated cookie"
            " ends the whole session and the access tokens it issued (401 `refresh_reused`,"
            " then 401 `token_revoked` from those tokens). 403 `account_disabled`;"
            " 403 `origin_forbidden` for a request from another site (`Origin`/`Sec-Fetch-Site`)."
        ),
    ),
    Operation(
        "logout",
        "POST",
        "/auth/logout",
        "Sign out",
        "Auth",
        {204: NoContent},
        public=True,
        errors=(403,),
        description=(
            "Ends the cookie's session with its access tokens, and revokes the bearer token, if"
            " sent. 403 `origin_forbidden` for a request from another site."
        ),
    ),
    Operation("getMe", "GET", "/auth/me", "The signed-in user", "Auth", {200: schemas.User}),
    Operation(
        "updateMe",
        "PATCH",
        "/auth/me",
        "Change display name, language or reader preferences",
        "Auth",
        {200: schemas.User},
        body=ProfileUpdate,
    ),
    Operation(
        "changePassword",
        "POST",
        "/auth/password",
        "Change the password (ends the other sessions)",
        "Auth",
        {200: schemas.AccessToken},
        body=bodies.PasswordBody,
        errors=(429,),
    ),
    Operation(
        "listAppPasswords",
        "GET",
        "/account/app-passwords",
        "The app passwords of the user's e-reader devices",
        "Auth",
        {200: schemas.AppPasswordList},
    ),
    Operation(
        "createAppPassword",
        "POST",
        "/account/app-passwords",
        "Create an app password for a device (the secret is shown once)",
        "Auth",
        {201: schemas.CreatedAppPassword},
        body=AppPasswordCreate,
        errors=(409,),
        description=(
            "An app password signs an e-reader app in (HTTP Basic: the account's email and the"
            " password) to the OPDS catalogue (`opds`) or KOReader progress sync (`kosync`),"
            " never to this API or the sign-in page. 409 `app_password_limit` past 20."
        ),
    ),
    Operation(
        "revokeAppPassword",
        "DELETE",
        "/account/app-passwords/{app_password_id}",
        "Revoke an app password: its device is refused from its next request",
        "Auth",
        {204: NoContent},
    ),
    # --- uploads and the library ----------------------------------------------------------
    Operation(
        "requestUpload",
        "POST",
        "/uploads",
        "Start an upload: a presigned URL to PUT the file to",
        "Books",
        {201: schemas.UploadResult, 200: schemas.UploadResult},
        body=UploadRequest,
        errors=(403, 413, 415),
        description=(
            "201 with `upload` for a new book; 200 with `existing: true` and no `upload` when"
            " the `sha256` is already in the library. Parsing starts when the file lands."
        ),
    ),
    Operation(
        "uploadBook",
        "POST",
        "/books",
        "Upload a small book in the request (multipart)",
        "Books",
        {201: schemas.UploadResult, 200: schemas.UploadResult},
        body=bodies.BookFileForm,
        body_media_type="multipart/form-data",
        errors=(400, 403, 413, 415),
        description="201 for a new book; 200 with `existing: true` for a file already there.",
    ),
    Operation(
        "listBooks",
        "GET",
        "/books",
        "The reader's books: filter, sort, page",
        "Books",
        {200: schemas.BookPage},
        query=queries.BookListQuery,
    ),
    Operation(
        "getBook",
        "GET",
        "/books/{book_id}",
        "One book, its TOC and chapters",
        "Books",
        {200: schemas.BookDetail},
    ),
    Operation(
        "deleteBook",
        "DELETE",
        "/books/{book_id}",
        "Delete a book, its pictures and files",
        "Books",
        {204: NoContent},
    ),
    Operation(
        "getChapter",
        "GET",
        "/books/{book_id}/chapters/{index}",
        "One chapter: HTML, plain text, paragraph offsets, its footnotes",
        "Books",
        {200: schemas.ChapterView},
    ),
    Operation(
        "getCover",
        "GET",
        "/books/{book_id}/cover",
        "The book's cover picture",
        "Books",
        {200: BINARY_IMAGE, 304: NoContent},
    ),
    Operation(
        "getBookImage",
        "GET",
        "/books/{book_id}/images/{image_id}",
        "A picture inside the book",
        "Books",
        {200: BINARY_IMAGE, 304: NoContent},
        description="Chapter HTML links these through short-lived URLs already.",
    ),
    Operation(
        "listDescriptions",
        "GET",
        "/books/{book_id}/descriptions",
        "Passages that paint a picture, in reading order",
        "Books",
        {200: schemas.DescriptionPage},
        query=queries.DescriptionListQuery,
    ),
    Operation(
        "getCast",
        "GET",
        "/books/{book_id}/cast",
        "The book's characters and places the reader has met",
        "Books",
        {200: schemas.CastList},
        query=queries.CastQuery,
        description="No spoilers: only members first met in a chapter up to the saved reading"
        " position's (none before the first save); the rest are counted in `hidden`."
        " `unread=true` lists them all.",
    ),
    # --- reading --------------------------------------------------------------------------
    Operation(
        "getPosition",
        "GET",
        "/books/{book_id}/position",
        "Where the reader is in the book",
        "Reading",
        {200: Nullable(schemas.ReadingPosition)},
        description="`null` before the first save (a book not started yet). `devices` lists"
        ' where each device the reader saved from was last ("where was I on each device").',
    ),
    Operation(
        "savePosition",
        "PUT",
        "/books/{book_id}/position",
        "Save the reading position (chapter, offset in its plain text)",
        "Reading",
        {200: schemas.SavedPosition},
        body=PositionUpdate,
        errors=(409,),
        description="Send the `version` last seen as `based_on`. 409 `position_conflict` when"
        " another device moved the position since: `details.current` is the server's position,"
        " `details.yours` the refused save (kept as this device's own place); save again based on"
        " `details.current.version` to stay at yours. 409 `book_not_readable` before the book has"
        " chapters. With automatic illustration on, also queues pictures just ahead.",
    ),
    # --- search -------------------------------------------------------------------------
    Operation(
        "searchBook",
        "GET",
        "/books/{book_id}/search",
        "Find words in the book: hits with offsets and snippets",
        "Search",
        {200: SearchPage},
        query=SearchQuery,
        description="Stemmed by the chapter's language (Russian, English; others as written),"
        " case, accents and ё/е ignored. Any query text is accepted: one that finds nothing"
        " (only stop words, stray operators) answers an empty page.",
    ),
    Operation(
        "searchLibrary",
        "GET",
        "/search",
        "Find words in all your books",
        "Search",
        {200: SearchPage},
        query=SearchQuery,
        description="Like a book's search, over every book; the first page also lists the"
        " matching books (`books`).",
    ),
    # --- annotations: bookmarks, highlights, notes, export ----------------------------------
    Operation(
        "listBookmarks",
        "GET",
        "/books/{book_id}/bookmarks",
        "The reader's bookmarks in the book",
        "Annotations",
        {200: BookmarkList},
    ),
    Operation(
        "createBookmark",
        "POST",
        "/books/{book_id}/bookmarks",
        "Bookmark a place (chapter, offset in its plain text)",
        "Annotations",
        {201: Bookmark},
        body=BookmarkCreate,
        errors=(409,),
        description="422 names `chapter` or `offset` when the place is not in the book; 409"
        f" `too_many_bookmarks` past {MAX_PER_BOOK} in one book.",
    ),
    Operation(
        "deleteBookmark",
        "DELETE",
        "/bookmarks/{bookmark_id}",
        "Delete a bookmark",
        "Annotations",
        {204: NoContent},
    ),
    Operation(
        "listHighlights",
        "GET",
        "/books/{book_id}/highlights",
        "The reader's highlights and notes in the book",
        "Annotations",
        {200: HighlightList},
        description="Detached ones (a re-parse changed the text and their quote was not found"
        " again) are listed too, with `detached: true`.",
    ),
    Operation(
        "createHighlight",
        "POST",
        "/books/{book_id}/highlights",
        "Highlight a passage, optionally with a note",
        "Annotations",
        {201: Highlight},
        body=HighlightCreate,
        errors=(409,),
        description="`quote` must equal the chapter's text from `start` to `end` (422 naming"
        " `quote`; offsets outside the text name `end`). The note is Markdown, at most 10 kB,"
        f" stored as text. 409 `too_many_highlights` past {MAX_PER_BOOK} in one book.",
    ),
    Operation(
        "updateHighlight",
        "PATCH",
        "/highlights/{highlight_id}",
        "Change a highlight's colour or note",
        "Annotations",
        {200: Highlight},
        body=HighlightUpdate,
    ),
    Operation(
        "deleteHighlight",
        "DELETE",
        "/highlights/{highlight_id}",
        "Delete a highlight",
        "Annotations",
        {204: NoContent},
    ),
    Operation(
        "exportBookAnnotations",
        "GET",
        "/books/{book_id}/annotations/export",
        "Download the book's highlights, notes and bookmarks",
        "Annotations",
        {200: EXPORT},
        query=queries.AnnotationExportQuery,
        description="An attachment: Markdown grouped by chapter, JSON with offsets and anchors,"
        " or CSV in Readwise's import columns (Highlight, Title, Author, URL, Note, Location,"
        " Date).",
    ),
    Operation(
        "exportAllAnnotations",
        "GET",
        "/annotations/export",
        "Download the highlights, notes and bookmarks of all the reader's books",
        "Annotations",
        {200: EXPORT},
        query=queries.AnnotationExportQuery,
    ),
    # --- illustrations --------------------------------------------------------------------
    Operation(
        "requestIllustration",
        "POST",
        "/descriptions/{description_id}/illustrations",
        "Illustrate a passage",
        "Illustrations",
        {202: schemas.Illustration, 200: schemas.Illustration},
        body=bodies.IllustrationRequest,
        body_required=False,
        errors=(429, 503),
        description="202 queued; 200 when this passage already has that picture.",
    ),
    Operation(
        "illustrateSpan",
        "POST",
        "/books/{book_id}/illustrations",
        "Illustrate any passage the reader chose (chapter, start, end)",
        "Illustrations",
        {202: schemas.Illustration, 200: schemas.Illustration},
        body=bodies.SpanIllustrationRequest,
        errors=(429, 503),
        description="Same quota and pipeline as a description's picture. 422 names the field"
        " when the span is not in the chapter's text (at most 2,000 characters). 202 queued;"
        " 200 when this span already has that picture.",
    ),
    Operation(
        "listIllustrations",
        "GET",
        "/books/{book_id}/illustrations",
        "The book's illustrations (gallery)",
        "Illustrations",
        {200: schemas.IllustrationList},
        query=queries.IllustrationListQuery,
    ),
    Operation(
        "listRecentIllustrations",
        "GET",
        "/illustrations",
        "The newest ready illustrations across the user's books",
        "Illustrations",
        {200: schemas.RecentIllustrationList},
        query=queries.RecentIllustrationQuery,
    ),
    Operation(
        "getIllustration",
        "GET",
        "/illustrations/{illustration_id}",
        "One illustration: state, prompt, picture URLs",
        "Illustrations",
        {200: schemas.Illustration},
    ),
    Operation(
        "regenerateIllustration",
        "POST",
        "/illustrations/{illustration_id}/regenerate",
        "Draw the passage again (optionally in another style)",
        "Illustrations",
        {202: schemas.Illustration, 200: schemas.Illustration},
        body=bodies.IllustrationRequest,
        body_required=False,
        errors=(429, 503),
    ),
    Operation(
        "deleteIllustration",
        "DELETE",
        "/illustrations/{illustration_id}",
        "Delete an illustration",
        "Illustrations",
        {204: NoContent},
    ),
    Operation(
        "getIllustrationSettings",
        "GET",
        "/settings/illustrations",
        "Illustration preferences and today's quota",
        "Illustrations",
        {200: schemas.IllustrationSettings},
    ),
    Operation(
        "updateIllustrationSettings",
        "PATCH",
        "/settings/illustrations",
        "Change illustration preferences",
        "Illustrations",
        {200: schemas.IllustrationSettings},
        body=PreferencesUpdate,
    ),
    # --- exports --------------------------------------------------------------------------
    Operation(
        "requestExport",
        "POST",
        "/books/{book_id}/exports",
        "Build the book as an EPUB with the reader's illustrations",
        "Exports",
        {202: schemas.Export, 200: schemas.Export},
        body=ExportRequest,
        errors=(409, 503),
        description=(
            "202 with the export to follow (`GET /exports/{export_id}`) while it is built; 200"
            " with the finished one when this book, its pictures and these options were built"
            " before (the file is kept until the book or its pictures change). 409"
            " `book_not_ready` until the book has been read in (`details.state`); 422"
            " `validation_failed` names a bad field (`format`: only `epub`), `style_unknown`."
        ),
    ),
    Operation(
        "getExport",
        "GET",
        "/exports/{export_id}",
        "An export's state, and a short-lived download URL when it is ready",
        "Exports",
        {200: schemas.Export},
        description="A failed export has `error` with a reason in words; ask for it again.",
    ),
    # --- the OPDS catalogue (e-reader apps, HTTP Basic with an app password) ---------------
    Operation(
        "getOpdsRoot",
        "GET",
        "/opds",
        "The catalogue's root (OPDS 1.2 navigation feed)",
        "OPDS",
        {200: OPDS_NAVIGATION},
        app_password="opds",
        head=True,
        description=(
            "Add this URL to an OPDS app with the account's email and an app password of scope"
            " `opds`. Every 401 carries `WWW-Authenticate: Basic`. Failed attempts are limited"
            " like sign-in (per address and email, per address, and a per-account lockout):"
            " 429 with `Retry-After`."
        ),
    ),
    Operation(
        "getOpdsRecent",
        "GET",
        "/opds/recent",
        "The newest books (acquisition feed, paged)",
        "OPDS",
        {200: OPDS_ACQUISITION},
        query=queries.OpdsPageQuery,
        app_password="opds",
        head=True,
    ),
    Operation(
        "getOpdsBooks",
        "GET",
        "/opds/books",
        "All books A–Z, or one author's, or one language's (acquisition feed, paged)",
        "OPDS",
        {200: OPDS_ACQUISITION},
        query=queries.OpdsBooksQuery,
        app_password="opds",
        head=True,
    ),
    Operation(
        "getOpdsAuthors",
        "GET",
        "/opds/authors",
        "Authors A–Z (navigation feed, paged)",
        "OPDS",
        {200: OPDS_NAVIGATION},
        query=queries.OpdsPageQuery,
        app_password="opds",
        head=True,
    ),
    Operation(
        "getOpdsLanguages",
        "GET",
        "/opds/languages",
        "The languages of the library (navigation feed)",
        "OPDS",
        {200: OPDS_NAVIGATION},
        app_password="opds",
        head=True,
    ),
    Operation(
        "searchOpds",
        "GET",
        "/opds/search",
        "Books whose title or authors hold every word, then books whose text matches"
        " (acquisition feed, paged)",
        "OPDS",
        {200: OPDS_ACQUISITION},
        query=queries.OpdsSearchQuery,
        app_password="opds",
        head=True,
        description=(
            "Titles and authors match every word (newest first); the books' text is searched"
            " like `GET /search` (stemmed, best first, at most 50 books)."
        ),
    ),
    Operation(
        "getOpdsOpenSearch",
        "GET",
        "/opds/opensearch.xml",
        "The OpenSearch description of the catalogue's search",
        "OPDS",
        {200: Content("application/opensearchdescription+xml", _XML)},
        app_password="opds",
        head=True,
    ),
    Operation(
        "downloadOpdsBook",
        "GET",
        "/opds/books/{book_id}/file",
        "Download the book's original file",
        "OPDS",
        {302: NoContent},
        app_password="opds",
        errors=(409,),
        description=(
            "302 to a short-lived URL of the file (EPUB `application/epub+zip`, FB2"
            " `application/x-fictionbook+xml`, zipped FB2 `application/fb2+zip`); apps follow"
            " it and send no credentials to the store. 409 `book_not_ready` before parsing."
        ),
    ),
    # --- KOReader progress sync (the kosync protocol, KOReader's headers) -----------------
    Operation(
        "kosyncRegister",
        "POST",
        "/kosync/users/create",
        "Register a KOReader account: always refused",
        "KOReader",
        {},
        public=True,
        error_model=KosyncError,
        error_statuses=(402,),
        description=(
            "Accounts are made in the web app, not from a device: 402 with code 2005 and a"
            " message KOReader shows (create an app password of scope `kosync`, then log in"
            " with the account's email and it)."
        ),
    ),
    Operation(
        "kosyncAuthorize",
        "GET",
        "/kosync/users/auth",
        "Check KOReader's credentials",
        "KOReader",
        {200: Authorized},
        app_password="kosync",
        error_model=KosyncError,
        error_statuses=(401, 429, 503),
        description=(
            "`x-auth-user`: the account's email; `x-auth-key`: the MD5 (hex) of an app"
            " password of scope `kosync`. 401 code 2001 otherwise; failed attempts are limited"
            " like sign-in (429 with `Retry-After`)."
        ),
    ),
    Operation(
        "kosyncPushProgress",
        "PUT",
        "/kosync/syncs/progress",
        "KOReader pushes its place in a document",
        "KOReader",
        {200: ProgressSaved},
        body=ProgressUpdate,
        app_password="kosync",
        error_model=KosyncError,
        error_statuses=(401, 403, 429, 503),
        description=(
            "Kept for any document; when the document is one of the reader's books (KOReader's"
            " partial MD5 of the original file, or the MD5 of its name) it becomes the book's"
            " position, saved as device `KOReader on <device>`. 403 code 2004 without a valid"
            " `document`, 2003 for any other bad field."
        ),
    ),
    Operation(
        "kosyncPullProgress",
        "GET",
        "/kosync/syncs/progress/{document}",
        "The newest place in a document, from any device",
        "KOReader",
        {200: ProgressAnswer},
        app_password="kosync",
        error_model=KosyncError,
        error_statuses=(401, 403, 429, 503),
        description=(
            "`{}` when nothing is known. A place the web reader saved comes as the XPointer of"
            " its paragraph when the document is the book's original EPUB (else an empty"
            " `progress`), and always with its `percentage` (0–1)."
        ),
    ),
    Operation(
        "downloadOpdsIllustrated",
        "GET",
        "/opds/books/{book_id}/illustrated.epub",
        "Download the book as an EPUB with its illustrations",
        "OPDS",
        {302: NoContent},
        app_password="opds",
        errors=(409, 503),
        description=(
            "Starts or reuses the cached illustrated export (as `POST /books/{book_id}/exports`"
            " with `illustrations: ready`). 302 to a short-lived URL of the EPUB once it is"
            " built; 503 `export_in_progress` with `Retry-After` (seconds) and"
            " `details.progress` while it is being made. 409 `book_not_ready` until the book"
            " is `ready`. Feeds offer the link for ready books only."
        ),
    ),
    # --- the same catalogue as OPDS 2.0 (JSON), for the apps that read it -----------------
    Operation(
        "getOpds2Root",
        "GET",
        "/opds/v2",
        "The catalogue's root (OPDS 2.0 navigation feed)",
        "OPDS",
        {200: OPDS_JSON},
        app_password="opds",
        head=True,
        description=(
            "The feeds of `/opds` as OPDS 2.0 JSON (`application/opds+json`), for apps that read"
            " it (Thorium, Readium); same credentials and limits. Search is the templated"
            " `search` link (`{?query}`); downloads are the `/opds/books/{book_id}/…` routes."
        ),
    ),
    Operation(
        "getOpds2Recent",
        "GET",
        "/opds/v2/recent",
        "The newest books (OPDS 2.0 publications feed, paged)",
        "OPDS",
        {200: OPDS_JSON},
        query=queries.OpdsPageQuery,
        app_password="opds",
        head=True,
    ),
    Operation(
        "getOpds2Books",
        "GET",
        "/opds/v2/books",
        "All books A–Z, or one author's, or one language's (OPDS 2.0 publications feed, paged)",
        "OPDS",
        {200: OPDS_JSON},
        query=queries.OpdsBooksQuery,
        app_password="opds",
        head=True,
    ),
    Operation(
        "getOpds2Publication",
        "GET",
        "/opds/v2/books/{book_id}",
        "One book (OPDS 2.0 publication)",
        "OPDS",
        {200: OPDS_PUBLICATION},
        app_password="opds",
        head=True,
        errors=(409,),
        description="409 `book_not_ready` for a book that cannot be opened yet.",
    ),
    Operation(
        "getOpds2Authors",
        "GET",
        "/opds/v2/authors",
        "Authors A–Z (OPDS 2.0 navigation feed, paged)",
        "OPDS",
        {200: OPDS_JSON},
        query=queries.OpdsPageQuery,
        app_password="opds",
        head=True,
    ),
    Operation(
        "getOpds2Languages",
        "GET",
        "/opds/v2/languages",
        "The languages of the library (OPDS 2.0 navigation feed)",
        "OPDS",
        {200: OPDS_JSON},
        app_password="opds",
        head=True,
    ),
    Operation(
        "searchOpds2",
        "GET",
        "/opds/v2/search",
        "Books whose title or authors hold every word, then books whose text matches"
        " (OPDS 2.0 publications feed, paged)",
        "OPDS",
        {200: OPDS_JSON},
        query=queries.Opds2SearchQuery,
        app_password="opds",
        head=True,
    ),
    # --- administration -------------------------------------------------------------------
    Operation(
        "getAdminOverview",
        "GET",
        "/admin/overview",
        "Counts of users, books by state, today's images, dead letters",
        "Admin",
        {200: schemas.AdminOverview},
        admin=True,
    ),
    Operation(
        "listUsers",
        "GET",
        "/admin/users",
        "Find users",
        "Admin",
        {200: schemas.UserPage},
        query=queries.UserListQuery,
        admin=True,
    ),
    Operation(
        "updateUser",
        "PATCH",
        "/admin/users/{user_id}",
        "Change a user's role or disable them",
        "Admin",
        {200: schemas.User},
        body=AdminUserUpdate,
        admin=True,
    ),
    Operation(
        "getImageQuota",
        "GET",
        "/admin/users/{user_id}/image-quota",
        "A user's daily image quota",
        "Admin",
        {200: schemas.ImageQuota},
        admin=True,
    ),
    Operation(
        "setImageQuota",
        "PUT",
        "/admin/users/{user_id}/image-quota",
        "Set (or with null clear) a user's daily image quota",
        "Admin",
        {200: schemas.ImageQuota},
        body=bodies.QuotaUpdate,
        admin=True,
    ),
    Operation(
        "reparseBook",
        "POST",
        "/admin/books/{book_id}/parse",
        "Parse a book's file again (after a parser fix)",
        "Admin",
        {202: schemas.ReparseQueued},
        admin=True,
        errors=(409, 503),
        description="Highlights, bookmarks and descriptions are re-anchored in the new text by"
        " their quote and context (those that cannot be placed stay, `detached`); then"
        " extraction runs again. 409 `book_not_reparsable` while the book is being processed.",
    ),
    Operation(
        "rerunExtraction",
        "POST",
        "/admin/books/{book_id}/extract",
        "Run extraction again for any book",
        "Admin",
        {202: schemas.ExtractionQueued},
        admin=True,
        errors=(409, 503),
    ),
)

OPERATIONS: tuple[Operation, ...] = _DECLARED + tuple(
    head_of(operation) for operation in _DECLARED if operation.head
)
BY_KEY: dict[str, Operation] = {operation.key: operation for operation in OPERATIONS}

# Path parameters by name: their schema and meaning.
PATH_PARAMETERS: dict[str, tuple[dict[str, Any], str]] = {
    "book_id": ({"type": "string", "format": "uuid"}, "A book's id"),
    "index": (
        {"type": "integer", "minimum": 0, "maximum": queries.PG_INT_MAX},
        "The chapter's index (from 0)",
    ),
    "image_id": (
        {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"},
        "A picture's id within the book",
    ),
    "description_id": ({"type": "string", "format": "uuid"}, "A passage's id"),
    "illustration_id": ({"type": "string", "format": "uuid"}, "An illustration's id"),
    "user_id": ({"type": "string", "format": "uuid"}, "A user's id"),
    "bookmark_id": ({"type": "string", "format": "uuid"}, "A bookmark's id"),
    "highlight_id": ({"type": "string", "format": "uuid"}, "A highlight's id"),
    "export_id": ({"type": "string", "format": "uuid"}, "An export's id"),
    "app_password_id": ({"type": "string", "format": "uuid"}, "An app password's id"),
    "document": (
        {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
        "KOReader's id of a document (the partial MD5 of its file, or the MD5 of its name)",
    ),
}
