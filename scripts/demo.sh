#!/usr/bin/env bash
# The main job: replay a bundled capture through real JMeter in a three-namespace lab, and show the results.
# Usage: sudo scripts/demo.sh [--target embedded|nginx] [--out DIR] [--users N] [--loops N] [--duration SECONDS]
#
# Needs root (network namespaces, raw sockets, packet capture) and Java 17+. Steps: installs missing packages
# (iproute2, libpcap0.8; nginx-light with --target nginx), builds (./mvnw -pl distribution -am package: JMeter 5.6.3
# with the plugin under distribution/target/jmeter, the agent jar), then runs io.pcapreplay.lab.demo.Demo, which
# creates the lab (namespaces client, target, assistant), starts the target and the intercept agent, runs
# examples/plans/replay.jmx headless in the client namespace, prints a summary and removes the lab again (also on
# failure or Ctrl-C). Results: DIR/results.jtl, DIR/report/index.html, DIR/jmeter.log (default DIR: demo-results/).
set -euo pipefail
caller_dir=$PWD
command_line="$0 $*"
cd "$(dirname "$0")/.."
root=$PWD

fail() {
  echo "demo.sh: $*" >&2
  exit 1
}

target=embedded
out=$root/demo-results
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 0 ;;
    --target)
      [ $# -ge 2 ] || fail "--target: no value (expected: embedded or nginx)"
      target=$2; shift 2 ;;
    --out)
      [ $# -ge 2 ] || fail "--out: no value (expected: a folder)"
      case "$2" in /*) out=$2 ;; *) out=$caller_dir/$2 ;; esac
      shift 2 ;;
    *)
      args+=("$1"); shift ;;
  esac
done
case "$target" in
  embedded|nginx) ;;
  *) fail "--target: $target (expected: embedded or nginx)" ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  fail "root required: uid $(id -u) (expected: 0; the demo creates network namespaces, sends raw IP packets and captures
packets). Run: sudo $command_line"
fi
command -v java >/dev/null || fail "java not found (expected: Java 17 or later on the PATH; e.g. apt-get install openjdk-17-jdk-headless)"

. scripts/prerequisites.sh
packages=(iproute2 libpcap0.8)
if [ "$target" = nginx ]; then
  packages+=(nginx-light)
fi
echo "== prerequisites: ${packages[*]} =="
ensure_packages "${packages[@]}" || fail "installing the prerequisites failed (see above)"

echo "== building: ./mvnw -q -pl distribution -am package -DskipTests (JMeter 5.6.3 + plugin, agent jar) =="
./mvnw -q -pl distribution -am package -DskipTests || fail "the build failed (see the Maven output above)"

echo "== running the demo (target: $target, results: $out) =="
status=0
java -cp "distribution/target/demo/lib/*" io.pcapreplay.lab.demo.Demo --project-root "$root" \
  --jmeter-home distribution/target/jmeter --agent-jar distribution/target/agent/intercept-agent.jar \
  --target "$target" --out "$out" ${args[@]+"${args[@]}"} || status=$?
if [ -n "${SUDO_UID:-}" ] && [ -d "$out" ]; then
  chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$out" # the results belong to who ran sudo
fi
if [ "$status" -eq 130 ] || [ "$status" -eq 143 ]; then
  fail "interrupted (exit status $status); the lab was removed"
elif [ "$status" -ne 0 ]; then
  fail "the demo failed (exit status $status; see the messages above)"
fi
echo "== done: open $out/report/index.html =="
