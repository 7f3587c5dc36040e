#!/usr/bin/env bash
# Capture benchmark of the intercept agent, inside a throw-away network lab (needs root: namespaces, raw sockets,
# packet capture). SYNs from fake clients (raw socket in the client namespace) hit a listening port of the target,
# whose kernel answers each with a SYN-ACK routed to the assistant, where it is captured:
#   1. tcpdump -B 32768 alone on the same bursts: the reference (its count and kernel drops);
#   2. per capture variant, the agent jar as a process with one replayer: relay delay at light load (one SYN per
#      2 ms), then BURST-SYN bursts: SYN-ACKs relayed, kernel drops (from STATS), ratio to tcpdump's count, the
#      agent's capture-to-socket delay (its final stats) and its RSS.
# Variants: pcap-jvm-default (libpcap, JVM without memory flags: before), pcap, pcap-256 (256 MiB buffer),
# pcap-v3 (libpcap TPACKET_V3, 1 ms blocks), ring-no-pause (the agent's own TPACKET_V2 ring, --batch-pause-us 0),
# ring (the same with its default pause between batches: the default).
# Bounded: ROUNDS bursts per variant, each wait at most 60 s; a few minutes in all.
#
# Usage: sudo scripts/bench-agent.sh [BURST=10000] [ROUNDS=3] [VARIANTS=pcap-jvm-default,pcap,pcap-256,pcap-v3,ring-no-pause,ring]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

burst="${1:-10000}"
rounds="${2:-3}"
variants="${3:-pcap-jvm-default,pcap,pcap-256,pcap-v3,ring-no-pause,ring}"
if ! [[ "$burst" =~ ^[0-9]+$ ]] || [ "$burst" -lt 100 ] || [ "$burst" -gt 64000 ]; then
  echo "burst: '$burst' (expected: a number 100..64000 SYNs)" >&2
  exit 2
fi
if ! [[ "$rounds" =~ ^[0-9]+$ ]] || [ "$rounds" -lt 1 ] || [ "$rounds" -gt 10 ]; then
  echo "rounds: '$rounds' (expected: a number 1..10)" >&2
  exit 2
fi
if ! [[ "$variants" =~ ^[a-z0-9,-]+$ ]]; then
  echo "variants: '$variants' (expected: a comma-separated list of ring, pcap, pcap-256, pcap-v3, pcap-jvm-default)" >&2
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
  -Dbench=true -Dbench.burst="$burst" -Dbench.rounds="$rounds" -Dbench.variants="$variants" \
  -Dbench.out="$PWD/$out" >/dev/null
echo "== intercept agent capture benchmark ($(nproc) cores, $(uname -r)) =="
cat "$out"
