"""The OpenAPI document tells the truth about the routes: it lists exactly the template's
routes with their auth requirement, the function apps declare exactly the table's routes, the
committed copy for the web app is current, and query strings are checked as documented."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from openapi_spec_validator import validate

from bookreader.api.openapi import APP_PASSWORD_SECURITY, build_document, document_text
from bookreader.api.operations import OPERATIONS
from bookreader.api.queries import PG_INT_MAX, BookListQuery, DescriptionListQuery, UserListQuery
from bookreader.errors import BookReaderError
from bookreader.http import parse_query
from local.template import load_topology

ROOT = Path(__file__).resolve().parent.parent
TOPOLOGY = load_topology(
    ROOT / "template.yaml", {"DatabaseUrl": "x", "RedisUrl": "y", "JwtSecret": "x" * 32}
)
METHODS = {"get", "head", "put", "post", "patch", "delete"}


def _template_routes() -> dict[str, str]:
    """ "METHOD /path" of every API route in the template → how it is signed in: `public`,
    `bearer`, or `appPassword:<scope>`."""
    routes = {}
    for route in TOPOLOGY.routes:
        spec = TOPOLOGY.functions[route.function]
        key = f"{route.method} {route.path}"
        if key in spec.public_routes:
            routes[key] = "public"
        elif key in spec.app_password_routes:
            routes[key] = f"appPassword:{spec.app_password_routes[key]}"
        else:
            routes[key] = "bearer"
    return routes


def _document_routes() -> dict[str, str]:
    document = build_document()
    scopes = {operation.key: operation.app_password for operation in OPERATIONS}
    routes = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            key = f"{method.upper()} {path}"
            security = operation["security"]
            if security == []:
                routes[key] = "public"
            elif security in APP_PASSWORD_SECURITY.values():
                assert security == APP_PASSWORD_SECURITY[scopes[key] or ""], key
                routes[key] = f"appPassword:{scopes[key]}"
            else:
                routes[key] = "bearer"
    return routes


def test_the_document_is_valid_openapi_3_1() -> None:
    document = build_document()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "/api"}]


def test_every_template_route_is_documented_with_its_auth_and_nothing_else() -> None:
    assert _document_routes() == _template_routes()


def test_private_operations_require_the_bearer_scheme_or_an_app_password() -> None:
    document = build_document()
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    basic = document["components"]["securitySchemes"]["appPassword"]
    assert (basic["type"], basic["scheme"]) == ("http", "basic")
    for name in ("kosyncUser", "kosyncKey"):
        header = document["components"]["securitySchemes"][name]
        assert (header["type"], header["in"]) == ("apiKey", "header")
    app_password_paths = set()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if operation["security"]:
                assert operation["security"] in (
                    [{"bearer": []}],
                    *APP_PASSWORD_SECURITY.values(),
                )
                assert "401" in operation["responses"], (method, path)
                assert "429" in operation["responses"], (method, path)
            if operation["security"] in APP_PASSWORD_SECURITY.values():
                app_password_paths.add(path)
    assert app_password_paths and all(
        path.startswith(("/opds", "/kosync")) for path in app_password_paths
    )


def _load_app(function_dir: Path):
    spec = importlib.util.spec_from_file_location(
        f"app_{function_dir.name}", function_dir / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


def test_function_apps_declare_exactly_the_table_with_the_same_auth() -> None:
    declared: dict[str, tuple[bool, bool, str | None]] = {}
    for app_file in sorted((ROOT / "functions").glob("*/app.py")):
        app = _load_app(app_file.parent)
        for path, methods in app.routes.items():
            for method in methods:
                key = f"{method} {path}"
                declared[key] = (
                    key in app.public_routes,
                    app.role_routes.get(key) == "admin",
                    app.app_password_routes.get(key),
                )
    table = {
        operation.key: (operation.public, operation.admin, operation.app_password)
        for operation in OPERATIONS
    }
    assert declared == table


def test_the_committed_document_for_the_web_app_is_current() -> None:
    committed = (ROOT / "frontend" / "openapi.json").read_text(encoding="utf-8")
    assert committed == document_text(), (
        "stale: run `make openapi` and commit frontend/openapi.json"
    )


def test_the_command_writes_the_document() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bookreader.api.openapi"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(result.stdout) == build_document()


def test_every_integer_query_parameter_fits_postgresql() -> None:
    for methods in build_document()["paths"].values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["schema"].get("type") == "integer":
                    assert parameter["schema"]["maximum"] <= PG_INT_MAX, parameter


@pytest.mark.parametrize(
    ("model", "query", "field"),
    [
        (BookListQuery, {"page": "²"}, "page"),  # superscript two: str.isdigit() says yes
        (BookListQuery, {"page": "١٢"}, "page"),  # Arabic-Indic digits
        (BookListQuery, {"page_size": "１０"}, "page_size"),  # fullwidth digits
        (BookListQuery, {"page": "99999999999999999999"}, "page"),
        (BookListQuery, {"page": "-1"}, "page"),
        (BookListQuery, {"page": "1e3"}, "page"),
        (BookListQuery, {"author": "Пуш\x00кин"}, "author"),
        (BookListQuery, {"language": "ru\x00"}, "language"),
        (BookListQuery, {"state": "lost"}, "state"),
        (BookListQuery, {"pgae": "2"}, "pgae"),
        (DescriptionListQuery, {"chapter": str(PG_INT_MAX + 1)}, "chapter"),
        (DescriptionListQuery, {"min_confidence": "nan"}, "min_confidence"),
        (
            DescriptionListQuery,
            {"cursor": f"{PG_INT_MAX + 1}.0.{'0' * 8}-0000-0000-0000-{'0' * 12}"},
            "cursor",
        ),
        (
            DescriptionListQuery,
            {"cursor": "1.2.urn:uuid:00000000-0000-0000-0000-000000000000"},
            "cursor",
        ),
        (UserListQuery, {"q": "\x00"}, "q"),
    ],
)
def test_bad_query_values_name_their_field(model, query: dict, field: str) -> None:
    with pytest.raises(BookReaderError) as caught:
        parse_query(SimpleNamespace(query_params=query), model)  # type: ignore[arg-type]
    error = caught.value
    assert (error.status, error.code) == (422, "validation_failed")
    assert [item["field"] for item in error.details["fields"]] == [field]


def test_good_query_values_parse() -> None:
    params = {"page": "2", "page_size": "100", "sort": "title", "author": "Пушкин", "state": ""}
    query = parse_query(SimpleNamespace(query_params=params), BookListQuery)  # type: ignore[arg-type]
    assert (query.page, query.page_size, query.author, query.descending) == (
        2,
        100,
        "Пушкин",
        False,
    )


def test_a_handler_parsing_another_model_than_documented_fails_loudly() -> None:
    request = SimpleNamespace(
        method="GET", context={"resourcePath": "/books"}, query_params={"q": "x"}
    )
    with pytest.raises(RuntimeError, match="GET /books parses UserListQuery"):
        parse_query(request, UserListQuery)  # type: ignore[arg-type]
