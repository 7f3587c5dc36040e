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
#
# Through real JMeter (distribution/target/jmeter, bin/jmeter with its default heap and GC unless told; the
# JMeterBenchmarkIT of the distribution module), each against a reference measured in the same run:
#   sudo scripts/bench-engine.sh jmeter-throughput [USERS=50000,200000] [SECONDS=10]
#       wrk -c100 -H 'Connection: close' (SECONDS), then each user count as engine-driven users replaying a
#       curl-recorded one-GET-per-connection session (loops 1, no ramp-up, CSV JTL), unpaced and paced at 2 x wrk's
#       rate: sessions/s from the JTL, ratio to wrk, completion, the agent's kernel drops (its stats line); then
#       wrk again, and each run's ratio to the mean of both wrk runs (the machine's speed drifts over minutes).
#   sudo scripts/bench-engine.sh jmeter-comet [USERS=2000000] [HOLD=30] [WORKERS=120]
#       a 1,000-session baseline, then USERS comet sessions (engine-driven, the default responseBytes) held HOLD s
#       against nginx with WORKERS workers (reuseport; 19,000 connections each): held sessions (established at the
#       target), RSS, heap after a full GC, bytes per session over the baseline, idle CPU.
#   sudo scripts/bench-engine.sh jmeter-threads [USERS=100000,300000] [HOLD=30] [REFERENCE=2000]
#       memory per user of thread-per-user users against JMeter's own HTTP sampler, in one run (nginx with
#       USERS/12,000 reuseport workers, /hold answered after HOLD s by the echo module), JMeter on Java 21+ (the
#       newest JDK under /usr/lib/jvm, or BENCH_JAVA=/path/to/bin/java): the reference, a plain Thread Group with an
#       HTTP Request sampler (HttpClient4), 100 then REFERENCE users each holding GET /hold; then 1,000 and USERS
#       thread-per-user users (virtual threads) replaying a keep-alive GET in comet mode, each holding its
#       connection HOLD s: RSS and heap after a full GC per user over the baselines, and the ratio to the reference.
#       Both JMeters run with BENCH_JVM_ARGS, by default log4j's per-thread buffers off and, on Java 24+, compact
#       object headers; BENCH_HEAP sizes ours (by default -Xmx10g, G1 giving back all but 10-20 % free after a GC).
# Extra options for the agent: BENCH_AGENT_ARGS='--batch-pause-us 0'; for its JVM (JMeter benchmarks):
# BENCH_AGENT_JVM_ARGS='-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation'. Extra JVM options for JMeter: BENCH_JVM_ARGS='...'; its heap (not the reference's): BENCH_HEAP='-Xms8g -Xmx8g'; a JFR profile of each JMeter run: BENCH_JFR=true (in
# distribution/target/RUN.jfr, e.g. throughput-200000.jfr); unpaced runs only: BENCH_PACED=false; a class histogram after each full GC:
# BENCH_HISTOGRAM=true (distribution/target/histogram-TIME-PID.txt); the target's packets of each throughput run
# (tcpdump, headers only) and the history of the first connections the server reset: BENCH_CAPTURE=true
# (distribution/target/throughput-USERS.pcap, throughput-USERS-resets.txt); the host's receive backlog for the run
# (net.core.netdev_max_backlog, restored after): BENCH_BACKLOG=N, 0 to leave it (default 10000); the throughput runs'
# transport: BENCH_TRANSPORT=datalink (frames to the target's MAC through a packet socket; default raw-ip); JMeter on
# another JDK for the throughput runs too: BENCH_JAVA=/path/to/bin/java; each throughput run's JTL kept:
# BENCH_KEEP_JTL=true (distribution/target/throughput-USERS.jtl); the opt-in warm-up, N sessions replayed unsampled
# before each throughput run's users start (-Jpcapreplay.warmUpSessions): BENCH_WARM_UP_SESSIONS=N.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

