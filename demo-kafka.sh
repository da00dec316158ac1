#!/usr/bin/env bash
# The Kafka demo: replicas sharing one queue. Builds the distributor if needed, then runs a single-node
# Kafka broker (bin/kafka-broker.sh), the demo analyzers of analyzers.yaml (127.0.0.1:9001-9004) and two
# distributor replicas (:8080 and :8081) with distributor.queue.store=kafka: each packet one replica
# accepts is produced to the topic, and the replicas of the consumer group deliver its partitions.
# Ctrl-C (or SIGTERM) stops the replicas first, so that they finish their deliveries while analyzers and
# broker are still there, then the analyzers, then the broker.
#
# Settings (environment):
#   KAFKA_PORT, KAFKA_CONTROLLER_PORT   the broker's ports on 127.0.0.1 (9092, 9093)
#   REPLICA_PORTS                       one replica per port ("8080 8081")
#   ANALYZERS_FILE                      the analyzers, and the demo fleet that stands in for them (analyzers.yaml)
#   DEMO_DIR                            broker data, broker log, replicas' dead letters (target/demo-kafka); kept
#                                       across runs like the broker's records: rm -rf it for a fresh start
#   DEMO_BUILD=0                        never run Maven (a test runs the script on the jar it just built)
#   START_TIMEOUT_S, STOP_TIMEOUT_S     bounds on start-up (90) and on each stage of the stop (45)
#   KAFKA_SESSION_TIMEOUT_MS            how soon the group gives a dead replica's partitions to the others (10000)
#   DISTRIBUTOR_*, HTTP_HOST            passed on to the replicas (e.g. DISTRIBUTOR_KAFKA_PARTITIONS)
# The JVM is $JAVA_HOME/bin/java, else java on the PATH (Java 17 or later).
set -euo pipefail

