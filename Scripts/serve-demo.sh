#!/usr/bin/env bash
# `make serve`: the search page and the JSON API over the demo catalog (or MODEL / STORE / CATALOG),
# indexing the catalog first when the store is missing or stale (indexing is incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${FASHIONCLIP_BIN:-.build/release/fashionclip}
model=${MODEL:-Fixtures/models/fashionclip-f32}
catalog=${CATALOG:-Demo/catalog/catalog.csv}
store=${STORE:-.demo/catalog.sqlite}
mkdir -p "$(dirname "$store")"
"$bin" index --model "$model" --catalog "$catalog" --store "$store"
exec "$bin" serve --model "$model" --store "$store" --catalog "$catalog" --host "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