case "${1:-}" in
  jmeter-throughput|jmeter-comet|jmeter-threads)
    mode="${1#jmeter-}"
    shift
    # The lab's veths feed the host's per-CPU receive backlog (net.core.netdev_max_backlog, host-wide, 1,000 by
    # default), which overflows under start bursts: a dropped SYN-ACK retransmission makes Linux forget the handshake
    # and reset the late ACK. Raised for the run (BENCH_BACKLOG, default 10000; 0 leaves it), restored after.
    backlog_before="$(sysctl -n net.core.netdev_max_backlog)"
    if [ "${BENCH_BACKLOG:-10000}" != 0 ]; then
      sysctl -q -w net.core.netdev_max_backlog="${BENCH_BACKLOG:-10000}"
      trap 'sysctl -q -w net.core.netdev_max_backlog="$backlog_before"' EXIT
    fi
    case "$mode" in
      throughput) users="${1:-50000,200000}"; extra=(-Dbench.seconds="${2:-10}")
        if [ -n "${BENCH_JAVA:-}" ]; then
          extra+=(-Dbench.java="$BENCH_JAVA") # JMeter on another JDK (default: the machine's java)
        fi ;;
      comet) users="${1:-2000000}"; extra=(-Dbench.hold="${2:-30}" -Dbench.workers="${3:-120}") ;;
      threads)
        users="${1:-100000,300000}"
        if ! [[ "${2:-30}" =~ ^[0-9]+$ ]] || [ "${2:-30}" -lt 20 ] || [ "${2:-30}" -gt 300 ]; then
          echo "hold: '${2:-30}' (expected: seconds, 20..300: the reference is measured before its answers)" >&2
          exit 2
        fi
        java="${BENCH_JAVA:-$(for candidate in /usr/lib/jvm/*/bin/java; do
          version="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"
          [ "${version:-0}" -ge 21 ] 2>/dev/null && echo "$version $candidate"
        done | sort -n | tail -1 | cut -d' ' -f2)}"
        if [ -z "$java" ] || ! [ -x "$java" ]; then
          echo "Java 21+: none under /usr/lib/jvm (expected: a JDK 21 or later; or BENCH_JAVA=/path/to/bin/java)" >&2
          exit 2
        fi
        extra=(-Dbench.hold="${2:-30}" -Dbench.referenceUsers="${3:-2000}" -Dbench.java="$java")
        # log4j keeps ~14 KiB of encoding buffers per thread that logged (JMeter logs each thread's start and end):
        # off for both JMeters, the reference and ours; on Java 24+ compact object headers (8-byte headers) for
        # both too (docs/benchmarks.md)
        version="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"
        compact=""
        if [ "${version:-0}" -ge 24 ] 2>/dev/null; then
          compact=" -XX:+UseCompactObjectHeaders"
        fi
        BENCH_JVM_ARGS="${BENCH_JVM_ARGS--Dlog4j2.enableThreadlocals=false -Dlog4j2.enableDirectEncoders=false$compact}"
        # ours: room for 300,000 users, and G1 gives back what it does not use after a full GC (the reference keeps
        # JMeter's default 1 GiB heap)
        BENCH_HEAP="${BENCH_HEAP--Xms1g -Xmx10g -XX:MaxMetaspaceSize=256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20}" ;;
    esac
    if ! [[ "$users" =~ ^[0-9]+(,[0-9]+)*$ ]]; then
      echo "users: '$users' (expected: numbers separated by commas)" >&2
      exit 2
    fi
    if [ "$(id -u)" -ne 0 ]; then
      echo "the benchmark builds network namespaces and sends raw packets: run it as root (sudo $0)" >&2
      exit 1
    fi
    ensure_packages "${LAB_PACKAGES[@]}" wrk
    mkdir -p distribution/target # a clean checkout has none yet
    out="distribution/target/bench-jmeter-$mode.txt"
    rm -f "$out"
    timeout 3600 ./mvnw -q -pl distribution -am verify -Dcheckstyle.skip \
      -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
      -Dit.test=JMeterBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false \
      -Dbench=true -Dbench.mode="$mode" -Dbench.users="$users" "${extra[@]}" \
      -Dbench.jvmArgs="${BENCH_JVM_ARGS:-}" -Dbench.agentArgs="${BENCH_AGENT_ARGS:-}" -Dbench.agentJvmArgs="${BENCH_AGENT_JVM_ARGS:-}" -Dbench.heap="${BENCH_HEAP:-}" -Dbench.jfr="${BENCH_JFR:-false}" -Dbench.histogram="${BENCH_HISTOGRAM:-false}" -Dbench.capture="${BENCH_CAPTURE:-false}" -Dbench.keepJtl="${BENCH_KEEP_JTL:-false}" -Dbench.warmUpSessions="${BENCH_WARM_UP_SESSIONS:-}" -Dbench.paced="${BENCH_PACED:-true}" -Dbench.transport="${BENCH_TRANSPORT:-raw-ip}" \
      -Dbench.out="$PWD/$out" >"distribution/target/bench-jmeter-$mode.log" 2>&1 || {
      echo "benchmark failed; the build's output (distribution/target/bench-jmeter-$mode.log) ends with:" >&2
      grep -v '^\s*at ' "distribution/target/bench-jmeter-$mode.log" | tail -30 >&2
      exit 1
    }
    echo "== JMeter $mode benchmark ($(nproc) cores, $(uname -r)) =="
    cat "$out"
    exit 0
    ;;
esac

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
