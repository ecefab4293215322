"""Each function deploys with only what it imports, within Lambda's limits.

The fast half reads the sources: every third-party module a handler's import closure names is
installed by that function's own layers (or, for the container-image function, its Dockerfile).
The slow half runs `sam build` and imports each zip function with nothing but its build output
and its layers on the path, as Lambda would.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from local.template import load_yaml
from tests.support.import_closure import ROOT, third_party_imports

TEMPLATE = ROOT / "template.yaml"
ZIP_LIMIT = 250 * 1024 * 1024  # unzipped function code plus all its layers
SAM = ROOT / ".local/tools/sam/bin/sam"


def _functions() -> dict[str, dict]:
    resources = load_yaml(TEMPLATE)["Resources"]
    return {
        name: res for name, res in resources.items() if res["Type"] == "AWS::Serverless::Function"
    }


def _layer_folders() -> dict[str, Path]:
    resources = load_yaml(TEMPLATE)["Resources"]
    return {
        name: ROOT / res["Properties"]["ContentUri"]
        for name, res in resources.items()
        if res["Type"] == "AWS::Serverless::LayerVersion"
    }


def _is_image(function: dict) -> bool:
    return function["Properties"].get("PackageType") == "Image"


def _handler_file(function: dict) -> Path:
    props = function["Properties"]
    if _is_image(function):
        folder = ROOT / Path(function["Metadata"]["Dockerfile"]).parent
        module = props["ImageConfig"]["Command"][0].rpartition(".")[0]
    else:
        folder = ROOT / props["CodeUri"]
        module = props["Handler"].rpartition(".")[0]
    return folder / f"{module}.py"


def _requirement_files(function: dict) -> list[Path]:
    if _is_image(function):
        dockerfile = (ROOT / function["Metadata"]["Dockerfile"]).read_text()
        sources = re.findall(r"^COPY\s+(\S*requirements[^\s]*\.txt)\s", dockerfile, re.M)
        return [ROOT / source for source in sources]
    folders = _layer_folders()
    layers = [ref["Ref"] for ref in function["Properties"].get("Layers", [])]
    return [folders[layer] / "requirements.txt" for layer in layers]


def _requirements(files: list[Path]) -> list[Requirement]:
    found = []
    for path in files:
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].split(" --hash", 1)[0].strip()
            if line and not line.startswith("-"):
                found.append(Requirement(line))
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed_closure(requirements: list[Requirement]) -> set[str]:
    """The distributions those requirements install, with their dependencies (as installed here)."""
    closure: set[str] = set()
    pending = [(req, frozenset(req.extras)) for req in requirements]
    while pending:
        req, extras = pending.pop()
        name = _normal(req.name)
        if name in closure and not extras:
            continue
        closure.add(name)
        for raw in importlib.metadata.distribution(req.name).requires or []:
            dependency = Requirement(raw)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if dependency.marker is None or any(
                dependency.marker.evaluate(env) for env in environments
            ):
                pending.append((dependency, frozenset(dependency.extras)))
    return closure


FUNCTIONS = _functions()


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_import_of_a_function_is_installed_by_its_own_packaging(name: str) -> None:
    function = FUNCTIONS[name]
    installed = _installed_closure(_requirements(_requirement_files(function)))
    providers = importlib.metadata.packages_distributions()
    missing = {
        module
        for module in third_party_imports(_handler_file(function))
        if not {_normal(dist) for dist in providers.get(module, [])} & installed
    }
    assert not missing, f"{name} imports {sorted(missing)}, which its layers do not install"


def test_only_the_extract_function_needs_the_nlp_stack() -> None:
    heavy = {"spacy", "natasha"}
    needing = {
        name
        for name, function in FUNCTIONS.items()
        if heavy & third_party_imports(_handler_file(function))
    }
    assert needing == {"ExtractFunction"}
    assert _is_image(FUNCTIONS["ExtractFunction"]), "the NLP stack does not fit a zip function"


def test_the_extract_image_copies_only_what_its_dockerignore_lets_in() -> None:
    dockerfile = ROOT / FUNCTIONS["ExtractFunction"]["Metadata"]["Dockerfile"]
    copied = set(re.findall(r"^COPY\s+(\S+)\s", dockerfile.read_text(), re.M))
    ignore = Path(f"{dockerfile}.dockerignore").read_text().splitlines()
    allowed = {line[1:].strip() for line in ignore if line.startswith("!")}
    assert copied and copied <= allowed


# --- sam build, for real -------------------------------------------------------------------------
SAM_ENV = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1"}


def _require_sam() -> None:
    if not SAM.exists():
        pytest.fail("the SAM CLI is missing: `make sam-cli` installs it (make test does)")


@pytest.mark.slow
def test_sam_validates_and_lints_the_template() -> None:
    _require_sam()
    result = subprocess.run(
        [str(SAM), "validate", "--lint", "--template", str(TEMPLATE)],
        cwd=ROOT,
        env=SAM_ENV,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is a valid SAM Template" in result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_sam()
    # Container images need Docker, which this machine lacks: build every zip function and layer.
    template = load_yaml(TEMPLATE)
    for function in template["Resources"].values():
        if function["Type"] == "AWS::Serverless::Function" and _is_image(function):
            function["Metadata"]["SkipBuild"] = True
    work = tmp_path_factory.mktemp("sam")
    build_template = work / "template.yaml"
    build_template.write_text(yaml.safe_dump(template, sort_keys=False))
    build_dir = work / "build"
    result = subprocess.run(
        [
            str(SAM),
            "build",
            "--template",
            str(build_template),
            "--base-dir",
            str(ROOT),
            "--build-dir",
            str(build_dir),
            "--cache-dir",
            str(ROOT / ".local/tools/sam-cache"),
            "--cached",
        ],
        cwd=ROOT,
        env=SAM_ENV,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return build_dir


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _zip_functions() -> list[str]:
    return sorted(name for name, function in FUNCTIONS.items() if not _is_image(function))


@pytest.mark.slow
def test_every_zip_function_with_its_layers_fits_lambda(built: Path) -> None:
    sizes = {}
    for name in _zip_functions():
        layers = [ref["Ref"] for ref in FUNCTIONS[name]["Properties"]["Layers"]]
        sizes[name] = _size(built / name) + sum(_size(built / layer) for layer in layers)
    too_big = {name: f"{size / 2**20:.0f} MB" for name, size in sizes.items() if size >= ZIP_LIMIT}
    assert not too_big, f"over Lambda's 250 MB unzipped: {too_big}"
    assert min(sizes.values()) > 50 * 2**20, "the layers' packages were not installed"


# Imports the handler with only the stdlib, the function's build output and its layers' `python`
# folders on the path, then checks every third-party module its closure names resolves there.
_ISOLATED_IMPORT = """
import importlib, importlib.util, json, sys
paths, module, needed = json.loads(sys.argv[1])
sys.path[:0] = paths
importlib.import_module(module)
missing = [name for name in needed if importlib.util.find_spec(name) is None]
print(json.dumps(missing))
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", _zip_functions())
def test_a_zip_function_imports_with_only_its_own_layers(built: Path, name: str) -> None:
    function = FUNCTIONS[name]
    layers = [ref["Ref"] for ref in function["Properties"]["Layers"]]
    paths = [str(built / name), *(str(built / layer / "python") for layer in layers)]
    module = function["Properties"]["Handler"].rpartition(".")[0]
    needed = sorted(third_party_imports(_handler_file(function)))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "JWT_SECRET": "x" * 32,  # what the template passes every function
        "DATABASE_URL": "postgresql://user@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _ISOLATED_IMPORT, json.dumps([paths, module, needed])],
        cwd=built / name,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.splitlines()[-1]) == []
