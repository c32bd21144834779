# MtaaBot: `make run` (everything on one machine) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export XDG_RUNTIME_DIR ?= /tmp/mtaabot-runtime-$(shell id -u)

.PHONY: run test install system-deps lint bench notebooks clean-db

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel setuptools
	$(BIN)/pip install --quiet -c constraints.txt -e '.[all,dev]'
	@# rfc3987-syntax comes only through an optional extra (jsonschema[format-nongpl], for Jupyter's IRI
	@# format check) and builds a grammar when jsonschema is imported: 1.7 s added to every dbt start.
	$(BIN)/pip uninstall --quiet --yes rfc3987-syntax
	@touch $(STAMP)

# The encoder: the packaged MiniLM fine-tuned on the project's own Swahili/Sheng <-> English pairs (the vocabulary
# bridge, the shipped catalogues, written question templates; deterministic, ~2.5 min on 2 cores, no download),
# then exported to ONNX so the worker answers without torch. A failed step leaves the packaged weights / the
# torch encoder in place instead of failing the install (MTAABOT_TUNED_ENCODER=0 also uses the packaged ones).
ENCODER        := build/models/minilm-mtaa/VERSION
ENCODER_INPUTS := mtaabot/devtools/encoder_tuning.py mtaabot/vocabulary.py mtaabot/data/demo_catalogue.csv \
                  tests/fixtures/eval/catalogue_dev.csv tests/fixtures/eval_v2/catalogue.csv
$(ENCODER): $(ENCODER_INPUTS) | $(STAMP)
	-$(BIN)/python -m mtaabot.devtools.encoder_tuning
	-$(BIN)/python -m mtaabot.embeddings --export-onnx

install: $(STAMP) $(ENCODER)

# Debian packages the browser tests need (Chromium); installed non-interactively when missing.
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install -y chromium'"; fi; fi

run: $(STAMP) $(ENCODER) dbt-parse
	@mkdir -p -m 700 $(XDG_RUNTIME_DIR)
	$(BIN)/mtaabot run

# The suite in two processes (each its own embedded PostgreSQL); TEST_WORKERS=0 runs it in this one.
TEST_WORKERS ?= 2

test: $(STAMP) $(ENCODER) system-deps
	@mkdir -p -m 700 $(XDG_RUNTIME_DIR)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check mtaabot webhook orchestration app tests benchmarks notebooks

bench: $(STAMP)
	@mkdir -p -m 700 $(XDG_RUNTIME_DIR)
	$(BIN)/python -m benchmarks

notebooks: $(STAMP)
	@mkdir -p -m 700 $(XDG_RUNTIME_DIR)
	$(BIN)/mtaabot db up
	$(BIN)/jupyter lab --notebook-dir=notebooks --no-browser --ip=127.0.0.1

# dbt manifest for Dagster (dagster-dbt reads it instead of parsing the project on every import).
DBT_MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES  := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)
$(DBT_MANIFEST): $(STAMP) $(DBT_SOURCES)
	$(BIN)/python -c "from mtaabot.dbt_runner import ensure_manifest; ensure_manifest(force=True)"

.PHONY: dbt-parse
dbt-parse: $(DBT_MANIFEST)

# The understanding classifiers' weights (mtaabot/data/understanding_model.json, committed) from the training
# files (training/understanding/*.txt, the dev sets in tests/fixtures/eval*/, the lexicons) and the built query
# encoder (its sentence-vector head is trained on that encoder's vectors); deterministic.
.PHONY: understanding-model
understanding-model: $(STAMP) $(ENCODER)
	$(BIN)/python -m mtaabot.devtools.train_understanding

# Retrieval top-1 / "not sold" leave-one-set-out over the dev sets (never eval_heldout2): HEAD per set and the
# learned models (mtaabot.retrieval_model) trained without each set; features cached in build/retrieval_loso/.
.PHONY: retrieval-loso
retrieval-loso: $(STAMP) $(ENCODER)
	$(BIN)/python -m mtaabot.devtools.retrieval_loso --refresh

# The shipped not-sold model (mtaabot/data/retrieval_model.json), trained on every dev set; bound to the encoder.
.PHONY: retrieval-model
retrieval-model: $(STAMP) $(ENCODER)
	$(BIN)/python -m mtaabot.devtools.retrieval_loso --refresh --write
