#!/usr/bin/env bash
# Warm-up benchmark: how fast a FRESH process runs from its first packet, slice by slice, against nginx in the
# same run. For each system under test (SUT) a load generator is first warmed up against a "primer" nginx on
# the SUT's port (so the generator's and the demo analyzers' own JIT are warm), then its --after-warmup hook
# stops the primer, starts the SUT fresh on that port, waits until it is healthy and starts a sampler; the
# measured PACKETS then go to a cold SUT. bench/warmup_report.py cuts the samples into slices of SLICE packets
# (rate, CPU per packet, JIT) and finds the steady state (last STEADY packets), the first FIRST packets and
# the point from which the rate stays at 90 % of steady. See BENCHMARKS.md, "Warm-up".
#
# usage: bench/warmup.sh [SUT...]      default SUTs: nginx 'java17|java|'
#   SUT = nginx                       a fresh nginx (worker_processes NGINX_WORKERS) as a weighted proxy
#       | 'LABEL|JAVA|FLAGS[|PREWARM]' a fresh distributor run by JAVA with jvm.options then FLAGS, e.g.
#                                     'j25aot|/usr/lib/jvm/temurin-25-jdk-amd64/bin/java|-XX:AOTCache=/tmp/app.aot';
#                                     PREWARM packets sent before it counts as started (a self-warm-up's stand-in)
#   SUTs run one after the other in the order given (alternate them for an A/B: 'A' 'B' 'A' 'B').
# parameters (environment):
#   PACKETS=460000 SLICE=10000 STEADY=60000 FIRST=20000 PRIMER=60000 CONNECTIONS=32 MIX=55:1-3,35:4-20,10:21-100
#   QUIET_PCT=10 QUIET_WAIT=180: before each SUT, wait up to QUIET_WAIT s for the box to be at most QUIET_PCT % busy
#   NGINX_WORKERS=auto PORT=28090 DIST_CONSUMERS (default: the app's) OUT=dir (default bench/results/warmup-<time>)
#   (any DISTRIBUTOR_* variable in the environment reaches the distributor too)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/nginx-conf.sh
. "$ROOT/bench/nginx-conf.sh"
HERE=$ROOT/bench
export JAR=$ROOT/target/logs-distributor.jar
export ANALYZERS_FILE=$HERE/analyzers.yaml
export ANALYZER_PORTS="29001 29002 29003 29004"
export PORT=${PORT:-28090}
export CLK_TCK; CLK_TCK=$(getconf CLK_TCK)
PACKETS=${PACKETS:-460000}
SLICE=${SLICE:-10000}
STEADY=${STEADY:-60000}
FIRST=${FIRST:-20000}
PRIMER=${PRIMER:-60000}
CONNECTIONS=${CONNECTIONS:-32}
MIX=${MIX:-55:1-3,35:4-20,10:21-100}
export NGINX_WORKERS=${NGINX_WORKERS:-auto}
OUT=${OUT:-$ROOT/bench/results/warmup-$(date +%Y%m%d-%H%M%S)}
export OUT; OUT=$(realpath -m "$OUT")
export SIDE_JVM="-Xms256m -Xmx512m -XX:+UseParallelGC"
export JVM_OPTS; JVM_OPTS="$(grep -v '^[[:space:]]*#' "$ROOT/jvm.options" | tr '\n' ' ')"
log() { echo "[warmup $(date +%T)] $*" >&2; }

