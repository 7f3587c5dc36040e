#!/usr/bin/env bash
# Benchmark of the live copy (tcpcopy's job), inside a throw-away network lab (root: namespaces, nginx, capture).
# The production server is nginx :80 in the target namespace, its client wrk -H 'Connection: close' (one session
# per request) in the client namespace, throttled (2 ms between a connection's sessions) at 1, 2, 4, 8 connections,
# then 16 unthrottled: the reference rate. The live source captures
# the server's interface, copies every session and replays each over kernel sockets against nginx :8080 as soon as
# its request is complete. Per step: production sessions/s, sessions seen, copied (per second, ratio to production),
# replayed OK, drops. Bounded: SECONDS per step (default 8), every wait capped.
#
# Usage: sudo scripts/bench-live.sh [SECONDS=8]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

seconds="${1:-8}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ] || [ "$seconds" -gt 60 ]; then
  echo "seconds: '$seconds' (expected: a number 1..60)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "the benchmark builds network namespaces: run it as root (sudo $0)" >&2
  exit 1
fi
# wrk is the benchmark's reference only (not a test prerequisite, not installed by CI)
ensure_packages "${LAB_PACKAGES[@]}" wrk

out="replay-loop-tests/target/bench-live.txt"
mkdir -p replay-loop-tests/target
rm -f "$out"
timeout 900 ./mvnw -q -pl replay-loop-tests -am verify -Dcheckstyle.skip \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=LiveBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false -DargLine=-Xmx2g \
  -Dbench=true -Dbench.seconds="$seconds" \
  -Dbench.out="$PWD/$out" >replay-loop-tests/target/bench-live.log 2>&1 || {
  echo "benchmark failed; the build's output (replay-loop-tests/target/bench-live.log) ends with:" >&2
  grep -v '^\s*at ' replay-loop-tests/target/bench-live.log | tail -30 >&2
  exit 1
}
echo "== live copy benchmark ($(nproc) cores, $(uname -r)) =="
cat "$out"
