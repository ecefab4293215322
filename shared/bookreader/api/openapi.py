"""The OpenAPI 3.1 document of the API, built from the operations table and its pydantic
models. `python -m bookreader.api.openapi > frontend/openapi.json` writes it for the web app."""

from __future__ import annotations

import functools
import json
import re
import sys
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from pydantic_core import core_schema

from bookreader.api import schemas
from bookreader.api.operations import (
    OPERATIONS,
    PATH_PARAMETERS,
    Content,
    Nullable,
    Operation,
)

SERVERS = [{"url": "/api"}]  # the stage prefix browsers see, locally, behind nginx and on AWS
SECURITY_SCHEME = "bearer"
APP_PASSWORD_SCHEME = "appPassword"
KOSYNC_USER_SCHEME, KOSYNC_KEY_SCHEME = "kosyncUser", "kosyncKey"
# How a route of each app-password scope is signed in.
APP_PASSWORD_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "opds": [{APP_PASSWORD_SCHEME: []}],
    "kosync": [{KOSYNC_USER_SCHEME: [], KOSYNC_KEY_SCHEME: []}],
}
_REF = "#/components/schemas/{model}"
_PARAMETER = re.compile(r"\{([^}]+)\}")

ERROR_MEANINGS = {  # what each error status means for a client
    400: "The request cannot be read",
    401: "Not signed in, or the token is invalid or expired",
    402: "Refused by the protocol (kosync: no registration from a device)",
    403: "Not allowed",
    404: "Not found (or not yours)",
    409: "Conflicts with the current state",
    413: "Too large",
    415: "Unsupported media type",
    422: "Validation failed: `details.fields` names each bad field",
    429: "Too many requests: wait `Retry-After` seconds",
    503: "A service it needs is unavailable",
}
TAGS = [
    ("Auth", "Accounts, sign-in, tokens and the profile"),
    ("Books", "Uploads, the library, chapters, passages and cast"),
    ("Reading", "The reading position"),
    ("Search", "Full-text search in a book or the whole library"),
    ("Illustrations", "Pictures of passages, and illustration settings"),
    ("Exports", "The book as an EPUB with its illustrations, to read elsewhere"),
    (
        "OPDS",
        "The library as an OPDS 1.2 (Atom) and 2.0 (JSON) catalogue for e-reader apps"
        " (app passwords)",
    ),
    ("KOReader", "KOReader's progress sync (the kosync protocol, app passwords)"),
    ("Admin", "User administration (administrators only)"),
    ("Health", "Probes"),
    ("Docs", "This document"),
]


class _SchemaGenerator(GenerateJsonSchema):
    """Answers always carry every field (defaults and nulls included), so clients' generated
    types need not treat any as optional; inputs keep their optional fields."""

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        if self.mode == "serialization":
            return True
        return super().field_is_required(field, total)


def _models() -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    """Every model the document names: inputs validated, outputs serialised."""
    found: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {
        (schemas.ErrorBody, "serialization"): None
    }
    for operation in OPERATIONS:
        if operation.error_model is not None:
            found[(operation.error_model, "serialization")] = None
        if operation.body is not None:
            found[(operation.body, "validation")] = None
        for response in operation.responses.values():
            if isinstance(response, Nullable):
                response = response.model
            if isinstance(response, type):
                found[(response, "serialization")] = None
    return list(found)


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent rather than null: drop the null branch of `X | None`."""
    branches = schema.get("anyOf")
    if not branches or {"type": "null"} not in branches:
        return schema
    rest = [branch for branch in branches if branch != {"type": "null"}]
    outer = {key: value for key, value in schema.items() if key != "anyOf"}
    if outer.get("default", ...) is None:
        del outer["default"]
    return {**outer, **rest[0]} if len(rest) == 1 else {**outer, "anyOf": rest}


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Each field of a query model as a parameter (query models hold no nested models)."""
    query_schema = model.model_json_schema(mode="validation", schema_generator=_SchemaGenerator)
    if "$defs" in query_schema:
        raise TypeError(f"{model.__name__}: a query parameter must be a plain value")
    required = set(query_schema.get("required", []))
    parameters = []
    for name, schema in query_schema.get("properties", {}).items():
        schema = _without_null(dict(schema))
        schema.pop("title", None)
        description = schema.pop("description", None)
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if description:
            parameter["description"] = description
        parameters.append({**parameter, "schema": schema})
    return parameters


def _path_parameters(path: str) -> list[dict[str, Any]]:
    parameters = []
    for name in _PARAMETER.findall(path):
        schema, description = PATH_PARAMETERS.get(name, ({"type": "string"}, name))
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": description,
                "schema": schema,
            }
        )
    return parameters


