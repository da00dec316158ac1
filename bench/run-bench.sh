#!/usr/bin/env bash
# Side-by-side benchmark: the same workload (a) through logs-distributor and (b) through nginx as a weighted
# proxy to the same demo analyzers, then (c) a share-accuracy run of the distributor at full speed with many
# queue consumers. Prints one table; raw results go to bench/results/<timestamp>/. See BENCHMARKS.md.
#
# usage: bench/run-bench.sh            (builds target/logs-distributor.jar if missing; installs nginx if missing)
# parameters (environment):
#   PACKETS=60000 WARMUP=400000 CONNECTIONS=32 MIX=55:1-3,35:4-20,10:21-100   the workload of runs (a) and (b)
#   SHARE_PACKETS=40000 SHARE_CONSUMERS=16                                 run (c)
#   LATENCY_SECONDS=20   after (a) and (b): an open-loop run at LATENCY_RATE packets/s (default: half the
#                        distributor's rate in (a)) for the latency at that load; 0 leaves it out
#   NGINX_WORKERS=auto    nginx worker_processes (auto = one per CPU, as the distributor may use every CPU)
#   DIST_PORT=28080 NGINX_PORT=28081 (analyzer ports come from bench/analyzers.yaml: 29001-29004)
#   SKIP_NGINX=1 / SKIP_SHARE=1 / SKIP_WARMUP_RUN=1 to leave a run out; OUT=dir for the results
#   (d) the warm-up run: bench/warmup.sh with nginx and a fresh distributor (same DIST_JAVA and EXTRA_JVM),
#       WARMUP_RUN_PACKETS=300000; its slices, time to 90 % and first-20,000 figures go to OUT/warmup
#   EXTRA_JVM='-XX:...' flags added after jvm.options for the distributor; DIST_CONSUMERS=N its queue consumers
#   (default: the application's, 16);
#   DIST_JAVA=/path/to/java the distributor's JVM (default: java on the PATH)
#   (any other DISTRIBUTOR_* variable in the environment reaches the distributor too)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/nginx-conf.sh
. "$ROOT/bench/nginx-conf.sh"
JAR=$ROOT/target/logs-distributor.jar
ANALYZERS_FILE=$ROOT/bench/analyzers.yaml
PACKETS=${PACKETS:-60000}
WARMUP=${WARMUP:-400000}
CONNECTIONS=${CONNECTIONS:-32}
MIX=${MIX:-55:1-3,35:4-20,10:21-100}
SHARE_PACKETS=${SHARE_PACKETS:-40000}
SHARE_CONSUMERS=${SHARE_CONSUMERS:-16}
LATENCY_SECONDS=${LATENCY_SECONDS:-20}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
DIST_PORT=${DIST_PORT:-28080}
NGINX_PORT=${NGINX_PORT:-28081}
OUT=${OUT:-$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)}
export ANALYZER_PORTS="29001 29002 29003 29004"
WEIGHTS="0.4 0.3 0.2 0.1"
CLK_TCK=$(getconf CLK_TCK)
# the demo analyzers and the load generator: same flags in every run
SIDE_JVM="-Xms256m -Xmx512m -XX:+UseParallelGC"

mkdir -p "$OUT"
log() { echo "[bench $(date +%T)] $*" >&2; }

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  sleep 0.5
  for p in "${PIDS[@]}"; do
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget() {  # forget a pid we stopped ourselves
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done
  PIDS=("${keep[@]}")
}

stop() {  # stop one process we started and wait for it
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  forget "$1"
}

