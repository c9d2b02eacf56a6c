#!/usr/bin/env bash
# The whole benchmark of BENCHMARKS.md, rerunnable by anyone:
#   - builds lattice-bench and lattice-conformance in release mode;
#   - installs moto (server) and Schemathesis into virtual environments under target/bench/;
#   - starts moto and the reference endpoint (`lattice-conformance serve`) on free loopback ports,
#     and stops them by PID at the end;
#   - waits (bounded) for a quiet machine, then runs lattice-bench, which prints the tables and
#     writes target/bench/results.json.
# Extra arguments go to lattice-bench (for example `--runs 7` or `--only overhead,mix`).
# Environment: BENCH_MAX_LOAD (default 1.5): the 1-minute load average to wait for;
# BENCH_WAIT_S (default 300): the longest wait for it (then it runs anyway and says so).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
bench=target/bench
mkdir -p "$bench"

echo "== build (release)"
cargo build --release -p lattice-bench -p lattice-cli
# Measure copies, so that a build in the same tree during the run cannot swap the binaries.
mkdir -p "$bench/bin"
cp target/release/lattice-bench target/release/lattice-conformance "$bench/bin/"

echo "== tools (virtual environments under $bench)"
if [ ! -x "$bench/venv-moto/bin/moto_server" ]; then
  python3 -m venv "$bench/venv-moto"
  "$bench/venv-moto/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.2.5'
fi
if [ ! -x "$bench/venv-schemathesis/bin/schemathesis" ]; then
  python3 -m venv "$bench/venv-schemathesis"
  "$bench/venv-schemathesis/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi
"$bench/venv-schemathesis/bin/schemathesis" --version
"$bench/venv-moto/bin/python" -c 'import moto; print("moto", moto.__version__)'

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_http() { # URL: up to 20 s for any HTTP answer
  for _ in $(seq 1 200); do
    curl -s -o /dev/null -X POST "$1" && return 0
    sleep 0.1
  done
  echo "error: nothing answers at $1" >&2
  return 1
}

moto_port=$(free_port)
ref_port=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "== servers on 127.0.0.1 (moto :$moto_port, reference endpoint :$ref_port)"
"$bench/venv-moto/bin/moto_server" -H 127.0.0.1 -p "$moto_port" > "$bench/moto.log" 2>&1 &
moto_pid=$!
pids+=("$moto_pid")
"$bench/bin/lattice-conformance" serve --port "$ref_port" --quota 1000000 > "$bench/serve.log" 2>&1 &
pids+=("$!")
wait_http "http://127.0.0.1:$moto_port/moto-api/reset"
wait_http "http://127.0.0.1:$ref_port/__reference/reset"

max_load=${BENCH_MAX_LOAD:-1.5}
wait_s=${BENCH_WAIT_S:-300}
for _ in $(seq 1 $((wait_s / 10))); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  awk -v l="$load" -v m="$max_load" 'BEGIN { exit !(l <= m) }' && break
  echo "load average $load > $max_load: waiting (at most ${wait_s} s in all)"
  sleep 10
done
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

"$bench/bin/lattice-bench" \
  --schemathesis "$bench/venv-schemathesis/bin/schemathesis" \
  --moto-url "http://127.0.0.1:$moto_port" --moto-pid "$moto_pid" \
  --reference-url "http://127.0.0.1:$ref_port" \
  "$@"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
