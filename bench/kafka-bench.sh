#!/usr/bin/env bash
# Kafka queue mode against the disk journal, and two replicas against one (BENCHMARKS.md section 7).
#
# Part 1, ROUNDS times: one replica in kafka mode, then one in disk mode, one generator of CONNECTIONS.
# Part 2, ROUNDS times: two replicas in kafka mode, then one, each time with two generators of
#   CONNECTIONS/2 (one per replica when there are two, both on the one replica otherwise), so that the
#   generators cost the same on both sides and only the number of replicas changes.
# Every run starts everything fresh (analyzers, broker with an empty data directory, distributors, a topic and
# consumer group of its own), warms up, snapshots CPU once every accepted packet is delivered, measures,
# waits for the deliveries again and snapshots. Results go to OUT (default bench/results/kafka-<time>/).
#
# usage: flock /work/cpu.lock bench/kafka-bench.sh
# environment:
#   ROUNDS=2 WARMUP=100000 PACKETS=60000 CONNECTIONS=32 MIX=55:1-3,35:4-20,10:21-100
#   PARTS="single replicas"            which parts to run
#   DIST_PORTS="28180 28181" BROKER_PORT=29192 CONTROLLER_PORT=29193 (analyzers: bench/analyzers.yaml)
#   KAFKA_JVM_OPTS                     the broker's JVM flags (default below; empty: bin/kafka-broker.sh's own)
#   RUN_SECONDS=600                    a run's load generators are killed after this long
#   DRAIN_SECONDS=120                  how long to wait for the deliveries after each phase
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/target/logs-distributor.jar
ANALYZERS_FILE=$ROOT/bench/analyzers.yaml
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-100000}
PACKETS=${PACKETS:-60000}
CONNECTIONS=${CONNECTIONS:-32}
MIX=${MIX:-55:1-3,35:4-20,10:21-100}
PARTS=${PARTS:-single replicas}
read -r -a DIST_PORTS <<< "${DIST_PORTS:-28180 28181}"
BROKER_PORT=${BROKER_PORT:-29192}
CONTROLLER_PORT=${CONTROLLER_PORT:-29193}
RUN_SECONDS=${RUN_SECONDS:-600}
export DRAIN_SECONDS=${DRAIN_SECONDS:-120}
# Kafka's own kafka-server-start.sh defaults (1 GB heap, G1, 20 ms pause goal), not the test broker's C1-only
# flags: an operator runs the broker that way, and C1 code would overstate its steady-state cost.
export KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"}
OUT=${OUT:-$ROOT/bench/results/kafka-$(date +%Y%m%d-%H%M%S)}
ANALYZER_PORTS="29001 29002 29003 29004"
# same flags as run-bench.sh for the side processes, so the figures sit next to section 2's
SIDE_JVM="-Xms256m -Xmx512m -XX:+UseParallelGC"
JVM_OPTS="$(grep -v '^[[:space:]]*#' "$ROOT/jvm.options" | tr '\n' ' ')"
STAMP=$(date +%H%M%S)

mkdir -p "$OUT"
log() { echo "[kafka-bench $(date +%T)] $*" >&2; }

PIDS=()
cleanup() {
  local p
  # children first: timeout's JVM, or the broker script's format step if it was interrupted there
  for p in "${PIDS[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${PIDS[@]}"; do pkill -KILL -P "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget() {
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done
  PIDS=("${keep[@]}")
}

stop() {  # SIGTERM first: the distributor and the broker shut down cleanly, which keeps their logs readable
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  forget "$1"
}

