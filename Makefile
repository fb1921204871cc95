# Front door. `make test` is what CI runs; `make goldens` regenerates the fixtures (needs Python).
SWIFT ?= swift

.PHONY: setup build release test goldens clean

setup:
	./Scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

test: setup
	$(SWIFT) test

goldens:
	./Scripts/reference/generate.sh

clean:
	rm -rf .build
