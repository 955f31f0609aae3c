# Sourced by the project's scripts: paths and variables every build step shares.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
# Our cargo wrapper first (wasm builds go to Debian's toolchain), then rustup's tools,
# then npm-installed tools (wasm-opt from binaryen, playwright).
export PATH="$ROOT/scripts/bin:$CARGO_HOME/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# Building never needs a database: queries are checked against .sqlx/.
export SQLX_OFFLINE=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# The site's file names. Read at compile time too: with it set, leptos's
# hydration scripts ask for NAME.wasm (as scripts/build writes it), not NAME_bg.wasm.
export LEPTOS_OUTPUT_NAME=dagtilbud
