# Thin wrapper over CMake. Each target installs what it needs first (packaging/install-deps.sh).
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_GEN := -G Ninja

.PHONY: all deps run build test bench fuzz format clean

all: build

deps:
	@packaging/install-deps.sh

$(BUILD)/dev/build.ninja: | deps
	cmake -S . -B $(BUILD)/dev $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERTH_BUILD_TESTS=OFF

build: deps $(BUILD)/dev/build.ninja
	cmake --build $(BUILD)/dev -j $(JOBS) --target berth berthctl

# Starts the desktop application; FILE=path/to/Dockerfile opens one.
run: build
	$(BUILD)/dev/bin/berth $(FILE)

# The whole suite, as CI runs it: warnings are errors, ASan + UBSan, fuzzing included.
test: deps
	cmake -S . -B $(BUILD)/asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
		-DBERTH_SANITIZE=ON -DBERTH_WERROR=ON -DBERTH_BUILD_FUZZ=ON
	cmake --build $(BUILD)/asan -j $(JOBS)
	ctest --test-dir $(BUILD)/asan --output-on-failure -j $(JOBS)

# Benchmarks on an optimised build: the Dockerfile library, then image load and save side by
# side with podman and skopeo (bench/imagebench.py; BENCH_RUNS=N runs each, default 5).
BENCH_WORK ?= $(BUILD)/bench-work
bench:
	@packaging/install-deps.sh --bench
	cmake -S . -B $(BUILD)/release $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release \
		-DBERTH_BUILD_TESTS=OFF -DBERTH_BUILD_BENCH=ON
	cmake --build $(BUILD)/release -j $(JOBS) --target bench_dockerfile bench_logs bench_sandbox berthctl
	$(BUILD)/release/bin/bench_dockerfile
	$(BUILD)/release/bin/bench_logs
	$(BUILD)/release/bin/bench_sandbox
	python3 bench/imagebench.py --berthctl $(BUILD)/release/bin/berthctl --work $(BENCH_WORK)

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
