#!/usr/bin/env bash
# Latency benchmark of the replay loop, inside a throw-away network lab (needs root: namespaces, raw sockets,
# capture). Against nginx in the target namespace, in one run, at light load (SESSIONS per phase at RATE/s):
#   1. curl from the client namespace, one GET per connection (the kernel-socket reference: time_starttransfer,
#      handshake included) and the same recorded exchange replayed by the engine through the raw socket and the
#      real agent jar: latency timed from the wire (capture timestamps), and the raw figure (engine receive time);
#   2. a recorded keep-alive session of 3 GETs (curl URL URL URL): the later requests' latency against curl's, and
#      per round trip the replay's overhead (response on the wire -> next request, minus the recorded think time),
#      split into the agent relay and the engine.
# Bounded: SESSIONS per phase (default 500), every wait capped.
#
# Usage: sudo scripts/bench-latency.sh [SESSIONS=500] [RATE=50]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

sessions="${1:-500}"
rate="${2:-50}"
check() {
  if ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
    echo "$1: '$2' (expected: a number $3..$4)" >&2
    exit 2
  fi
}
check sessions "$sessions" 10 5000
check rate "$rate" 1 1000
if [ "$(id -u)" -ne 0 ]; then
  echo "the benchmark builds network namespaces and sends raw packets: run it as root (sudo $0)" >&2
  exit 1
fi
ensure_packages "${LAB_PACKAGES[@]}"

out="replay-loop-tests/target/bench-latency.txt"
rm -f "$out"
timeout 1200 ./mvnw -q -pl replay-loop-tests -am verify -Dcheckstyle.skip \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=LatencyBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench=true -Dbench.sessions="$sessions" -Dbench.rate="$rate" \
  -Dbench.out="$PWD/$out" >replay-loop-tests/target/bench-latency.log 2>&1 || {
  echo "benchmark failed; the build's output (replay-loop-tests/target/bench-latency.log) ends with:" >&2
  grep -v '^\s*at ' replay-loop-tests/target/bench-latency.log | tail -30 >&2
  exit 1
}
echo "== replay latency benchmark ($(nproc) cores, $(uname -r)) =="
cat "$out"
