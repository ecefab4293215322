"""Every Chalice route is in the template and every template route in a Chalice app."""

import importlib.util
import sys
from pathlib import Path

import pytest

from local.template import load_topology

ROOT = Path(__file__).parent.parent
TEMPLATES = [ROOT / "template.yaml", ROOT / "tests/fixtures/runtime/template.yaml"]
PARAMETERS = {"DatabaseUrl": "postgresql://x", "RedisUrl": "redis://x"}


def chalice_routes(spec) -> set[tuple[str, str]] | None:
    """(path, method) of the function's Chalice app, or None if the handler is not one."""
    module_name, _, attribute = spec.handler.rpartition(".")
    path = spec.code_uri / f"{module_name}.py"
    loader_spec = importlib.util.spec_from_file_location(f"contract_{spec.name}", path)
    module = importlib.util.module_from_spec(loader_spec)
    sys.path.insert(0, str(spec.code_uri))
    try:
        loader_spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(spec.code_uri))
    app = getattr(module, attribute)
    if not hasattr(app, "routes"):
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


def test_public_routes_are_declared_routes() -> None:
    topology = load_topology(ROOT / "template.yaml", PARAMETERS)
    for spec in topology.functions.values():
        declared = {f"{route.method} {route.path}" for route in spec.routes}
        assert spec.public_routes <= declared, spec.name
