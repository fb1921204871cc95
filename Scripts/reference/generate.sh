#!/usr/bin/env bash
# Regenerates every committed reference fixture under Fixtures/ (`make goldens`).
# Needs Python 3 and PyPI (creates Scripts/reference/.venv on first use). CI never runs this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=$("$here/venv.sh")
cd "$root"
# Order matters: the vocabulary comes first; model folders link to it.
for script in make_vocab.py make_tokenizer_goldens.py generate_models.py make_onnx_fixtures.py make_image_goldens.py make_damaged_goldens.py make_metric_goldens.py make_demo_catalog.py; do
  if [ -f "$here/$script" ]; then
    echo "goldens: $script" >&2
    "$py" "$here/$script"
  fi
done
# Model fixtures share the one tokenizer vocabulary through relative links.
for model in Fixtures/models/*/; do
  for f in vocab.json merges.txt tokenizer.json tokenizer_config.json; do
    ln -sf "../../tokenizer/$f" "$model$f"
  done
done
"$py" "$here/make_facade_goldens.py"
echo "goldens: done; review 'git status Fixtures' and commit" >&2