wait_http() {  # wait_http URL seconds [grep-pattern]
  local url=$1 limit=$2 pattern=${3:-.}
  for _ in $(seq 1 $((limit * 20))); do
    if curl -fsS --max-time 1 "$url" 2>/dev/null | grep -q -- "$pattern"; then return 0; fi
    sleep 0.05
  done
  echo "warmup: $url did not come up in ${limit}s" >&2
  return 1
}
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
stop_pid() {  # stop one process we started and wait for it
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
start_nginx() {  # start_nginx DIR: a fresh nginx on $PORT, pids (master first) in DIR/pids
  local dir=$1 master
  mkdir -p "$dir"
  nginx -c "$OUT/nginx.conf" -p "$dir" -g "pid $dir/nginx.pid; error_log $dir/error.log warn;" \
    > "$dir/nginx.log" 2>&1 &
  master=$!
  echo "$master" >> "$OUT/pids"
  for _ in $(seq 1 100); do
    [ -n "$(pgrep -P "$master" || true)" ] && ! port_free "$PORT" && break
    sleep 0.05
  done
  echo "$master $(pgrep -P "$master" | tr '\n' ' ')" > "$dir/pids"
  ! port_free "$PORT" || { cat "$dir/nginx.log" >&2; echo "warmup: nginx did not start" >&2; return 1; }
}
stop_nginx() { stop_pid "$(cut -d' ' -f1 "$1/pids")"; for _ in $(seq 1 100); do port_free "$PORT" && break; sleep 0.05; done; }
busy_pct() {  # the box's busy CPU in % over 3 s (our analyzers idle meanwhile: anything busy is someone else)
  local a b
  a=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  sleep 3
  b=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  echo "$a $b" | awk '{print int(100 * ($3 - $1) / ($4 - $2 + 1))}'
}
quiet_box() {  # wait (at most QUIET_WAIT seconds) until other processes leave the box alone
  local pct waited=0
  while pct=$(busy_pct); [ "$pct" -gt "${QUIET_PCT:-10}" ] && [ "$waited" -lt "${QUIET_WAIT:-180}" ]; do
    [ "$waited" = 0 ] && log "the box is ${pct}% busy with other work: waiting for it to calm down"
    waited=$((waited + 3))
  done
  [ "$waited" = 0 ] || log "box at ${pct}% after ${waited}s"
}
drained() {  # wait until the analyzers' message totals stop moving
  "$HERE/snapshot.sh" "$1" $(cat "$2")
}

# ---- the --after-warmup hook: primer out, cold SUT in (runs inside the load generator's shell) ----
start_sut() {
  local label=$1 dir=$OUT/$1 launch ready ticks pid t command java flags prewarm loadgen
  stop_nginx "$OUT/primer"
  port_free "$PORT" || { echo "warmup: port $PORT still taken after the primer stopped" >&2; exit 1; }
  launch=$(date +%s.%N)
  if [ "${label%%.*}" = nginx ]; then
    start_nginx "$dir" || return 1
    command="nginx worker_processes $NGINX_WORKERS"
  else
    IFS='|' read -r _ java flags prewarm <<<"$SUT_SPEC"
    mkdir -p "$dir/data"
    # shellcheck disable=SC2086
    env HTTP_PORT=$PORT HTTP_HOST=127.0.0.1 DISTRIBUTOR_DATA_DIR=$dir/data \
      ${DIST_CONSUMERS:+DISTRIBUTOR_QUEUE_CONSUMERS=$DIST_CONSUMERS} \
      "$java" $JVM_OPTS $flags -jar "$JAR" > "$dir/distributor.log" 2>&1 &
    echo $! > "$dir/pids"
    echo $! >> "$OUT/pids"
    wait_http "http://127.0.0.1:$PORT/health" 120 '"healthy_analyzers":4' || { tail -20 "$dir/distributor.log" >&2; exit 1; }
    command="$java $JVM_OPTS $flags -jar logs-distributor.jar"
    if [ "${prewarm:-0}" -gt 0 ]; then
      # stands in for a warm-up the distributor would run itself before reporting ready (not in the app today):
      # PREWARM packets from a separate generator, counted in the start-up time, not in the slices
      # shellcheck disable=SC2086
      java $SIDE_JVM -jar "$JAR" loadgen --json --connections 32 --url "http://127.0.0.1:$PORT/ingest" \
        --packets "$prewarm" > "$dir/prewarm.json" 2>&1
      "$HERE/snapshot.sh" "$dir/prewarm.cpu" "$(cat "$dir/pids")"
      command="$command, warmed with $prewarm packets before ready"
    fi
  fi
  ready=$(date +%s.%N)
  ticks=0
  for pid in $(cat "$dir/pids"); do
    t=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}') || return 1
    ticks=$((ticks + t))
  done
  python3 - "$dir/meta.json" "$label" "$command" "$launch" "$ready" "$ticks" "$CLK_TCK" <<'PY'
import json, sys
f, label, command, launch, ready, ticks, clk = sys.argv[1:]
json.dump({"label": label, "command": command, "startup_s": float(ready) - float(launch),
           "startup_cpu_s": int(ticks) / int(clk)}, open(f, "w"))
PY
  # the generator (a java process) is the parent of the shell that runs this hook, or its grandparent
  loadgen=$PPID
  [ "$(cat "/proc/$loadgen/comm")" = java ] || loadgen=$(ps -o ppid= -p "$loadgen" | tr -d ' ')
  # shellcheck disable=SC2046
  SIDE_PIDS="$ANALYZERS_PID $loadgen" \
    python3 "$HERE/warmup_sampler.py" "$dir/samples.txt" "$dir/stop" 0.1 $(cat "$dir/pids") \
    > "$dir/sampler.log" 2>&1 &
  echo $! > "$dir/sampler.pid"
  echo $! >> "$OUT/pids"
  # the first sample is the baseline: no packet may go before it is taken
  for _ in $(seq 1 200); do [ -s "$dir/samples.txt" ] && return 0; sleep 0.02; done
  echo "warmup: the sampler did not start" >&2
  return 1
}
if [ "${1:-}" = "--start-sut" ]; then
  start_sut "$2" && exit 0
  exit 1
