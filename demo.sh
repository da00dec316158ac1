#!/usr/bin/env bash
# Builds the distributor if needed, then runs it with a local fleet of demo analyzers matching
# analyzers.yaml (127.0.0.1:9001-9004). Ctrl-C (or SIGTERM) stops both: the distributor first, so
# that it drains its queue to the analyzers.
# The JVM is $JAVA_HOME/bin/java, else java on the PATH (Java 17 or later). On Java 25 or later the
# distributor starts with an ahead-of-time cache, trained once per build of the jar by
# docker/train-aot.sh (as the image does; about a minute), so it reaches full speed sooner.
set -euo pipefail
cd "$(dirname "$0")"
jar=target/logs-distributor.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [[ ! -f $jar || -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  mvn -B -q package -DskipTests
fi
mapfile -t jvm_flags < <(grep -v '^\s*#' jvm.options | grep -v '^\s*$')
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [[ ${feature%%.*} =~ ^[0-9]+$ && ${feature%%.*} -ge 25 ]]; then
  cache=target/logs-distributor.aot
  if [[ ! -f $cache || $jar -nt $cache ]]; then
    echo "demo: training the JVM's ahead-of-time cache for this build (docker/train-aot.sh)" >&2
    JAVA=$java JAR=$jar JVM_OPTIONS=jvm.options AOT_OPTIONS=docker/aot.options docker/train-aot.sh "$cache" \
      || rm -f "$cache"
  fi
  if [[ -f $cache ]]; then
    jvm_flags+=("-XX:AOTCache=$cache")
    mapfile -t -O "${#jvm_flags[@]}" jvm_flags < <(grep -v '^\s*#' docker/aot.options | grep -v '^\s*$')
  fi
fi
"$java" -jar "$jar" demo-analyzers "${ANALYZERS_FILE:-analyzers.yaml}" &
fleet=$!
trap 'kill $fleet 2>/dev/null || true' EXIT
"$java" "${jvm_flags[@]}" -jar "$jar" &
distributor=$!
trap 'kill $distributor 2>/dev/null || true; wait $distributor || true; exit 0' INT TERM
status=0
wait $distributor || status=$?
exit $status
