#!/usr/bin/env bash
# Capture reading speed: our reader (pure Java, in place) against tcpdump and tshark reading the same generated
# file, in one run; also the previous reader's loop (libpcap through pcap4j) for the history.
# Usage: scripts/bench-read.sh [SESSIONS=100000]       (needs tcpdump and tshark; installs them as root)
#
# Two captures are generated under target/bench-read (deleted at the end), both Ethernet/IPv4, 200 sessions open
# at once: "http" (3 exchanges per session, 200-byte requests, 2000-byte responses: 15 packets per session of 54 to
# 1514 bytes) and "small" (1 exchange of 100 + 100 bytes: 8 packets per session, 54 to 154 bytes). Per file and
# tool: packets/s = packets / wall time of the whole run (tcpdump -r FILE -w /dev/null; tshark -r FILE > /dev/null;
# ours: best of 3 runs in one JVM, after the page cache was warmed by a first read).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh
sessions=${1:-100000}
if ! ensure_packages tcpdump tshark; then
  echo "tcpdump and tshark are needed (expected: installed; run as root to install them)" >&2
  exit 1
fi
./mvnw -q package -DskipTests -pl benchmarks -am
classpath="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)"
directory=target/bench-read
mkdir -p "$directory"
trap 'rm -f "$directory"/*.pcap' EXIT

seconds() { # the wall time of a command, in seconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  awk -v start="$start" -v end="$end" 'BEGIN { printf "%.3f", (end - start) / 1e9 }'
}

rate() { awk -v count="$1" -v time="$2" 'BEGIN { printf "%.0f", count / time }'; }
ratio() { awk -v ours="$1" -v reference="$2" 'BEGIN { printf "%.2f", ours / reference }'; }

for profile in http small; do
  file="$directory/$profile.pcap"
  if [ "$profile" = http ]; then
    java -cp "$classpath" io.pcapreplay.pcap.ReadBenchmark generate "$file" "$sessions" 3 200 2000 200
  else
    java -cp "$classpath" io.pcapreplay.pcap.ReadBenchmark generate "$file" "$((sessions * 3))" 1 100 100 200
  fi
  cat "$file" >/dev/null
  tcpdump_seconds=$(seconds tcpdump -r "$file" -w /dev/null)
  tshark_seconds=$(seconds tshark -r "$file")
  ours=$(java -Xmx512m -cp "$classpath" io.pcapreplay.pcap.ReadBenchmark read "$file" 3)
  previous=$(java -Xmx512m -cp "$classpath" io.pcapreplay.pcap.ReadBenchmark pcap4j "$file" 2>/dev/null)
  count=$(echo "$ours" | awk '/^records/ {print $2}')
  tcpdump_rate=$(rate "$count" "$tcpdump_seconds")
  tshark_rate=$(rate "$count" "$tshark_seconds")
  echo
  echo "== $profile: $count packets, $(du -m "$file" | cut -f1) MB"
  printf '%-38s %12s %10s %10s\n' "reader" "packets/s" "/ tcpdump" "/ tshark"
  printf '%-38s %12s %10s %10s\n' "tcpdump -r FILE -w /dev/null" "$tcpdump_rate" "1.00" "$(ratio "$tcpdump_rate" "$tshark_rate")"
  printf '%-38s %12s %10s %10s\n' "tshark -r FILE > /dev/null" "$tshark_rate" "$(ratio "$tshark_rate" "$tcpdump_rate")" "1.00"
  echo "$ours
$previous" | while read -r name _ _ perSecond; do
    case "$name" in
      records) label="ours: records only" ;;
      sessions) label="ours: sessions (what a replay reads)" ;;
      sessions-filtered) label="ours: sessions, filter 'tcp port 80'" ;;
      pcap4j-records) label="before: pcap4j records only" ;;
      *) label="$name" ;;
    esac
    printf '%-38s %12s %10s %10s\n' "$label" "$perSecond" "$(ratio "$perSecond" "$tcpdump_rate")" \
      "$(ratio "$perSecond" "$tshark_rate")"
  done
  rm -f "$file"
done
