#!/usr/bin/env bash
# Training run for the JVM's ahead-of-time cache (JEP 483/514/515, Java 25): starts four demo analyzers and the
# distributor with the flags of jvm.options plus the training flag, drives it with the load generator (the
# default packet mix, 32 connections) and hits the operator endpoints and the refusal path once, then stops it
# with SIGTERM; on the way out the JVM writes the classes it loaded and linked and the method profiles it
# gathered into CACHE. A later start with -XX:AOTCache=CACHE (docker/entrypoint.sh adds it when the file exists)
# begins with those classes loaded and those profiles, so the JIT compiles the hot path sooner.
# The Dockerfile's training stage runs this; bench/warmup.sh's figures were taken with a cache it made.
#
# usage: docker/train-aot.sh CACHE
# Then it starts the JVM once more with the cache, -XX:AOTMode=on (fail unless the cache is used) and the flags
# of aot.options, as the entrypoint will: a JVM that refuses them fails the build, not the pod.
# environment: APP_DIR=/app (logs-distributor.jar, jvm.options and aot.options: the same paths and flags as at
#              run time, which the cache is checked against; or JAR=, JVM_OPTIONS= and AOT_OPTIONS= files),
#              JAVA=java, TRAIN_PACKETS=200000,
#              TRAIN_FLAG=-XX:AOTCacheOutput (-XX:ArchiveClassesAtExit makes an AppCDS archive on Java 17),
#              TRAIN_PORT=19180 (the analyzers take the next four ports)
set -euo pipefail

cache=$(realpath -m "$1")
app_dir=${APP_DIR:-/app}
java=${JAVA:-java}
packets=${TRAIN_PACKETS:-200000}
train_flag=${TRAIN_FLAG:--XX:AOTCacheOutput}
port=${TRAIN_PORT:-19180}
jar=${JAR:-$app_dir/logs-distributor.jar}
jvm_options=${JVM_OPTIONS:-$app_dir/jvm.options}
aot_options=${AOT_OPTIONS:-$app_dir/aot.options}
work=$(mktemp -d)
pids=()
log() { echo "[train-aot $(date +%T)] $*" >&2; }
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

http() {  # http METHOD PATH [BODY]: prints the response; bash only, the image has no curl
  local body=${3:-}
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "$1" "$2" "${#body}" "$body" >&3
  cat <&3
  exec 3<&-
}

options_of() {  # the flags of an options file, one per line, without blank lines and # comments
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    [[ -z $line || $line == \#* ]] && continue
    echo "$line"
  done <"$1"
}
mapfile -t flags < <(options_of "$jvm_options")

{
  echo "analyzers:"
  for i in 1 2 3 4; do
    printf '  - id: analyzer-%d\n    url: http://127.0.0.1:%d/ingest\n    weight: 0.%d\n' "$i" $((port + i)) $((5 - i))
  done
} >"$work/analyzers.yaml"
"$java" -Xmx256m -jar "$jar" demo-analyzers "$work/analyzers.yaml" >"$work/analyzers.log" 2>&1 &
pids+=($!)

rm -f "$cache"
mkdir -p "$work/data"
HTTP_PORT=$port HTTP_HOST=127.0.0.1 ANALYZERS_FILE=$work/analyzers.yaml DISTRIBUTOR_DATA_DIR=$work/data \
  "$java" "${flags[@]}" "$train_flag=$cache" -jar "$jar" >"$work/distributor.log" 2>&1 &
distributor=$!
pids+=("$distributor")
for _ in $(seq 1 600); do
  http GET /health 2>/dev/null | grep -q '"healthy_analyzers":4' && break
  kill -0 "$distributor" 2>/dev/null || { tail -30 "$work/distributor.log" >&2; exit 1; }
  sleep 0.2
done
http GET /health | grep -q '"healthy_analyzers":4' || { echo "train-aot: the distributor never saw 4 healthy analyzers" >&2; exit 1; }

log "training: $packets packets through the distributor ($java)"
"$java" -Xmx256m -XX:+UseParallelGC -jar "$jar" loadgen --url "http://127.0.0.1:$port/ingest" \
  --packets "$packets" --connections 32 --json >"$work/loadgen.json" 2>"$work/loadgen.log"
log "$(grep -o '"packets_accepted":[0-9]*\|"packets_per_s":[0-9.]*\|"status":{[^}]*}' "$work/loadgen.json" | tr '\n' ' ')"
# the rest of a day's traffic: the operator endpoints and a refused packet
for path in /stats /metrics /health /observe/health/ready; do http GET "$path" >/dev/null; done
http POST /ingest '{"agent_id":"train","messages":"not a list"}' | head -1 | grep -q ' 400 ' \
  || echo "train-aot: the refused packet did not get a 400" >&2

# SIGTERM, as Kubernetes stops a pod: the JVM writes the cache on its way out (that takes a while)
kill -TERM "$distributor"
status=0
wait "$distributor" || status=$?
if [[ ! -s $cache ]]; then
  echo "train-aot: no cache at $cache (exit $status)" >&2
  tail -30 "$work/distributor.log" >&2
  exit 1
fi
log "wrote $cache ($(du -h "$cache" | cut -f1))"

if [[ $train_flag == -XX:AOTCacheOutput ]]; then
  run_flags=()
  [[ -f $aot_options ]] && mapfile -t run_flags < <(options_of "$aot_options")
  "$java" "${flags[@]}" "-XX:AOTCache=$cache" -XX:AOTMode=on "${run_flags[@]}" -jar "$jar" loadgen --help >/dev/null \
    || { echo "train-aot: the JVM does not start with $cache and ${run_flags[*]}" >&2; exit 1; }
  log "checked: the JVM starts with the cache and ${run_flags[*]:-no other flag}"
fi