def _first_line(text: str | None) -> str:
    return text.strip().splitlines()[0] if text and text.strip() else ""


def _error_statuses(operation: Operation) -> list[int]:
    if operation.error_statuses is not None:
        return sorted(operation.error_statuses)
    statuses = set(operation.errors)
    if not operation.public:  # the guard: no credentials, limits, Redis down
        statuses.update((401, 429, 503))
    if operation.admin:
        statuses.add(403)
    if "{" in operation.path:
        statuses.add(404)
    if operation.body is not None or operation.query is not None:
        statuses.add(422)
    if operation.body is not None and operation.body_media_type == "application/json":
        statuses.update((400, 413, 415))
    return sorted(statuses)


def _operation(
    operation: Operation, refs: dict[tuple[type[BaseModel], JsonSchemaMode], Any]
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "operationId": operation.id,
        "summary": operation.summary,
        "tags": [operation.tag],
    }
    if operation.description:
        document["description"] = operation.description
    parameters = _path_parameters(operation.path)
    if operation.query is not None:
        parameters += _query_parameters(operation.query)
    if parameters:
        document["parameters"] = parameters
    if operation.body is not None:
        document["requestBody"] = {
            "required": operation.body_required,
            "content": {
                operation.body_media_type: {"schema": refs[(operation.body, "validation")]}
            },
        }
    responses: dict[str, Any] = {}
    for status, response in sorted(operation.responses.items()):
        if response is None:
            responses[str(status)] = {"description": "No content"}
        elif isinstance(response, Content):
            responses[str(status)] = {
                "description": "OK",
                "content": {
                    response.media_type: {"schema": response.schema},
                    **{media: {"schema": schema} for media, schema in response.also},
                },
            }
        elif isinstance(response, Nullable):
            model = response.model
            schema = {"anyOf": [refs[(model, "serialization")], {"type": "null"}]}
            responses[str(status)] = {
                "description": f"{_first_line(model.__doc__) or model.__name__}, or null",
                "content": {"application/json": {"schema": schema}},
            }
        else:
            responses[str(status)] = {
                "description": _first_line(response.__doc__) or response.__name__,
                "content": {"application/json": {"schema": refs[(response, "serialization")]}},
            }
    error_schema = refs[(operation.error_model or schemas.ErrorBody, "serialization")]
    for status in _error_statuses(operation):
        responses[str(status)] = {
            "description": ERROR_MEANINGS.get(status, "Error"),
            "content": {"application/json": {"schema": error_schema}},
        }
    responses["default"] = {
        "description": "Any other error, in the same shape (500 `internal_error`)",
        "content": {"application/json": {"schema": error_schema}},
    }
    document["responses"] = responses
    if operation.public:
        document["security"] = []
    elif operation.app_password is not None:
        document["security"] = APP_PASSWORD_SECURITY[operation.app_password]
    else:
        document["security"] = [{SECURITY_SCHEME: []}]
    return document


@functools.cache
def _schemas() -> tuple[dict[tuple[Any, JsonSchemaMode], Any], dict[str, Any]]:
    refs, definitions = models_json_schema(
        _models(), ref_template=_REF, schema_generator=_SchemaGenerator
    )
    return refs, definitions.get("$defs", {})


@functools.cache
def build_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document (built once per process)."""
    refs, components = _schemas()
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "BookReader AI",
            "version": "1.0.0",
            "description": (
                "Upload EPUB/FB2 books, read them, and see the passages that paint a picture"
                ' illustrated. Every error answers `{"error": {"code", "message",'
                ' "details"}}`. Book-supplied strings (titles, authors, TOC labels, passages)'
                " are plain text; only `html` fields hold (sanitised) markup."
            ),
        },
        "servers": SERVERS,
        "tags": [{"name": name, "description": text} for name, text in TAGS],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {
                SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                APP_PASSWORD_SCHEME: {
                    "type": "http",
                    "scheme": "basic",
                    "description": (
                        "The account's email and an app password (Account → App passwords),"
                        " for e-reader apps; the account password is refused here."
                    ),
                },
                KOSYNC_USER_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "x-auth-user",
                    "description": "KOReader progress sync: the account's email",
                },
                KOSYNC_KEY_SCHEME: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "x-auth-key",
                    "description": (
                        "KOReader progress sync: the MD5 (hex) of an app password of scope `kosync`"
                    ),
                },
            },
        },
    }


@functools.cache
def document_text() -> str:
    """The document as written to `frontend/openapi.json` (stable order, trailing newline)."""
    return json.dumps(build_document(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document_text())
