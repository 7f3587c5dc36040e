#!/usr/bin/env bash
# Benchmark of the kernel transport (ordinary TCP sockets, no agent), inside a throw-away network lab (root only to
# build the lab: namespaces, nginx; the replayer itself needs none). Against nginx (2 workers) in the target
# namespace, from the client namespace, in one run:
#   1. wrk -H 'Connection: close' (the reference) and the kernel replayer replaying a recorded one-GET-per-connection
#      session (curl, captured in the lab), same connection count and duration; with 2 selector loops, then 1;
#   2. wrk with keep-alive and the replayer replaying a recorded 3-GET keep-alive session (tcp_tw_reuse=1 in the
#      client namespace), then the same with tcp_tw_reuse=0 for half the duration: the port limit, counted;
#   3. memory: idle comet sessions held against nginx; heap bytes per open session, the kernel's socket counts.
# Bounded: each phase SECONDS (default 10), at most IDLE sessions (default 15000: nginx holds 16384), every wait
# capped.
#
# Usage: sudo scripts/bench-kernel.sh [CONNECTIONS=200] [SECONDS=10] [IDLE=15000]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

connections="${1:-200}"
seconds="${2:-10}"
idle="${3:-15000}"
check() {
  if ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
    echo "$1: '$2' (expected: a number $3..$4)" >&2
    exit 2
  fi
}
check connections "$connections" 1 10000
check seconds "$seconds" 1 60
check "idle sessions" "$idle" 100 16000
if [ "$(id -u)" -ne 0 ]; then
  echo "the benchmark builds network namespaces: run it as root (sudo $0)" >&2
  exit 1
fi
# wrk is the benchmark's reference only (not a test prerequisite, not installed by CI)
ensure_packages "${LAB_PACKAGES[@]}" wrk

out="replay-loop-tests/target/bench-kernel.txt"
rm -f "$out"
timeout 1200 ./mvnw -q -pl replay-loop-tests -am verify -Dcheckstyle.skip \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=KernelBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false -DargLine=-Xmx4g \
  -Dbench=true -Dbench.connections="$connections" -Dbench.seconds="$seconds" -Dbench.idle="$idle" \
  -Dbench.out="$PWD/$out" >replay-loop-tests/target/bench-kernel.log 2>&1 || {
  echo "benchmark failed; the build's output (replay-loop-tests/target/bench-kernel.log) ends with:" >&2
  grep -v '^\s*at ' replay-loop-tests/target/bench-kernel.log | tail -30 >&2
  exit 1
}
echo "== kernel transport benchmark ($(nproc) cores, $(uname -r)) =="
cat "$out"
