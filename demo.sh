#!/usr/bin/env bash
# Builds the distributor if needed, then runs it with a local fleet of demo analyzers matching
# analyzers.yaml (127.0.0.1:9001-9004). Ctrl-C stops both.
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
exec_status=0
java "${jvm_flags[@]}" -jar "$jar" || exec_status=$?
exit $exec_status