fi

# ---- main ----
[ $# -gt 0 ] || set -- nginx 'java17|java|'
mkdir -p "$OUT"
: > "$OUT/pids"
cleanup() {
  local p
  for p in $(cat "$OUT/pids" 2>/dev/null) ${ANALYZERS_PID:-}; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in $(cat "$OUT/pids" 2>/dev/null) ${ANALYZERS_PID:-}; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
for p in $PORT $ANALYZER_PORTS; do
  port_free "$p" || { echo "warmup: port $p is in use" >&2; exit 1; }
done
mkdir -p /tmp/warmup-nginx
nginx_conf "$PORT" /tmp/warmup-nginx > "$OUT/nginx.conf"

# shellcheck disable=SC2086
java $SIDE_JVM -jar "$JAR" demo-analyzers "$ANALYZERS_FILE" > "$OUT/analyzers.log" 2>&1 &
export ANALYZERS_PID=$!
for p in $ANALYZER_PORTS; do wait_http "http://127.0.0.1:$p/stats" 60 '"packets"'; done

labels=()
for spec in "$@"; do
  label=${spec%%|*}
  n=1; while [ -e "$OUT/$label" ]; do n=$((n + 1)); label="${spec%%|*}.$n"; done  # repeats get .2, .3, ...
  mkdir -p "$OUT/$label"
  labels+=("$label")
  quiet_box
  start_nginx "$OUT/primer"
  log "$label: generator primed with $PRIMER packets through nginx, then a fresh SUT takes $PACKETS packets"
  # shellcheck disable=SC2086
  SUT_SPEC=$spec java $SIDE_JVM -jar "$JAR" loadgen --json --connections "$CONNECTIONS" --mix "$MIX" \
    --forward-headers --url "http://127.0.0.1:$PORT/ingest" --warmup "$PRIMER" --packets "$PACKETS" \
    --after-warmup "'$HERE/warmup.sh' --start-sut '$label'" \
    > "$OUT/$label/loadgen.json" 2> "$OUT/$label/loadgen.log"
  if [ ! -s "$OUT/$label/samples.txt" ] || ! grep -q '"packets_accepted"' "$OUT/$label/loadgen.json"; then
    tail -5 "$OUT/$label/loadgen.log" >&2
    echo "warmup: $label was not measured; see $OUT/$label" >&2
    exit 1
  fi
  drained "$OUT/$label/drained" "$OUT/$label/pids"
  touch "$OUT/$label/stop"
  for _ in $(seq 1 50); do kill -0 "$(cat "$OUT/$label/sampler.pid")" 2>/dev/null || break; sleep 0.1; done
  if [ "${label%%.*}" = nginx ]; then stop_nginx "$OUT/$label"; else stop_pid "$(cat "$OUT/$label/pids")"; fi
  tail -1 "$OUT/$label/loadgen.json" | cut -c1-300 >&2
done

python3 "$HERE/warmup_report.py" "$OUT" "$CLK_TCK" "$SLICE" "$STEADY" "$FIRST" "${labels[@]}" | tee "$OUT/summary.txt"
