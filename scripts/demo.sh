#!/usr/bin/env bash
# The main job: build everything and show what the replayer sees in a bundled capture.
# Usage: sudo scripts/demo.sh        (root only to install missing packages: libpcap)
#
# Today the demo inspects examples/pcaps/http-keepalive.pcap: sessions, exchanges, bytes, think times.
# The end-to-end replay through JMeter joins it when the JMeter elements land.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh
ensure_packages libpcap0.8

echo "== building (./mvnw package, tests skipped; scripts/test.sh runs them) =="
./mvnw -q package -DskipTests

jar=$(ls jmeter-plugin/target/jmeter-plugin-*.jar | grep -v -e sources -e tests | head -n 1)
capture=${1:-examples/pcaps/http-keepalive.pcap}
echo "== java -jar $jar inspect $capture --port 80 =="
java -jar "$jar" inspect "$capture" --port 80
