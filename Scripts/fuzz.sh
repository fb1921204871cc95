#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ with AddressSanitizer (LeakSanitizer included) and runs each
# for SECONDS (default 25) on a fresh copy of its seed corpus (Fuzz/Corpus/NAME) in .build/fuzz-corpus/,
# so the committed corpus never grows. Fails on any crash, leak, timeout or out-of-memory, printing the
# reproducer; prints the executions of every target. FUZZ_JOBS (default 2) targets run at a time.
#   Scripts/fuzz.sh            # the short pass `make test` runs
#   Scripts/fuzz.sh 300        # a long run (make fuzz SECONDS=300)
#   Scripts/fuzz.sh 60 onnx    # only the named runs
# Reproduce a finding: .build/fuzz/debug/PRODUCT .build/fuzz-artifacts/NAME/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-25}"
shift || true
SWIFT="${SWIFT:-swift}"
jobs="${FUZZ_JOBS:-2}"
build=.build/fuzz
corpora=.build/fuzz-corpus
artifacts=.build/fuzz-artifacts
logs=.build/fuzz-logs

# NAME PRODUCT MAX_LEN: each run is one product on one seed corpus; max_len is a few times the largest
# seed, room for the structure a format needs without letting the fuzzer spend its time on big inputs.
runs=(
    "image-jpeg fuzz-image-decoders 16384"
    "image-png fuzz-image-decoders 16384"
    "image-webp fuzz-image-decoders 16384"
    "image-gif fuzz-image-decoders 16384"
    "safetensors fuzz-safetensors 4096"
    "model-configuration fuzz-model-configuration 4096"
    "tokenizer fuzz-tokenizer 4096"
    "onnx fuzz-onnx 4096"
    "catalog-csv fuzz-catalog-csv 4096"
    "catalog-jsonl fuzz-catalog-jsonl 4096"
    "metadata-filter fuzz-metadata-filter 1024"
    "api-requests fuzz-api-requests 4096"
)
if [ $# -gt 0 ]; then
    selected=()
    for run in "${runs[@]}"; do
        for name in "$@"; do [ "${run%% *}" = "$name" ] && selected+=("$run"); done
    done
    [ ${#selected[@]} -gt 0 ] || { echo "fuzz: no run named $*" >&2; exit 2; }
    runs=("${selected[@]}")
fi

# Sanitizer flags on the command line, never in Package.swift: Swift code gets libFuzzer's coverage and
# ASan, the C targets (CImageCodecs, CKernels) the same through -Xcc. SwiftPM links an executable's
# top-level code as `main`; lld keeps that one (FuzzSupport hands it to LLVMFuzzerRunDriver).
flags=(-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -use-ld=lld)
start=$(date +%s)
rm -rf "$logs"
mkdir -p "$logs" "$corpora" "$artifacts"
products=$(printf '%s\n' "${runs[@]}" | awk '{print $2}' | sort -u)
for product in $products; do
    echo "fuzz: building $product"
    status=0
    FASHIONCLIP_FUZZ=1 "$SWIFT" build --build-path "$build" "${flags[@]}" --product "$product" >"$logs/build-$product.log" 2>&1 || status=$?
    # The linker's warnings about ASan's local symbols and SwiftPM's about dependencies' CMake files are noise.
    grep -v "Cannot export local symbol\|unhandled; explicitly declare\|CMakeLists.txt\|^\[[0-9]*/[0-9]*\] Compiling" "$logs/build-$product.log" | tail -n 40 || true
    [ "$status" -eq 0 ] || { echo "fuzz: building $product failed (log $logs/build-$product.log)" >&2; exit 1; }
done
built=$(date +%s)
# One run: fresh corpus copy, libFuzzer with the limits; the log is kept for the summary.
run_one() {
    local name=$1 product=$2 max_len=$3
    rm -rf "${corpora:?}/$name" "${artifacts:?}/$name"
    mkdir -p "$corpora/$name" "$artifacts/$name"
    cp Fuzz/Corpus/"$name"/* "$corpora/$name/"
    local status=0
    # Swift's own backtracer would fault under ASan (it reads the crashed process's stack); libFuzzer
    # and ASan report the trap and its stack instead.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" "$build/debug/$product" "$corpora/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -print_final_stats=1 -artifact_prefix="$artifacts/$name/" >"$logs/$name.log" 2>&1 || status=$?
    echo "$status" >"$logs/$name.status"
}
for run in "${runs[@]}"; do
    read -r name product max_len <<<"$run"
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    echo "fuzz: $name ($product, ${seconds}s)"
    run_one "$name" "$product" "$max_len" &
done
wait
finished=$(date +%s)

failed=0
printf '\n%-22s %-26s %12s  %s\n' "run" "product" "executions" "result"
for run in "${runs[@]}"; do
    read -r name product max_len <<<"$run"
    log="$logs/$name.log"
    status=$(cat "$logs/$name.status" 2>/dev/null || echo "?")
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$executions" ] || executions=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
    result="ok"
    if [ "$status" != "0" ]; then
        failed=1
        kind=$(grep -a -m1 -o "[A-Za-z_/.]*:[0-9]*: \(Fatal error\|Precondition failed\|Assertion failed\): .*" "$log" || grep -a -m1 -o "ERROR: [A-Za-z]*Sanitizer: [a-z -]*\|ERROR: libFuzzer: [a-z -]*" "$log" ||
            echo "exit $status")
        reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        result="FAILED: $kind; reproducer ${reproducer:-none}; log $log"
    fi
    printf '%-22s %-26s %12s  %s\n' "$name" "$product" "${executions:-?}" "$result"
done
echo "fuzz: build $((built - start))s, runs $((finished - built))s (${seconds}s each, $jobs at a time)"
if [ "$failed" -ne 0 ]; then
    echo "fuzz: FAILED; rerun one input with: $build/debug/PRODUCT REPRODUCER" >&2
    exit 1
fi
