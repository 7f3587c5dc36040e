#!/bin/sh
# Asks the JMeter running headless on this host to stop now (its UDP port, 4445 by default; give another as $1).
bin=$(cd "$(dirname "$0")" && pwd)
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$bin/ApacheJMeter.jar" org.apache.jmeter.util.ShutdownClient StopTestNow "$@"