absolute() { [[ $1 == /* ]] && printf '%s\n' "$1" || printf '%s\n' "$PWD/$1"; }
analyzers=$(absolute "${ANALYZERS_FILE:-analyzers.yaml}")
demo_dir=$(absolute "${DEMO_DIR:-target/demo-kafka}")
cd "$(dirname "$0")"
# The defaults are relative to the repository, wherever the script is called from.
[[ -n ${ANALYZERS_FILE:-} ]] || analyzers=$PWD/analyzers.yaml
[[ -n ${DEMO_DIR:-} ]] || demo_dir=$PWD/target/demo-kafka
kafka_port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-9093}
read -r -a replica_ports <<< "${REPLICA_PORTS:-8080 8081}"
start_timeout=${START_TIMEOUT_S:-90}
stop_timeout=${STOP_TIMEOUT_S:-45}
jar=target/logs-distributor.jar
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

say() { printf 'demo-kafka: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

(( ${#replica_ports[@]} > 0 )) || fail "REPLICA_PORTS is empty"
[[ -f $analyzers ]] || fail "no analyzers file at $analyzers"
if [[ ${DEMO_BUILD:-1} != 0 ]]; then
  if [[ ! -f $jar || -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
    mvn -B -q package -DskipTests
  fi
  # the broker runs from the test classpath; a jar built with -Dmdep.skip or copied in has none
  [[ -f target/kafka-broker.classpath ]] || mvn -B -q generate-test-resources
fi
[[ -f $jar ]] || fail "$jar is missing (build it with: mvn -B package -DskipTests)"
[[ -f target/kafka-broker.classpath ]] || fail "target/kafka-broker.classpath is missing (mvn -B generate-test-resources writes it)"
mapfile -t jvm_flags < <(grep -v '^\s*#' jvm.options | grep -v '^\s*$')

# True while something accepts connections on 127.0.0.1:$1.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The status code of GET $2 on 127.0.0.1:$1, or nothing; without curl, which the demo does not need.
http_status() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3 || exit 0
    read -r -t 3 _ code _ <&3 || exit 0
    printf '%s' "$code"
  ) 2>/dev/null || true
}

# Ports on this machine that the analyzers file points at: the demo fleet will listen on them.
analyzer_ports=$(grep -oE 'url:[[:space:]]*"?https?://(127\.0\.0\.1|localhost):[0-9]+' "$analyzers" \
  | grep -oE '[0-9]+$' | sort -u | tr '\n' ' ' || true)
# A leftover process on one of the ports would answer in place of ours, and the waits below would pass.
for port in "$kafka_port" "$controller_port" "${replica_ports[@]}" $analyzer_ports; do
  if listening "$port"; then fail "port $port is already in use (an earlier demo still running?); set KAFKA_PORT, KAFKA_CONTROLLER_PORT, REPLICA_PORTS or ANALYZERS_FILE to use others"; fi
done
mkdir -p "$demo_dir"

prefix() { while IFS= read -r line; do printf '[%s] %s\n' "$1" "$line"; done; }

broker_pid= analyzers_pid=
replica_pids=()
declare -A name_of=()

# SIGTERM to the processes given, then up to $1 seconds for them to exit, then SIGKILL.
stop() {
  local timeout=$1 pid alive deadline
  shift
  (( $# > 0 )) || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while :; do
    alive=()
    for pid in "$@"; do
      if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi
    done
    (( ${#alive[@]} > 0 )) || break
    if (( SECONDS >= deadline )); then
      for pid in "${alive[@]}"; do say "${name_of[$pid]} (pid $pid) still running after ${timeout}s: killing it"; done
      kill -KILL "${alive[@]}" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

stopping=0
shutdown() {
  (( stopping )) && return 0
  stopping=1
  # A second Ctrl-C must not cut the ordered stop short; every stage is bounded anyway.
  trap '' INT TERM
  local running=() pid
  for pid in "${replica_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then running+=("$pid"); fi
  done
  if (( ${#running[@]} > 0 )); then
    say "stopping the replicas (they finish their deliveries first; up to ${stop_timeout}s)"
    stop "$stop_timeout" "${running[@]}"
  fi
  if [[ -n $analyzers_pid ]]; then
    say "stopping the demo analyzers"
    stop "$stop_timeout" "$analyzers_pid"
  fi
  if [[ -n $broker_pid ]]; then
    say "stopping the Kafka broker"
    stop "$stop_timeout" "$broker_pid"
  fi
  say "stopped"
}
trap shutdown EXIT
trap 'shutdown; exit 0' INT TERM

say "starting the Kafka broker on 127.0.0.1:$kafka_port (log: $demo_dir/broker.log)"
bin/kafka-broker.sh "$demo_dir/broker" "$kafka_port" "$controller_port" > "$demo_dir/broker.log" 2>&1 &
broker_pid=$!
name_of[$broker_pid]="the Kafka broker"
deadline=$((SECONDS + start_timeout))
until listening "$kafka_port"; do
  if ! kill -0 "$broker_pid" 2>/dev/null; then
    tail -n 20 "$demo_dir/broker.log" >&2 || true
    broker_pid=
    fail "the Kafka broker exited at start-up (its log is $demo_dir/broker.log; the last lines are above)"
  fi
  (( SECONDS < deadline )) || fail "the Kafka broker did not open 127.0.0.1:$kafka_port within ${start_timeout}s (see $demo_dir/broker.log)"
  sleep 0.2
done

"$java" -jar "$jar" demo-analyzers "$analyzers" > >(prefix analyzers) 2>&1 &
analyzers_pid=$!
name_of[$analyzers_pid]="the demo analyzers"

# Kafka's default session timeout (45 s) would leave a killed replica's partitions idle for that long; the
# demo shows the takeover within about 10 s.
kafka_flags=(-Dcamel.component.kafka.session-timeout-ms="${KAFKA_SESSION_TIMEOUT_MS:-10000}")
for port in "${replica_ports[@]}"; do
  mkdir -p "$demo_dir/replica-$port"
  HTTP_PORT=$port DISTRIBUTOR_DATA_DIR="$demo_dir/replica-$port" ANALYZERS_FILE="$analyzers" \
    DISTRIBUTOR_QUEUE_STORE=kafka DISTRIBUTOR_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" \
    "$java" "${jvm_flags[@]}" "${kafka_flags[@]}" -jar "$jar" > >(prefix ":$port") 2>&1 &
  replica_pids+=($!)
  name_of[$!]="replica :$port"
done

# Readiness is DOWN until a replica reaches the broker, so UP means it can take packets.
pending=("${!replica_ports[@]}")
while (( ${#pending[@]} > 0 )); do
  still=()
  for i in "${pending[@]}"; do
    pid=${replica_pids[$i]}
    if ! kill -0 "$pid" 2>/dev/null; then
      status=0
      wait "$pid" || status=$?
      fail "replica :${replica_ports[$i]} exited at start-up (status $status; its output is above)"
    fi
    if [[ $(http_status "${replica_ports[$i]}" /observe/health/ready) != 200 ]]; then still+=("$i"); fi
  done
  pending=("${still[@]}")
  if (( ${#pending[@]} == 0 )); then break; fi
  kill -0 "$analyzers_pid" 2>/dev/null || fail "the demo analyzers exited at start-up (their output is above)"
  if (( SECONDS >= deadline )); then
    waiting=()
    for i in "${pending[@]}"; do waiting+=(":${replica_ports[$i]}"); done
    fail "not ready within ${start_timeout}s of the start: replica ${waiting[*]} (readiness is DOWN while the broker cannot be reached)"
  fi
  sleep 0.5
done

first=${replica_ports[0]}
{
  echo
  echo "Kafka demo running: replicas sharing one queue"
  echo "  Kafka broker     127.0.0.1:$kafka_port  pid $broker_pid  data $demo_dir/broker  log $demo_dir/broker.log"
  echo "  demo analyzers   $analyzers  pid $analyzers_pid"
  for i in "${!replica_ports[@]}"; do
    echo "  replica          :${replica_ports[$i]}  pid ${replica_pids[$i]}  dead letters $demo_dir/replica-${replica_ports[$i]}"
  done
  echo
  echo "Send a packet to any replica, then compare their /stats:"
  echo "  curl -s -X POST localhost:$first/ingest -H 'Content-Type: application/json' -d '{"
  echo "    \"packet_id\": \"agent-7-000042\", \"agent_id\": \"agent-7\","
  echo "    \"messages\": [{\"timestamp\": \"2026-11-22T10:00:00Z\", \"level\": \"INFO\", \"message\": \"order 812 paid\"}]}'"
  for port in "${replica_ports[@]}"; do
    echo "  curl -s localhost:$port/stats"
  done
  echo "Kill one replica (kill -9 PID) and the others take over its partitions. Ctrl-C stops everything."
  echo
} >&2

# Until Ctrl-C or SIGTERM, or until no replica is left; a replica killed on purpose is part of the demo.
watched=("${replica_pids[@]}" "$analyzers_pid" "$broker_pid")
while :; do
  wait -n "${watched[@]}" 2>/dev/null || true
  left=()
  for pid in "${watched[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      left+=("$pid")
    else
      status=0
      wait "$pid" 2>/dev/null || status=$?
      say "${name_of[$pid]} (pid $pid) exited with status $status"
    fi
  done
  watched=("${left[@]}")
  live=0
  for pid in "${replica_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then live=$((live + 1)); fi
  done
  if (( live == 0 )); then
    say "no replica left"
    exit 1
  fi
done