wait_http() {  # wait_http URL [seconds] [grep-pattern]
  local url=$1 limit=${2:-60} pattern=${3:-.}
  for _ in $(seq 1 $((limit * 5))); do
    if curl -fsS --max-time 1 "$url" 2>/dev/null | grep -q -- "$pattern"; then return 0; fi
    sleep 0.2
  done
  echo "bench: $url did not come up in ${limit}s" >&2
  return 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- prerequisites ----
if [ ! -f "$JAR" ]; then
  log "building $JAR"
  (cd "$ROOT" && mvn -B -q package -DskipTests)
fi
if ! command -v nginx >/dev/null && [ -z "${SKIP_NGINX:-}" ]; then
  log "installing nginx (apt-get)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light || \
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx
fi
for p in $DIST_PORT $NGINX_PORT $ANALYZER_PORTS; do
  port_free "$p" || { echo "bench: port $p is in use; stop what uses it or change the port" >&2; exit 1; }
done

ANALYZERS_PID=""
start_analyzers() {
  # shellcheck disable=SC2086
  java $SIDE_JVM -jar "$JAR" demo-analyzers "$ANALYZERS_FILE" > "$OUT/analyzers-$1.log" 2>&1 &
  ANALYZERS_PID=$!
  PIDS+=("$ANALYZERS_PID")
  for p in $ANALYZER_PORTS; do wait_http "http://127.0.0.1:$p/stats" 60 '"packets"'; done
}

stop_analyzers() { stop "$ANALYZERS_PID"; }

analyzer_stats() {  # one JSON array of the analyzers' /stats
  local first=1 p
  printf '['
  for p in $ANALYZER_PORTS; do
    [ $first = 1 ] || printf ','
    first=0
    curl -fsS --max-time 2 "http://127.0.0.1:$p/stats"
  done
  printf ']\n'
}

vmhwm_kb() {  # peak RSS summed over pids, kB
  local sum=0 pid v
  for pid in "$@"; do
    v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
    sum=$((sum + v))
  done
  echo "$sum"
}

loadgen() {
  # shellcheck disable=SC2086
  java $SIDE_JVM -jar "$JAR" loadgen --json --connections "$CONNECTIONS" --mix "$MIX" "$@"
}

# run_workload NAME URL PID...: warm-up, CPU snapshot, measured phase, drain, CPU snapshot, stats
run_workload() {
  local name=$1 url=$2; shift 2
  local pids="$*"
  log "$name: $WARMUP warm-up + $PACKETS measured packets, $CONNECTIONS connections -> $url"
  loadgen --url "$url" --packets "$PACKETS" --warmup "$WARMUP" --forward-headers \
    --after-warmup "$ROOT/bench/snapshot.sh '$OUT/$name.cpu-start' $pids" \
    > "$OUT/$name.loadgen.json" 2> "$OUT/$name.loadgen.log"
  "$ROOT/bench/snapshot.sh" "$OUT/$name.cpu-end" $pids
  analyzer_stats > "$OUT/$name.analyzers.json"
  # shellcheck disable=SC2086
  vmhwm_kb $pids > "$OUT/$name.vmhwm-kb"
  cat "$OUT/$name.loadgen.json" >&2
  if [ "$LATENCY_SECONDS" != 0 ]; then
    # the same offered load for both: half of what the distributor sustained closed-loop (the issue's target)
    local rate=${LATENCY_RATE:-$(python3 -c 'import json,sys; print(int(json.loads(open(sys.argv[1]).read().splitlines()[-1])["packets_per_s"] / 2))' "$OUT/distributor.loadgen.json")}
    log "$name: open loop at $rate packets/s for ${LATENCY_SECONDS}s (latency from each packet's intended send time)"
    # the generator's own warm-up (its JIT, its connections) comes first in the same invocation
    loadgen --url "$url" --rate "$rate" --duration "${LATENCY_SECONDS}s" --warmup 5s --forward-headers \
      > "$OUT/$name.latency.json" 2> "$OUT/$name.latency.log"
  fi
}

# ---- (a) distributor ----
JVM_OPTS="$(grep -v '^[[:space:]]*#' "$ROOT/jvm.options" | tr '\n' ' ') ${EXTRA_JVM:-}"
start_distributor() {  # start_distributor NAME [CONSUMERS]  (no CONSUMERS: the application's default)
  mkdir -p "$OUT/data-$1"
  local consumers=()
  [ -n "${2:-}" ] && consumers=("DISTRIBUTOR_QUEUE_CONSUMERS=$2")
  # shellcheck disable=SC2086
  env HTTP_PORT=$DIST_PORT HTTP_HOST=127.0.0.1 ANALYZERS_FILE=$ANALYZERS_FILE DISTRIBUTOR_DATA_DIR=$OUT/data-$1 \
    "${consumers[@]}" "${DIST_JAVA:-java}" $JVM_OPTS -jar "$JAR" > "$OUT/$1.distributor.log" 2>&1 &
  DIST_PID=$!
  PIDS+=("$DIST_PID")
  wait_http "http://127.0.0.1:$DIST_PORT/health" 120 '"healthy_analyzers":4' || {
    kill -0 "$DIST_PID" 2>/dev/null || echo "bench: the distributor exited" >&2
    tail -20 "$OUT/$1.distributor.log" >&2
    return 1
  }
}

start_analyzers distributor
start_distributor distributor "${DIST_CONSUMERS:-}"
log "distributor pid $DIST_PID (jvm.options: $JVM_OPTS)"
run_workload distributor "http://127.0.0.1:$DIST_PORT/ingest" "$DIST_PID"
curl -fsS "http://127.0.0.1:$DIST_PORT/stats" > "$OUT/distributor.stats.json" || true
stop "$DIST_PID"
stop_analyzers

# ---- (b) nginx ----
if [ -z "${SKIP_NGINX:-}" ]; then
  NGX=$OUT/nginx
  mkdir -p "$NGX/tmp"
  chmod 777 "$NGX/tmp"
  nginx_conf "$NGINX_PORT" "$NGX/tmp" > "$NGX/nginx.conf"
  start_analyzers nginx
  nginx -c "$NGX/nginx.conf" -p "$NGX" -g "pid $NGX/nginx.pid; error_log $NGX/error.log warn;" \
    > "$OUT/nginx.stdout.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  for _ in $(seq 1 50); do [ -n "$(pgrep -P "$NGINX_PID" || true)" ] && ! port_free "$NGINX_PORT" && break; sleep 0.1; done
  NGINX_ALL="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
  log "nginx pids $NGINX_ALL (worker_processes $NGINX_WORKERS)"
  # shellcheck disable=SC2086
  run_workload nginx "http://127.0.0.1:$NGINX_PORT/ingest" $NGINX_ALL
  stop "$NGINX_PID"
  stop_analyzers
fi

# ---- (c) share accuracy ----
if [ -z "${SKIP_SHARE:-}" ]; then
  start_analyzers share
  start_distributor share "$SHARE_CONSUMERS"
  log "share run: $SHARE_PACKETS packets at full speed, $SHARE_CONSUMERS queue consumers"
  loadgen --url "http://127.0.0.1:$DIST_PORT/ingest" --packets "$SHARE_PACKETS" \
    > "$OUT/share.loadgen.json" 2> "$OUT/share.loadgen.log"
  "$ROOT/bench/snapshot.sh" "$OUT/share.cpu-end" "$DIST_PID"
  analyzer_stats > "$OUT/share.analyzers.json"
  curl -fsS "http://127.0.0.1:$DIST_PORT/stats" > "$OUT/share.stats.json" || true
  stop "$DIST_PID"
  stop_analyzers
fi

# ---- (d) warm-up: a fresh distributor from its first packet, beside a fresh nginx ----
if [ -z "${SKIP_WARMUP_RUN:-}" ]; then
  log "warm-up run (bench/warmup.sh): nginx and a fresh distributor, ${WARMUP_RUN_PACKETS:-300000} packets each"
  warm_spec="distributor|${DIST_JAVA:-java}|${EXTRA_JVM:-}"
  warm_nginx=nginx
  [ -n "${SKIP_NGINX:-}" ] && warm_nginx=()
  # shellcheck disable=SC2068
  OUT=$OUT/warmup PACKETS=${WARMUP_RUN_PACKETS:-300000} DIST_CONSUMERS=${DIST_CONSUMERS:-} \
    "$ROOT/bench/warmup.sh" ${warm_nginx[@]} "$warm_spec" > "$OUT/warmup.txt" 2>&1 \
    || { tail -20 "$OUT/warmup.txt" >&2; echo "bench: the warm-up run failed" >&2; }
fi

# ---- report ----
SHARE_CONSUMERS=$SHARE_CONSUMERS python3 - "$OUT" "$CLK_TCK" "$WEIGHTS" <<'PY' | tee "$OUT/summary.txt"
import json, os, sys
out, clk, weights = sys.argv[1], int(sys.argv[2]), [float(w) for w in sys.argv[3].split()]

def load(name):
    p = os.path.join(out, name)
    return open(p).read().strip() if os.path.exists(p) else None

def share(name):
    raw = load(name + ".analyzers.json")
    if raw is None:
        return None
    stats = json.loads(raw)
    msgs = [s["messages"] for s in stats]
    total = sum(msgs)
    wt = sum(weights)
    err = max(abs(m / total - w / wt) * 100 for m, w in zip(msgs, weights)) if total else float("nan")
    return {"messages": total, "per_analyzer": msgs, "err_pp": err,
            "longest_run": stats[0].get("longest_run"), "longest_run_analyzer": stats[0].get("longest_run_analyzer")}

rows = {}
for name in ("distributor", "nginx"):
    raw = load(name + ".loadgen.json")
    if raw is None:
        continue
    lg = json.loads(raw.splitlines()[-1])
    start, end = load(name + ".cpu-start"), load(name + ".cpu-end")
    cpu_us = jit_us = steal_pct = float("nan")
    if start and end:
        s0, e0 = start.split(), end.split()
        cpu_us = (int(e0[0]) - int(s0[0])) * 1e6 / clk / max(1, lg["packets_sent"])
        if len(s0) > 1 and len(e0) > 1:
            jit_us = (int(e0[1]) - int(s0[1])) * 1e6 / clk / max(1, lg["packets_sent"])
        if len(s0) > 3 and len(e0) > 3:
            steal_pct = (int(e0[2]) - int(s0[2])) * 100 / max(1, int(e0[3]) - int(s0[3]))
    sh = share(name)
    lat = load(name + ".latency.json")
    lat = json.loads(lat.splitlines()[-1]) if lat else None
    rows[name] = dict(lg=lg, cpu=cpu_us, jit=jit_us, steal=steal_pct, rss=int(load(name + ".vmhwm-kb")) / 1024, share=sh, lat=lat)

def cell(f, name):
    return f(rows[name]) if name in rows else "-"

names = [n for n in ("distributor", "nginx") if n in rows]
lines = [
    ("packets/s (2xx)", lambda r: f'{r["lg"]["packets_per_s"]:,.0f}'),
    ("messages/s (2xx)", lambda r: f'{r["lg"]["messages_per_s"]:,.0f}'),
    ("latency p50 ms", lambda r: f'{r["lg"]["latency_ms"]["p50"]:.2f}'),
    ("latency p99 ms", lambda r: f'{r["lg"]["latency_ms"]["p99"]:.2f}'),
    ("latency max ms", lambda r: f'{r["lg"]["latency_ms"]["max"]:.1f}'),
    ("CPU us/packet", lambda r: f'{r["cpu"]:.0f}'),
    ("  of which JIT compiler threads", lambda r: f'{r["jit"]:.0f}'),
    ("VM steal during the run %", lambda r: f'{r["steal"]:.1f}'),
    ("peak RSS MiB (VmHWM)", lambda r: f'{r["rss"]:.0f}'),
    ("status", lambda r: " ".join(f"{k}:{v}" for k, v in r["lg"]["status"].items()) + (" errors:" + str(r["lg"]["errors"]) if r["lg"]["errors"] else "")),
    ("messages sent/at analyzers", lambda r: f'{r["lg"]["total_messages_accepted"]}/{r["share"]["messages"]}'),
    ("max share error pp", lambda r: f'{r["share"]["err_pp"]:.3f}'),
    ("longest run to one analyzer", lambda r: f'{r["share"]["longest_run"]} ({r["share"]["longest_run_analyzer"]})'),
]
if all(rows[n]["lat"] for n in rows):
    lines += [
        ("open loop: rate packets/s", lambda r: f'{r["lat"]["rate"]:,.0f}'),
        ("open loop: latency p50 ms", lambda r: f'{r["lat"]["latency_ms"]["p50"]:.2f}'),
        ("open loop: latency p99 ms", lambda r: f'{r["lat"]["latency_ms"]["p99"]:.2f}'),
        ("open loop: latency p99.9 ms", lambda r: f'{r["lat"]["latency_ms"]["p99_9"]:.2f}'),
        ("open loop: latency max ms", lambda r: f'{r["lat"]["latency_ms"]["max"]:.1f}'),
        ("open loop: status", lambda r: " ".join(f"{k}:{v}" for k, v in r["lat"]["status"].items())),
    ]
print()
print(f'{"":30}' + "".join(f"{n:>22}" for n in names) + ("   ratio" if len(names) == 2 else ""))
for label, f in lines:
    vals = [cell(f, n) for n in names]
    ratio = ""
    if len(names) == 2 and label.startswith(("packets/s", "CPU", "peak", "latency p", "open loop: latency p")):
        try:
            a, b = (float(v.replace(",", "")) for v in vals)
            ratio = f"   {a / b:.2f}x" if b else ""
        except ValueError:
            pass
    print(f"{label:30}" + "".join(f"{v:>22}" for v in vals) + ratio)
d = rows.get("distributor", {}).get("lg")
if d:
    print(f'\nworkload: {d["connections"]} connections, mix {d["mix"]}, mean body {d["mean_body_bytes"]:.0f} B, '
          f'{d["warmup_packets"]} warm-up + {d["packets_sent"]} measured packets')
sh = share("share")
if sh:
    lg = json.loads(load("share.loadgen.json").splitlines()[-1])
    print(f'share run (distributor, full speed, {os.environ.get("SHARE_CONSUMERS", "16")} consumers): '
          f'{lg["packets_accepted"]} packets / {sh["messages"]} messages delivered '
          f'(sent {lg["total_messages_accepted"]}), per analyzer {sh["per_analyzer"]}, '
          f'max share error {sh["err_pp"]:.4f} pp, longest run {sh["longest_run"]} ({sh["longest_run_analyzer"]}), '
          f'{lg["packets_per_s"]:,.0f} packets/s')
warm = load("warmup/summary.json")
if warm:
    for label, r in json.loads(warm).items():
        if label == "nginx":
            continue
        f, st, re = r["first"], r["steady"], r["reached_90"]
        v = r.get("vs_nginx", {})
        print(f'warm-up run (fresh {label}): first 20,000 packets {f["rate"]:,.0f}/s, {f["cpu_us"]:.0f} us CPU/packet'
              + (f' ({v["first_rate_x"]:.2f}x / {v["first_cpu_x"]:.2f}x nginx)' if v else "")
              + (f'; 90 % of its steady {st["rate"]:,.0f}/s after {re["packets"]:,} packets, {re["seconds"]:.1f} s'
                 f' ({re["seconds_from_launch"]:.1f} s from launch)' if re else "; 90 % of steady not reached")
              + f'; slices in {os.path.join(out, "warmup", "summary.txt")}')
print(f"results: {out}")
PY
