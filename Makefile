# Front door. `make test` is what CI runs; `make goldens` regenerates the fixtures (needs Python).
SWIFT ?= swift
# swift-format ships with the toolchain; the rules are in .swift-format.
FORMAT_PATHS = Package.swift Sources Tests Benchmarks Fuzz

.PHONY: setup build release test browser-test load fuzz postgres demo serve bench goldens format format-check clean

# Seconds each fuzz target runs in `make fuzz` (`make fuzz SECONDS=300` for a long run).
SECONDS ?= 25

setup:
	./Scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product fashionclip

# The Swift tests (PostgreSQL started for the shared store's), then the page in a real browser, the
# bounded load test against the debug binary they built, and a bounded fuzz pass: Scripts/test.sh.
test: setup
	SWIFT=$(SWIFT) ./Scripts/test.sh

# PostgreSQL 18 + pgvector on 127.0.0.1 for the shared store; prints its URL (Scripts/postgres.sh stop ends it).
postgres:
	./Scripts/postgres.sh start

# The search page in chromium (Playwright, pytest) against live servers; installs chromium (apt) and
# .build/venv-browser when missing; screenshots in .build/browser-screenshots/ (FASHIONCLIP_BIN=).
browser-test:
	./Scripts/browser-test.sh

# The long load test on the release server: 3 rounds of 60 s, 64 connections (figures in RELIABILITY.md).
load: release
	FASHIONCLIP_BIN=.build/release/fashionclip ./Scripts/load-test.sh long

# The libFuzzer targets of Fuzz/ with the sanitizers, SECONDS each, on copies of the seed corpora.
fuzz: setup
	SWIFT=$(SWIFT) ./Scripts/fuzz.sh $(SECONDS)

demo: release
	./Scripts/demo.sh

# The search page and the JSON API over the demo catalog: http://127.0.0.1:8080/ (PORT=, MODEL=, STORE=, CATALOG=)
serve: release
	./Scripts/serve-demo.sh

# Ours against ONNX Runtime and PyTorch on a full-size model folder (see BENCHMARKS.md):
#   make bench MODEL=models/vit-b32-random
bench: setup
	./Scripts/bench/run.sh $(MODEL)

# Formats every Swift file in place; format-check (run by CI) fails on anything format would change.
format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

format-check:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

goldens:
	./Scripts/reference/generate.sh

clean:
	rm -rf .build .demo
