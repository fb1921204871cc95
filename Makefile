# Front door. `make test` is what CI runs; `make goldens` regenerates the fixtures (needs Python).
SWIFT ?= swift
# swift-format ships with the toolchain; the rules are in .swift-format.
FORMAT_PATHS = Package.swift Sources Tests Benchmarks Fuzz

.PHONY: setup build release test fuzz demo serve bench goldens format format-check clean

# Seconds each fuzz target runs in `make fuzz` (`make fuzz SECONDS=300` for a long run).
SECONDS ?= 25

setup:
	./Scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product fashionclip

# The tests, then a bounded fuzz pass: every libFuzzer target 20 s under AddressSanitizer (Scripts/fuzz.sh).
test: setup
	FASHIONCLIP_TESTS=1 $(SWIFT) test
	SWIFT=$(SWIFT) ./Scripts/fuzz.sh 20

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
