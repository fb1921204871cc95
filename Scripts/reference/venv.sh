#!/usr/bin/env bash
# Creates (idempotently) the Python virtual environment used by the reference generators.
# Prints the path of the environment's python on stdout.
# FASHIONCLIP_VENV overrides the location (default: Scripts/reference/.venv).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${FASHIONCLIP_VENV:-$here/.venv}
stamp=$venv/.requirements.sha256
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9  # one installer at a time; others wait, then find the stamp
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --upgrade pip >&2
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt" >&2
  # open_clip_torch ships the real CLIP BPE vocabulary; we only need that data file, not its dependencies.
  "$venv/bin/pip" install --quiet --no-deps open_clip_torch==3.3.0 >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
