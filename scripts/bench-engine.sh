#!/usr/bin/env bash
# Benchmark of the replay engine, inside a throw-away network lab (needs root: namespaces, raw sockets, capture).
# Against nginx (2 workers) in the target namespace, in one run:
#   1. wrk -H 'Connection: close' from the client namespace (the reference) and the engine replaying a recorded
#      one-GET-per-connection session (curl, captured in the lab), same connection count and duration;
#   2. overload: sessions started at twice wrk's rate for half the duration; the share that completed;
#   3. memory: idle comet sessions held against an in-process stateless responder; heap bytes per open session.
# Bounded: each throughput phase SECONDS (default 10), at most IDLE sessions (default 1000000), every wait capped.
#
# Usage: sudo scripts/bench-engine.sh [CONNECTIONS=200] [SECONDS=10] [IDLE=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

connections="${1:-200}"
seconds="${2:-10}"
idle="${3:-1000000}"
check() {
  if ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
    echo "$1: '$2' (expected: a number $3..$4)" >&2
    exit 2
  fi
}
check connections "$connections" 1 10000
check seconds "$seconds" 1 60
check "idle sessions" "$idle" 1000 2000000
if [ "$(id -u)" -ne 0 ]; then
  echo "the benchmark builds network namespaces and sends raw packets: run it as root (sudo $0)" >&2
  exit 1
fi
# wrk is the benchmark's reference only (not a test prerequisite, not installed by CI)
ensure_packages "${LAB_PACKAGES[@]}" wrk

out="replay-loop-tests/target/bench-engine.txt"
rm -f "$out"
timeout 1200 ./mvnw -q -pl replay-loop-tests -am verify -Dcheckstyle.skip \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=EngineBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false -DargLine=-Xmx8g \
  -Dbench=true -Dbench.connections="$connections" -Dbench.seconds="$seconds" -Dbench.idle="$idle" \
  -Dbench.out="$PWD/$out" >replay-loop-tests/target/bench-engine.log 2>&1 || {
  echo "benchmark failed; the build's output (replay-loop-tests/target/bench-engine.log) ends with:" >&2
  grep -v '^\s*at ' replay-loop-tests/target/bench-engine.log | tail -30 >&2
  exit 1
}
echo "== replay engine benchmark ($(nproc) cores, $(uname -r)) =="
cat "$out"
