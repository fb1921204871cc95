#!/usr/bin/env bash
# The main job, end to end on this machine with no network: `make demo`.
# Uses the committed tiny RANDOM model (Fixtures/models/fashionclip-f32) and the drawn demo catalog
# (Demo/catalog): the scores are meaningless, the path is the real one. For real results, replace
# MODEL with a real checkpoint: `fashionclip download patrickjohncyh/fashion-clip`, then
# MODEL=patrickjohncyh/fashion-clip make demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${FASHIONCLIP_BIN:-.build/release/fashionclip}
model=${MODEL:-Fixtures/models/fashionclip-f32}
catalog=Demo/catalog
work=${DEMO_DIR:-.demo}
mkdir -p "$work"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

if [ -z "${MODEL:-}" ]; then
  echo "NOTE: the demo model is a tiny model with RANDOM weights: it shows the path from files to"
  echo "      vectors to results, not meaningful scores. See README for the real FashionCLIP weights."
fi
step "What the model folder holds" "$bin" info --model "$model"
step "Tokenize as CLIPTokenizerFast does" "$bin" tokenize --model "$model" --json "striped long-sleeve t-shirt" "Armani — 80s style"
step "Zero-shot classification (calibrated probabilities)" \
  "$bin" classify --model "$model" --labels-file "$catalog/labels.txt" --top-k 3 \
  "$catalog/images/dress-navy.jpg" "$catalog/images/sneakers-red.jpg"
step "Image-text similarity" "$bin" similarity --model "$model" \
  --text "a navy dress" --text "red sneakers" \
  --image "$catalog/images/dress-navy.jpg" --image "$catalog/images/sneakers-red.jpg"
step "Embed texts and a folder of images to .npy" "$bin" embed --model "$model" \
  --text "a red dress" --images-dir "$catalog/images" --output "$work/embeddings.npy"
if "$bin" --help | grep -qE "^ +index"; then
  step "Index the catalog" \
    "$bin" index --model "$model" --catalog "$catalog/catalog.csv" --store "$work/catalog.sqlite"
  step "Index again: incremental, nothing re-embedded" \
    "$bin" index --model "$model" --catalog "$catalog/catalog.csv" --store "$work/catalog.sqlite"
  step "Search by text, filtered" "$bin" search --store "$work/catalog.sqlite" --model "$model" \
    --text "red sneakers" --filter "price<300" --top-k 5
  step "Search by text with the products' own texts blended in, as JSON" "$bin" search --store "$work/catalog.sqlite" \
    --model "$model" --text "striped t-shirt" --product-text-weight 0.3 --top-k 3 --json
  step "Find look-alikes of a product" "$bin" search --store "$work/catalog.sqlite" --like p001 --top-k 3
  step "Evaluate zero-shot accuracy on the labelled set" "$bin" evaluate --model "$model" \
    --labelled "$catalog/labelled.csv" --output "$work/evaluation"
  step "Evaluate text-to-image retrieval on the catalog's (image, text) pairs" "$bin" evaluate --model "$model" \
    --pairs "$catalog/catalog.csv"
  if command -v curl >/dev/null; then
    printf '\n\033[1m== %s\033[0m\n' "Serve the catalog over HTTP (the search page and the JSON API), ask it, stop it"
    log="$work/serve.log"
    "$bin" serve --model "$model" --store "$work/catalog.sqlite" --catalog "$catalog/catalog.csv" --port 0 >"$log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    url=""
    for _ in $(seq 100); do
      url=$(grep -o 'http://[0-9.:]*/' "$log" | head -1 || true)
      [ -n "$url" ] && break
      kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
      sleep 0.1
    done
    [ -n "$url" ] || { echo "the server did not start:"; cat "$log"; exit 1; }
    head -1 "$log"
    ask() { printf '$ curl %s\n' "$*"; curl -sS --fail-with-body "$@"; echo; }
    ask "${url}api/search?text=red%20sneakers&filter=price%3C300&topK=3"
    ask -X POST --data-binary @"$catalog/images/dress-navy.jpg" "${url}api/classify/image?labels=dress,sneakers,bag&topK=3"
    ask -X POST --data-binary @"$catalog/images/dress-navy.jpg" "${url}api/search/image?topK=2"
    kill $server
    wait $server 2>/dev/null || true
    trap - EXIT
    echo "(make serve keeps this server running: open the page it prints)"
  fi
fi
printf '\nDemo finished; outputs are in %s\n' "$work"
