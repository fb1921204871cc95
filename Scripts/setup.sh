#!/usr/bin/env bash
# Installs the system libraries the build needs. Idempotent; does nothing on macOS
# (Apple's SDK has what the build needs; the image codecs come from Homebrew and are found through
# pkg-config: see README).
set -euo pipefail
case "$(uname -s)" in
  Darwin) echo "setup: macOS, nothing to install"; exit 0 ;;
esac
# The build: pkg-config and the codecs, SQLite. The tests: curl and wrk (Scripts/load-test.sh).
packages=(pkg-config libjpeg62-turbo-dev libpng-dev libwebp-dev libsqlite3-dev curl wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: system packages already installed"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: installed ${missing[*]}"
