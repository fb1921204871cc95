#!/usr/bin/env bash
# The load test (issue 19): mixed API traffic against a served demo catalog on 127.0.0.1, with idle
# and slowloris clients held open and oversized bodies in between, in a warm-up and three measured
# rounds. Fails on any 5xx other than 503 with Retry-After, on socket errors or timeouts, on an
# oversized body answered other than 413, and when the server's resident memory after the three
# rounds differs by more than 10 % (max/min). Prints p50/p99 and requests/s per round.
#
#   Scripts/load-test.sh            short: 3 rounds of 5 s, 2 threads, 16 connections (CI, via make test)
#   Scripts/load-test.sh long       3 rounds of 60 s, 2 threads, 64 connections (make load)
#
# FASHIONCLIP_BIN picks the binary (default .build/debug/fashionclip, what `swift test` builds; use
# .build/release/fashionclip for figures). Needs wrk (installed from Debian when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-short}
case "$mode" in
  short) seconds=5 connections=16 slow=50 ;;
  long) seconds=60 connections=64 slow=200 ;;
  *) echo "usage: $0 [short|long]" >&2; exit 2 ;;
esac
bin=${FASHIONCLIP_BIN:-.build/debug/fashionclip}
model=${MODEL:-Fixtures/models/fashionclip-f32}
catalog=Demo/catalog
photo=$catalog/images/dress-navy.jpg
[ -x "$bin" ] || { echo "load-test: no $bin; build it first (swift build, or make test)" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "load-test: installing wrk"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
  else
    echo "load-test: needs wrk (apt-get install wrk)" >&2
    exit 1
  fi
fi

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "${slow_pid:-}" ] && kill "$slow_pid" 2>/dev/null
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "${KEEP_LOAD_DIR:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

"$bin" index --model "$model" --catalog "$catalog/catalog.csv" --store "$work/catalog.sqlite" >/dev/null
# A small compute queue, so that the traffic reaches the overload answer (503 + Retry-After) too.
"$bin" serve --model "$model" --store "$work/catalog.sqlite" --catalog "$catalog/catalog.csv" --port 0 \
  --max-upload-mb 1 --queued-jobs 4 --idle-timeout 10 >"$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 200); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" | head -1 || true)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "load-test: the server did not start"; cat "$work/serve.log"; exit 1; }
port=${url##*:}
port=${port%/}
echo "load-test: $mode, server $url (pid $server), $(basename "$bin") $(dirname "$bin")"

# Slow clients: idle connections and heads that never end, held open through each round by a
# process of their own (wrk must not inherit them: its event loop refuses descriptors past its size).
slow_pid=""
open_slow_clients() {
  if [ -n "$slow_pid" ]; then kill "$slow_pid" 2>/dev/null || true; wait "$slow_pid" 2>/dev/null || true; fi
  SLOW=$slow PORT=$port bash -c '
    for i in $(seq "$SLOW"); do
      exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" || exit 1
      [ $((i % 2)) -eq 0 ] && printf "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " >&"$fd"
    done
    exec sleep 3600' &
  slow_pid=$!
  local open=0
  for _ in $(seq 100); do
    open=$( (find "/proc/$slow_pid/fd" -lname 'socket:*' 2>/dev/null || true) | wc -l)
    [ "$open" -ge "$slow" ] && return
    kill -0 "$slow_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "load-test: only $open of $slow slow clients connected"
  exit 1
}

# Oversized bodies (2 MiB against a 1 MiB limit): 413, never another answer.
head -c $((2 << 20)) /dev/zero | tr '\0' 'a' >"$work/oversized.json"
check_oversized() {
  local code
  for _ in 1 2 3 4 5; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary @"$work/oversized.json" "${url}api/embed" || true)
    [ "$code" = 413 ] || { echo "load-test: an oversized body got $code, expected 413"; exit 1; }
  done
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
value() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

failed=0
rss=()
printf '%-8s %10s %9s %9s %9s %8s %s\n' round requests req/s p50_ms p99_ms rss_MB statuses
for round in warmup 1 2 3; do
  open_slow_clients
  check_oversized
  duration=$seconds
  [ "$round" = warmup ] && duration=3
  report="$work/round-$round.txt"
  LOAD_REPORT="$report" wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s \
    -s Scripts/load/mixed.lua "$url" -- "$photo" >"$work/wrk-$round.log" 2>&1 ||
    { cat "$work/wrk-$round.log"; exit 1; }
  [ -s "$report" ] || { echo "load-test: wrk wrote no report"; cat "$work/wrk-$round.log"; exit 1; }
  kill -0 "$server" 2>/dev/null || { echo "load-test: the server died"; cat "$work/serve.log"; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${url}health" || true)
  [ "$code" = 200 ] || { echo "load-test: /health answered $code after round $round"; failed=1; }
  requests=$(value requests "$report")
  rate=$(awk -v n="$requests" -v s="$(value seconds "$report")" 'BEGIN { printf "%.0f", n / s }')
  mb=$(awk -v k="$(rss_kb)" 'BEGIN { printf "%.1f", k / 1024 }')
  [ "$round" = warmup ] || rss+=("$(rss_kb)")
  statuses=$(grep '^status_' "$report" | sed 's/status_//' | tr ' ' ':' | tr '\n' ' ')
  printf '%-8s %10s %9s %9s %9s %8s %s\n' "$round" "$requests" "$rate" "$(value p50_ms "$report")" \
    "$(value p99_ms "$report")" "$mb" "$statuses"
  for key in bad_5xx socket_errors timeouts; do
    n=$(value "$key" "$report")
    [ "$n" = 0 ] || { echo "load-test: round $round: $key $n"; failed=1; }
  done
  [ "${requests:-0}" -gt 0 ] || { echo "load-test: round $round made no requests"; failed=1; }
done
read -r low high < <(printf '%s\n' "${rss[@]}" | sort -n | awk 'NR == 1 { l = $1 } { h = $1 } END { print l, h }')
spread=$(awk -v l="$low" -v h="$high" 'BEGIN { printf "%.1f", (h / l - 1) * 100 }')
echo "load-test: server RSS over the three rounds $((low / 1024))-$((high / 1024)) MB (spread $spread %)"
awk -v l="$low" -v h="$high" 'BEGIN { exit !(h <= l * 1.10) }' || { echo "load-test: RSS grew more than 10 %"; failed=1; }
if [ "$failed" -ne 0 ]; then
  echo "load-test: FAILED"
  exit 1
fi
echo "load-test: passed"
