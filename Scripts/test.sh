#!/usr/bin/env bash
# `make test`, what CI runs: the Swift tests (with the PostgreSQL store's against a server this script
# starts, unless FASHIONCLIP_TEST_POSTGRES_URL names one), then the page in a real browser and the
# bounded load test, both on the debug binary the Swift tests built, then a bounded fuzz pass.
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
started_postgres=""
cleanup() {
  if [ -n "$started_postgres" ]; then ./Scripts/postgres.sh stop || true; fi
}
trap cleanup EXIT
if [ -z "${FASHIONCLIP_TEST_POSTGRES_URL:-}" ]; then
  echo "test: starting PostgreSQL + pgvector for the shared store's tests (Scripts/postgres.sh)"
  FASHIONCLIP_TEST_POSTGRES_URL=$(./Scripts/postgres.sh start)
  started_postgres=1
fi
export FASHIONCLIP_TEST_POSTGRES_URL
FASHIONCLIP_TESTS=1 "$swift" test
./Scripts/browser-test.sh
./Scripts/load-test.sh short
# Every libFuzzer target 20 s under AddressSanitizer and LeakSanitizer (its own build in .build/fuzz).
SWIFT="$swift" ./Scripts/fuzz.sh 20
