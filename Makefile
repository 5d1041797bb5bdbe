# The two commands of the Quick start (make run, make test), plus make bench.
# Each installs what is missing (scripts/install-deps), configures and builds the release preset.

PRESET ?= release
BUILD := build/$(PRESET)
PADDOCK := $(BUILD)/bin/paddock
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
ifeq ($(WERROR),1)
CMAKE_FLAGS += -DPADDOCK_WERROR=ON
endif

.PHONY: deps build run test bench clean format

deps:
	@scripts/install-deps

build: deps
	@cmake --preset $(PRESET) $(CMAKE_FLAGS) >/dev/null
	@cmake --build --preset $(PRESET) -j $(JOBS)

# make run               the demo agent in a sandbox over the current directory
# make run CMD="claude"  any command instead
run: build
	@$(PADDOCK) run $(if $(CMD),-- $(CMD))

test: build
	@ctest --preset $(PRESET) -j $(JOBS) $(if $(TESTS),-R '$(TESTS)')

bench: build
	@scripts/bench $(PADDOCK) $(BUILD)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	@rm -rf build
