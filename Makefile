# The two set-up commands (README): `make demo` and `make test`, each working on a
# fresh machine with python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench fuzz data clean

# Set-up chatter goes to stderr, so that `make demo` prints exactly the article.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/python -m pip install --quiet --upgrade pip >&2

$(STAMP): pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet -e . >&2
	@touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	@$(BIN)/python -m pip install --quiet -e '.[test,careful,dask,parquet,datatrove]' >&2
	@touch $@

demo: $(STAMP)
	@$(BIN)/textmend samples/spam_page_zh.txt

test: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

bench: $(TEST_STAMP)
	@$(BIN)/python -m pip install --quiet -e '.[bench,careful]' >&2
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_decode.py
	$(BIN)/python benchmarks/bench_repair.py
	$(BIN)/python benchmarks/bench_script.py
	$(BIN)/python benchmarks/bench_junk.py
	$(BIN)/python benchmarks/bench_html.py
	$(BIN)/python benchmarks/bench_adversarial.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_chain.py

# Property tests with many random examples (tests/test_properties.py, profile "fuzz"),
# the known-open ones included; prints hypothesis' statistics and the total count.
fuzz: $(TEST_STAMP)
	@log=$$(mktemp); \
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py -p no:cacheprovider \
		--hypothesis-show-statistics >$$log 2>&1; status=$$?; cat $$log; \
	awk '/passing, .* failing/ {n += $$2 + $$4} END {print "fuzz: " n " examples generated in all"}' $$log; \
	rm -f $$log; exit $$status

data: $(TEST_STAMP)
	@$(BIN)/python -m pip install --quiet -e '.[data]' >&2
	$(BIN)/python scripts/build_zhu_lexicon.py
	$(BIN)/python scripts/build_charfreq.py
	$(BIN)/python scripts/build_script_chars.py
	$(BIN)/python scripts/build_common_cjk.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
