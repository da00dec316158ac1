#!/usr/bin/env bash
# Builds the distributor if needed, then runs it with a local fleet of demo analyzers matching
# analyzers.yaml (127.0.0.1:9001-9004). Ctrl-C (or SIGTERM) stops both: the distributor first, so
# that it drains its queue to the analyzers.
set -euo pipefail
cd "$(dirname "$0")"
jar=target/logs-distributor.jar
if [[ ! -f $jar || -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  mvn -B -q package -DskipTests
fi
mapfile -t jvm_flags < <(grep -v '^\s*#' jvm.options | grep -v '^\s*$')
java -jar "$jar" demo-analyzers "${ANALYZERS_FILE:-analyzers.yaml}" &
fleet=$!
trap 'kill $fleet 2>/dev/null || true' EXIT
java "${jvm_flags[@]}" -jar "$jar" &
distributor=$!
trap 'kill $distributor 2>/dev/null || true; wait $distributor || true; exit 0' INT TERM
status=0
wait $distributor || status=$?
exit $status
