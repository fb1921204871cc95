#!/usr/bin/env bash
# Checks the AVX-512 kernels' logic on a CPU without AVX-512: builds CKernels with
# kernels_avx512.c compiled against SIMDe's portable emulation (Debian `libsimde-dev`, a dev-only
# tool, never a build dependency) and compares every AVX-512 kernel with the portable path.
# Usage: Benchmarks/AVX512Emulation/check.sh   (prints "ok (0 failures)")
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
S="$here/../../Sources/CKernels"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cp "$S"/*.c "$S"/*.h "$work/src/"
sed -i 's|#include <immintrin.h>|#include "shim.h"|; s|__attribute__((target("avx512f")))||; s|always_inline, target("avx512f")|always_inline|' "$work/src/kernels_avx512.c"
sed -i 's|case CK_PATH_AVX512: return (features \& CKERNELS_ISA_AVX512F) != 0;|case CK_PATH_AVX512: return 1;|' "$work/src/cpu_features.c"
grep -q "CK_PATH_AVX512: return 1;" "$work/src/cpu_features.c"
clang -O1 -Wno-psabi -DSIMDE_NO_NATIVE -I"$S/include" -I"$work/src" -I"$here" -c "$work/src/kernels_avx512.c" -o "$work/k512.o"
clang -O1 -I"$S/include" -I"$work/src" $(ls "$work"/src/*.c | grep -v kernels_avx512) "$work/k512.o" "$here/main.c" \
    -o "$work/check" -lm -lpthread
"$work/check"
