# Front door. `make test` is what CI runs; `make goldens` regenerates the fixtures (needs Python).
SWIFT ?= swift

.PHONY: setup build release test demo goldens clean

setup:
	./Scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product fashionclip

test: setup
	$(SWIFT) test

demo: release
	./Scripts/demo.sh

goldens:
	./Scripts/reference/generate.sh

clean:
	rm -rf .build .demo
