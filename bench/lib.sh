# Shared by the benchmarks: tools, the private database, a release server on a free port.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$ROOT"

bench_tools() {
  local missing=()
  for tool in wrk brotli gzip curl python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if ((${#missing[@]})); then
    log "apt: installing ${missing[*]}"
    local sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# bench_database NAME: a fresh database in the private cluster (or under DATABASE_URL's server).
bench_database() {
  local name=$1
  if [ -z "${DATABASE_URL:-}" ]; then
    "$ROOT/scripts/pg" start postgres >/dev/null
    BENCH_DB_URL=$("$ROOT/scripts/pg" url "$name")
  else
    BENCH_DB_URL=$(echo "$DATABASE_URL" | sed -E "s#/[^/?]+(\\?|\$)#/$name\\1#")
  fi
  DATABASE_URL="$BENCH_DB_URL" sqlx database drop -y >/dev/null 2>&1 || true
  DATABASE_URL="$BENCH_DB_URL" sqlx database create
  export BENCH_DB_URL
}

# start_server PORT [extra env...]: the release server in demo mode; sets SERVER_PID.
# The per-address budget for searches and the CSV is lifted: every load
# generator client comes from 127.0.0.1.
start_server() {
  local port=$1
  shift
  env DATABASE_URL="$BENCH_DB_URL" DEMO=true LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
    LEPTOS_OUTPUT_NAME=dagtilbud LEPTOS_ENV=PROD RUST_LOG=warn \
    ANONYMOUS_REQUESTS_PER_MINUTE="${ANONYMOUS_REQUESTS_PER_MINUTE:-100000000}" "$@" \
    "${SERVER_BIN:-$ROOT/target/release/server}" serve >"$ROOT/target/bench-server.log" 2>&1 &
  SERVER_PID=$!
  wait_ready "http://127.0.0.1:$port/readyz"
}

wait_ready() {
  for _ in $(seq 1 400); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  cat "$ROOT/target/bench-server.log" >&2
  die "server at $1 never became ready"
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

# The demo administrators' current TOTP code (RFC 6238; the key is published in the README).
demo_totp() {
  python3 -c 'import base64, hashlib, hmac, struct, sys, time
m = hmac.new(base64.b32decode(sys.argv[1]), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
o = m[-1] & 15
print("%06d" % ((struct.unpack(">I", m[o:o + 4])[0] & 0x7fffffff) % 1000000))' MRQWO5DJNRRHKZBNMRSW23ZNGJTGCIJB
}
