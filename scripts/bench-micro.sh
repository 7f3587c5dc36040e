#!/usr/bin/env bash
# JMH benchmarks of the hot code, each against a reference measured in the same run.
# Usage: scripts/bench-micro.sh [quick]      (quick: fewer iterations, wider error bars)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q package -DskipTests -pl benchmarks -am
java -Dproject.root="$PWD" -cp "benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)" \
    io.pcapreplay.benchmarks.BenchmarkMain "$@"
