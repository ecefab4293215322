"""Every Chalice route is in the template and every template route in a Chalice app."""

import importlib.util
from pathlib import Path

import pytest

from local.template import load_topology

ROOT = Path(__file__).parent.parent
TEMPLATES = [ROOT / "template.yaml", ROOT / "tests/fixtures/runtime/template.yaml"]
PARAMETERS = {"DatabaseUrl": "postgresql://x", "RedisUrl": "redis://x", "JwtSecret": "x" * 32}


def chalice_routes(spec) -> set[tuple[str, str]] | None:
    """(path, method) of the function's Chalice app, or None if the handler is not one."""
    app = load_app(spec)
    if app is None:
        return None
    return {(route, method) for route, methods in app.routes.items() for method in methods}


@pytest.mark.parametrize("template", TEMPLATES, ids=["production", "fixture"])
def test_chalice_routes_match_template(template: Path) -> None:
    topology = load_topology(template, PARAMETERS)
    checked = 0
    for spec in topology.functions.values():
        in_app = chalice_routes(spec)
        if in_app is None:
            continue
        in_template = {(route.path, route.method) for route in spec.routes}
        assert in_app - in_template == set(), f"{spec.name}: routes missing from the template"
        assert in_template - in_app == set(), f"{spec.name}: template routes no view serves"
        checked += 1
    assert checked >= 1


def load_app(spec):
    """The function's Chalice app object, or None when its handler is not one."""
    module_name, _, attribute = spec.handler.rpartition(".")
    loader_spec = importlib.util.spec_from_file_location(
        f"contract_{spec.name}", spec.code_uri / f"{module_name}.py"
    )
    module = importlib.util.module_from_spec(loader_spec)
    loader_spec.loader.exec_module(module)
    app = getattr(module, attribute)
    return app if hasattr(app, "routes") else None


@pytest.mark.parametrize("template", TEMPLATES, ids=["production", "fixture"])
def test_public_routes_in_apps_are_exactly_those_the_template_marks(template: Path) -> None:
    """A route is authenticated unless both the app and the template say it is public."""
    for spec in load_topology(template, PARAMETERS).functions.values():
        app = load_app(spec)
        if app is None:
            continue
        assert app.public_routes == spec.public_routes, spec.name


@pytest.mark.parametrize("template", TEMPLATES, ids=["production", "fixture"])
def test_app_password_routes_in_apps_are_exactly_those_the_template_marks(template: Path) -> None:
    """A route takes an app password (and no bearer token) only if both say so, same scope."""
    for spec in load_topology(template, PARAMETERS).functions.values():
        app = load_app(spec)
        if app is None:
            continue
        assert getattr(app, "app_password_routes", {}) == spec.app_password_routes, spec.name
        assert not set(spec.app_password_routes) & spec.public_routes, spec.name


def test_admin_routes_require_the_admin_role() -> None:
    for spec in load_topology(ROOT / "template.yaml", PARAMETERS).functions.values():
        app = load_app(spec)
        for route in spec.routes:
            if route.path.startswith("/admin/"):
                assert app.role_routes.get(f"{route.method} {route.path}") == "admin", route
