#!/usr/bin/env bash
# Runs every test: unit tests, and the lab tests that build network namespaces (those need root).
# Usage: sudo scripts/test.sh [extra Maven arguments]
#
# Without root the lab tests are skipped with a reason (and the run fails when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/prerequisites.sh

if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root: the lab tests (network namespaces, raw sockets, packet capture) need root and will be skipped;" >&2
  echo "      run 'sudo scripts/test.sh' to run them" >&2
fi
if ! ensure_packages "${LAB_PACKAGES[@]}"; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: the lab prerequisites are required" >&2
    exit 1
  fi
  echo "continuing without them: the lab tests will be skipped" >&2
fi

./mvnw verify "$@"

# The bytecode targets Java 17; also build and run the unit tests on the second JDK when there is one.
second_jdk=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n 1 || true)
if [ -n "$second_jdk" ] && [ "${SKIP_SECOND_JDK:-}" != "true" ]; then
  echo "== unit tests on $second_jdk =="
  JAVA_HOME="$second_jdk" ./mvnw verify -Dlab.skip=true "$@"
fi
