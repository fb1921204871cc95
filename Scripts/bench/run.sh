#!/usr/bin/env bash
# The one command behind BENCHMARKS.md: ours (fashionclip-benchmarks) against PyTorch and ONNX Runtime
# (Scripts/bench/peers.py) on the same full-size ViT-B/32 folder, interleaved, then the table.
#
#   Scripts/bench/run.sh [MODEL_DIR]        (default: $FASHIONCLIP_BENCH_MODEL or models/vit-b32-random)
#   env: ROUNDS=1 (interleaved rounds), SECONDS_PER_RUN=5, SKIP_TORCH=1, OUT=.build/bench
#
# MODEL_DIR: a full-size ViT-B/32 folder (model.safetensors, config, tokenizer, preprocessor config),
# e.g. the random one Scripts/reference/generate_models.py writes. The ONNX exports are written into
# MODEL_DIR/onnx on first use. Python: the reference venv (Scripts/reference/venv.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
MODEL=${1:-${FASHIONCLIP_BENCH_MODEL:-$ROOT/models/vit-b32-random}}
ROUNDS=${ROUNDS:-1}
SECS=${SECONDS_PER_RUN:-5}
OUT=${OUT:-$ROOT/.build/bench}
PY=${PY:-$(Scripts/reference/venv.sh)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"

echo "== build (release)" >&2
FASHIONCLIP_BENCHMARKS=1 swift build -c release --product fashionclip-benchmarks >&2
FASHIONCLIP_BENCHMARKS=1 swift build -c release --product kernel-benchmarks >&2
BIN=$(FASHIONCLIP_BENCHMARKS=1 swift build -c release --show-bin-path)
BENCH=$BIN/fashionclip-benchmarks
echo "== ONNX exports and test images" >&2
"$PY" Scripts/bench/peers.py export "$MODEL"
[ -f "$OUT/jpeg/photo-31.jpg" ] || "$PY" Scripts/bench/peers.py jpegs "$OUT/jpeg"

echo "== machine" >&2
{
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) ($(nproc) CPUs), family $(grep -m1 '^cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') model $(grep -m1 '^model[[:space:]]' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
  echo "flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx|avx2|fma|f16c|avx512[a-z_0-9]*|avx_vnni|amx[a-z_0-9]*)$' | sort -u | tr '\n' ' ')"
  echo "memory: $(free -m | awk '/Mem:/ {print $2}') MiB; $(uname -sr); $(swift --version 2>&1 | head -1)"
  "$PY" -c 'import torch, onnxruntime, transformers, numpy; print(f"torch {torch.__version__}, onnxruntime {onnxruntime.__version__}, transformers {transformers.__version__}, numpy {numpy.__version__}")'
} | tee "$OUT/machine.txt" >&2

idle_check() {
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "uptime: $(uptime)" >&2
  echo "top CPU consumers:" >&2
  ps -eo pcpu,pid,comm --sort=-pcpu | head -6 >&2
  if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
    echo "WARNING: the machine is busy (1-min load $load): figures will be noisy; compare ratios within this run." >&2
  fi
}
idle_check

# One measurement: the command's JSON lines, each with the 1-minute load read just before it.
measure() {
  local label=$1; shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  local lines
  if lines=$("$@" | grep '^{'); then
    echo "$lines" | "$PY" -c "
import json, sys
for line in sys.stdin:
    r = json.loads(line); r['load'] = $load; r.update(json.loads('$label' or '{}')); print(json.dumps(r))" \
      | tee -a "$RESULTS" >&2
  else
    echo "FAILED: $*" >&2
  fi
}
ours() { measure "" "$BENCH" "$MODEL" "$@" --seconds "$SECS" --images "$OUT/jpeg"; }
peer() { measure "" "$PY" Scripts/bench/peers.py run "$MODEL" "$@" --seconds "$SECS" --images "$OUT/jpeg"; }

measure "" "$PY" Scripts/bench/peers.py peak
# The FMA peak at the clock the cores really run (a register-only FMA loop) and the DRAM read
# bandwidth, on 1 and 2 threads.
measure "" "$BIN/kernel-benchmarks" peak. --json
PEERS="ort ort-int8"
[ "${SKIP_TORCH:-0}" = 1 ] || PEERS="$PEERS torch"
# bf16 rows where the CPU runs it (AVX512_BF16).
BF16=0
grep -qw avx512_bf16 /proc/cpuinfo && BF16=1
for round in $(seq "$ROUNDS"); do
  echo "== round $round" >&2
  for w in load image-b1 image-b32 jpeg-b32 text-b1 text-b32; do
    ours "$w"
    [ "$BF16" = 1 ] && ours "$w" --precision bf16
    for p in $PEERS; do
      peer "$p" "$w"
      [ "$p" = ort-int8 ] && ours "$w" --precision int8
    done
  done
done
ours int8-cosine
[ "$BF16" = 1 ] && ours bf16-cosine

echo "== contention: a busy loop competing for the cores" >&2
"$PY" -c 'while True: pass' &
SPIN=$!
trap 'kill $SPIN 2>/dev/null || true' EXIT
sleep 1
measure '{"workload": "contended-image-b1"}' "$BENCH" "$MODEL" image-b1 --seconds "$SECS"
FASHIONCLIP_THREADS=1 measure '{"workload": "contended-image-b1"}' "$BENCH" "$MODEL" image-b1 --seconds "$SECS"
measure '{"workload": "contended-image-b1"}' "$PY" Scripts/bench/peers.py run "$MODEL" ort image-b1 --seconds "$SECS"
kill $SPIN
trap - EXIT

"$PY" Scripts/bench/peers.py table "$MODEL" "$RESULTS" | tee "$OUT/table.md"