wait_http() {  # wait_http URL SECONDS PATTERN
  local url=$1 limit=$2 pattern=$3
  for _ in $(seq 1 $((limit * 5))); do
    if curl -fsS --max-time 1 "$url" 2>/dev/null | grep -q -- "$pattern"; then return 0; fi
    sleep 0.2
  done
  echo "kafka-bench: $url did not show $pattern in ${limit}s" >&2
  return 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

[ -f "$JAR" ] || { echo "kafka-bench: $JAR missing: mvn -B -q -o package -DskipTests" >&2; exit 1; }
[ -f "$ROOT/target/kafka-broker.classpath" ] || {
  echo "kafka-bench: target/kafka-broker.classpath missing: mvn -B -q -o generate-test-resources" >&2; exit 1; }
for p in "${DIST_PORTS[@]}" $BROKER_PORT $CONTROLLER_PORT $ANALYZER_PORTS; do
  port_free "$p" || { echo "kafka-bench: port $p is in use; pick other ports" >&2; exit 1; }
done

# run NAME STORE REPLICAS GENERATORS
run() {
  local name=$1 store=$2 replicas=$3 generators=$4
  local dir=$OUT/$name i
  mkdir -p "$dir"
  : > "$dir/pids"
  echo "${DIST_PORTS[*]:0:$replicas}" > "$dir/ports"
  echo "store=$store replicas=$replicas generators=$generators" > "$dir/setup"
  log "$name: $store, $replicas replica(s), $generators generator(s), $WARMUP warm-up + $PACKETS measured packets"

  java $SIDE_JVM -jar "$JAR" demo-analyzers "$ANALYZERS_FILE" > "$dir/analyzers.log" 2>&1 &
  local analyzers=$!
  PIDS+=("$analyzers")
  echo "analyzers $analyzers" >> "$dir/pids"
  for i in $ANALYZER_PORTS; do wait_http "http://127.0.0.1:$i/stats" 60 '"packets"'; done

  local broker="" kafka_env=()
  if [ "$store" = kafka ]; then
    "$ROOT/bin/kafka-broker.sh" "$dir/broker" "$BROKER_PORT" "$CONTROLLER_PORT" > "$dir/broker.log" 2>&1 &
    broker=$!
    PIDS+=("$broker")
    echo "broker $broker" >> "$dir/pids"
    for _ in $(seq 1 300); do ! port_free "$BROKER_PORT" && break; sleep 0.2; done
    # a topic and group per run: a run never sees another's backlog or committed offsets
    kafka_env=(DISTRIBUTOR_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$BROKER_PORT
               DISTRIBUTOR_KAFKA_TOPIC=bench-$STAMP-$name DISTRIBUTOR_KAFKA_CONSUMER_GROUP=bench-$STAMP-$name)
  fi

  local dists=()
  for ((i = 0; i < replicas; i++)); do
    # shellcheck disable=SC2086
    env HTTP_PORT="${DIST_PORTS[$i]}" HTTP_HOST=127.0.0.1 ANALYZERS_FILE="$ANALYZERS_FILE" \
      DISTRIBUTOR_DATA_DIR="$dir/data-$i" DISTRIBUTOR_QUEUE_STORE="$store" "${kafka_env[@]}" \
      java $JVM_OPTS -jar "$JAR" > "$dir/distributor-$i.log" 2>&1 &
    dists+=($!)
    PIDS+=($!)
    echo "distributor-$i $!" >> "$dir/pids"
  done
  for ((i = 0; i < replicas; i++)); do
    wait_http "http://127.0.0.1:${DIST_PORTS[$i]}/health" 120 '"healthy_analyzers":4'
    wait_http "http://127.0.0.1:${DIST_PORTS[$i]}/observe/health/ready" 120 'UP'
  done
  if [ "$store" = kafka ]; then
    # load only once the group has settled: a rebalance during the warm-up is fine, during the measured phase not
    local settled=no ports="${DIST_PORTS[*]:0:$replicas}"
    for _ in $(seq 1 300); do
      if python3 -c '
import json, sys, urllib.request
owned = [json.load(urllib.request.urlopen(f"http://127.0.0.1:{p}/stats", timeout=2))["queue"]["kafka_partitions"] for p in sys.argv[2:]]
sys.exit(0 if all(owned) and sum(owned) == int(sys.argv[1]) else 1)' "${DISTRIBUTOR_KAFKA_PARTITIONS:-12}" $ports 2>/dev/null; then settled=yes; break; fi
      sleep 0.2
    done
    [ $settled = yes ] || log "$name: the partitions were not all assigned after 60 s; going on"
  fi

  local gens=() g port seed
  for ((g = 0; g < generators; g++)); do
    port=${DIST_PORTS[$((g % replicas))]}
    # a seed per generator: the packet ids of the two generators differ (the seed also picks the run id)
    seed=$((42 + g))
    timeout --signal=KILL "$RUN_SECONDS" java $SIDE_JVM -jar "$JAR" loadgen --json --url "http://127.0.0.1:$port/ingest" \
      --connections $((CONNECTIONS / generators)) --mix "$MIX" --seed $seed \
      --warmup $((WARMUP / generators)) --packets $((PACKETS / generators)) \
      --after-warmup "$ROOT/bench/kafka-snapshot.sh '$dir' start $generators" \
      > "$dir/loadgen-$g.json" 2> "$dir/loadgen-$g.log" &
    gens+=($!)
    PIDS+=($!)
  done
  local rc=0
  for g in "${gens[@]}"; do
    wait "$g" || { rc=$?; log "$name: a load generator exited with $rc"; }
    forget "$g"
  done
  "$ROOT/bench/kafka-snapshot.sh" "$dir" end
  for ((i = 0; i < replicas; i++)); do
    curl -fsS --max-time 5 "http://127.0.0.1:${DIST_PORTS[$i]}/stats" > "$dir/stats-$i.json" || true
  done
  for i in $ANALYZER_PORTS; do curl -fsS --max-time 2 "http://127.0.0.1:$i/stats"; echo; done > "$dir/analyzers.json"
  # the producer settings the broker's cost per packet depends on, as the Kafka client logged them
  grep -h -o 'linger.ms = [0-9]*\|batch.size = [0-9]*\|compression.type = [a-z]*' "$dir/distributor-0.log" | sort -u > "$dir/producer" || true

  for i in "${dists[@]}"; do stop "$i"; done
  [ -n "$broker" ] && stop "$broker"
  stop "$analyzers"
  du -sm "$dir/broker" "$dir"/data-* 2>/dev/null > "$dir/disk-mib" || true
  # 150,000+ packets of ~2.4 KB per run in the topic or the journal: gone once measured
  rm -rf "$dir/broker/logs" "$dir"/data-*
  log "$name: done"
}

for part in $PARTS; do
  for ((r = 1; r <= ROUNDS; r++)); do
    case $part in
      single)
        run "kafka-r$r" kafka 1 1
        run "disk-r$r" disk 1 1 ;;
      replicas)
        run "kafka2x-r$r" kafka 2 2
        run "kafka1x-r$r" kafka 1 2 ;;
      *) echo "kafka-bench: unknown part $part" >&2; exit 64 ;;
    esac
  done
done

python3 "$ROOT/bench/kafka-report.py" "$OUT" | tee "$OUT/summary.txt"
