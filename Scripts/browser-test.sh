#!/usr/bin/env bash
# `make browser-test`: the search page in a real browser (Debian's chromium driven by Playwright for
# Python), against live `fashionclip serve` processes over the demo catalog.
#
# Builds nothing: it runs the binary in FASHIONCLIP_BIN (default .build/debug/fashionclip, which
# `swift build` and `swift test` leave there). Installs what is missing: chromium through apt (as
# root), Playwright and pytest in .build/venv-browser. Screenshots go to .build/browser-screenshots/.
# Extra arguments go to pytest (e.g. -k photo).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=${FASHIONCLIP_BIN:-.build/debug/fashionclip}
model=${MODEL:-Fixtures/models/fashionclip-f32}
venv=${BROWSER_VENV:-.build/venv-browser}
chromium=${CHROMIUM:-/usr/bin/chromium}
shots=.build/browser-screenshots
# Pinned: the versions this test was written against (Playwright drives the system chromium over CDP).
playwright_version=1.65.3
pytest_version=9.2.0

case $bin in /*) ;; *) bin=$root/$bin ;; esac
case $model in /*) ;; *) model=$root/$model ;; esac
[ -x "$bin" ] || { echo "browser-test: no fashionclip binary at $bin: run 'swift build --product fashionclip' or set FASHIONCLIP_BIN" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "browser-test: '$*' needs root; install chromium and python3-venv (Debian: apt-get install -y chromium python3-venv) and run again" >&2
    exit 1
  fi
}
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "$@"
}

if [ ! -x "$chromium" ]; then
  command -v apt-get >/dev/null || { echo "browser-test: no chromium at $chromium and no apt-get: install chromium and set CHROMIUM=/path/to/it" >&2; exit 1; }
  echo "browser-test: installing chromium"
  apt_install chromium fonts-liberation
fi
if [ -x "$venv/bin/python" ] && ! "$venv/bin/python" -c "import playwright, pytest" 2>/dev/null; then rm -rf "$venv"; fi
if [ ! -x "$venv/bin/python" ]; then
  echo "browser-test: creating $venv with playwright and pytest"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    echo "browser-test: installing python3-venv"
    apt_install python3 python3-venv
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "playwright==$playwright_version" "pytest==$pytest_version"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fashionclip-browser.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The demo catalog plus two rows whose values have a space and an apostrophe, so that the filters
# the page sends can be checked against products that carry them.
cp -R Demo/catalog "$work/catalog"
cat >>"$work/catalog/catalog.csv" <<'CSV'
p031,images/t-shirt-navy.jpg,"pique cotton, Ralph Lauren — navy polo shirt",Ralph Lauren,polo shirt,navy,145.00
p032,images/dress-white.png,"lace trim, Marc O'Polo — white summer dress",Marc O'Polo,dress,off white,189.00
CSV
store="$work/catalog.sqlite"
"$bin" index --model "$model" --catalog "$work/catalog/catalog.csv" --store "$store" >"$work/index.log" 2>&1 ||
  { cat "$work/index.log" >&2; exit 1; }

# Starts `fashionclip serve` on a free port, in this shell (so that cleanup knows its pid); sets
# server_url from the line it prints.
serve() {
  local log=$1; shift
  env -u FASHIONCLIP_API_KEY "$bin" serve --model "$model" --store "$store" --catalog "$work/catalog/catalog.csv" \
    --host 127.0.0.1 --port 0 "$@" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  server_url=
  for _ in $(seq 1 300); do
    server_url=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$log" || true)
    [ -n "$server_url" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "browser-test: the server did not start:" >&2
  cat "$log" >&2
  exit 1
}
key="browser-test-key-$RANDOM$RANDOM"
echo "$key" >"$work/key"
serve "$work/open.log" --max-upload-mb 1
open_url=$server_url
serve "$work/key.log" --api-key-file "$work/key"
key_url=$server_url

rm -rf "$shots"
mkdir -p "$shots"
export FASHIONCLIP_OPEN_URL=$open_url FASHIONCLIP_KEY_URL=$key_url FASHIONCLIP_API_KEY_VALUE=$key
export FASHIONCLIP_BIN_PATH=$bin FASHIONCLIP_MODEL_PATH=$model FASHIONCLIP_STORE=$store
export FASHIONCLIP_CATALOG=$work/catalog/catalog.csv FASHIONCLIP_SCREENSHOTS=$root/$shots CHROMIUM=$chromium
export PYTHONDONTWRITEBYTECODE=1
echo "browser-test: open server $open_url, keyed server $key_url"
status=0
timeout --kill-after=10 240 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/Tests/Browser" "$@" || status=$?
case $status in
  0) echo "browser-test: passed; screenshots in $shots" ;;
  5) echo "browser-test: pytest collected no tests" >&2; status=1 ;;
  124 | 137) echo "browser-test: pytest ran past 240 s and was stopped" >&2 ;;
  *) echo "browser-test: failed (pytest exit $status); screenshots in $shots; server logs:" >&2
     tail -n 20 "$work/open.log" "$work/key.log" >&2 ;;
esac
exit $status
