#!/usr/bin/env bash
# Relay benchmark of the intercept agent, inside a throw-away network lab (needs root: namespaces, raw sockets,
# packet capture). A flood of TCP segments from the target to fake clients (198.18.200.0/24) is sent by one raw
# socket in the target namespace and captured on the assistant, three times on the same flood:
#   1. tcpdump -w /dev/null alone: the reference;
#   2. the agent (the shaded jar, as a process) relaying headers only (payload cap 0) to one replayer;
#   3. the agent relaying whole packets.
# Prints packets delivered, pkt/s, MB/s and the ratio of each rate to tcpdump's, measured in the same run.
# Bounded: PACKETS per phase (default 200000), each phase at most 60 s.
#
# Usage: sudo scripts/bench-agent.sh [PACKETS] [PAYLOAD_BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

packets="${1:-200000}"
payload="${2:-512}"
if ! [[ "$packets" =~ ^[0-9]+$ ]] || [ "$packets" -lt 1000 ] || [ "$packets" -gt 5000000 ]; then
  echo "packets: '$packets' (expected: a number 1000..5000000)" >&2
  exit 2
fi
if ! [[ "$payload" =~ ^[0-9]+$ ]] || [ "$payload" -gt 1400 ]; then
  echo "payload bytes: '$payload' (expected: a number 0..1400, so packets fit the veth MTU)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "the benchmark builds network namespaces and captures packets: run it as root (sudo $0)" >&2
  exit 1
fi
ensure_packages "${LAB_PACKAGES[@]}"

out="replay-loop-tests/target/bench-agent.txt"
rm -f "$out"
timeout 900 ./mvnw -q -pl replay-loop-tests -am verify -Dcheckstyle.skip \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=AgentBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench=true -Dbench.packets="$packets" -Dbench.payload="$payload" -Dbench.out="$PWD/$out" >/dev/null
echo "== intercept agent relay benchmark ($(nproc) cores, $(uname -r)) =="
cat "$out"
