#!/usr/bin/env bash
# Runs a single-node Kafka broker (KRaft, broker and controller in one process) for the Kafka demo and tests,
# from the Maven classpath the build writes (target/kafka-broker.classpath): no Docker, no download.
# usage: bin/kafka-broker.sh DATA_DIR [PORT] [CONTROLLER_PORT]   (defaults 9092 and 9093, on 127.0.0.1)
# The data directory is formatted on first use and kept: a restart on it keeps topics, records and offsets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: bin/kafka-broker.sh DATA_DIR [PORT] [CONTROLLER_PORT]}
port=${2:-9092}
controller=${3:-9093}
classpath_file=$root/target/kafka-broker.classpath
if [[ ! -f $classpath_file ]]; then
  (cd "$root" && mvn -B -q generate-test-resources)
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/logs
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
opts=(-Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)
# KAFKA_JVM_OPTS (whitespace-separated) replaces these flags for the broker itself, not for the format step:
# they suit a short-lived test broker (quick start, little memory), while a benchmark wants the broker's
# steady-state cost, i.e. C2 and the heap and collector Kafka's own start script uses.
broker_opts=("${opts[@]}")
if [[ -n ${KAFKA_JVM_OPTS:-} ]]; then
  read -r -a broker_opts <<< "$KAFKA_JVM_OPTS"
fi
if [[ ! -f $dir/logs/meta.properties ]]; then
  "$java" "${opts[@]}" -cp "$(cat "$classpath_file")" kafka.tools.StorageTool format \
    -t "$(cat "$dir/cluster-id" 2>/dev/null || "$java" -cp "$(cat "$classpath_file")" kafka.tools.StorageTool random-uuid | tee "$dir/cluster-id")" \
    -c "$dir/server.properties" > "$dir/format.log" 2>&1
fi
exec "$java" "${broker_opts[@]}" -cp "$(cat "$classpath_file")" kafka.Kafka "$dir/server.properties"
