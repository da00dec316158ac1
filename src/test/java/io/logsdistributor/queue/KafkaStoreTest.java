package io.logsdistributor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.ingest.Packet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer side of the Kafka store with Kafka's own mock consumer: which offsets are committed when
 * deliveries finish out of order and when partitions move away. (The broker itself: KafkaQueueIT.)
 */
class KafkaStoreTest {

    private static final String TOPIC = "packets";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** Every offset committed, as the broker would keep it (MockConsumer answers 0 for a partition it no longer owns). */
    private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
            super.commitSync(offsets, timeout);
        }
    };
    private final KafkaStore store = new KafkaStore(new KafkaSettings("127.0.0.1:1", TOPIC, "group", 2, -1,
            Duration.ofMillis(200), 1 << 20), StoreEvents.NONE);
    private final PacketQueue queue = new PacketQueue(10_000, 64L << 20, store);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aMovedPartitionIsCommittedOnlyUpToItsFirstPacketNotDelivered() {
        start();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            for (int offset = 0; offset < 10; offset++) {
                consumer.addRecord(record(P0, offset));
                consumer.addRecord(record(P1, offset));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.packets() == 20);

        // p0's first three are delivered (out of order), its other seven still wait: nothing of p0 is in flight
        for (long offset : new long[] {2, 0, 1}) {
            queue.release(take(P0, offset));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(P0) == 3);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.partitions() == 1);
        assertThat(committed(P0)).as("the new owner of p0 starts at its first packet not delivered").isEqualTo(3);
        assertThat(queue.packets()).as("p0's waiting packets left this replica's queue").isEqualTo(10);
        assertThat(queue).allMatch(exchange -> KafkaPackets.partition(packet(exchange).record()) == 1);
    }

    @Test
    void anEarlyFinishNeverCommitsPastAnUnfinishedPacket() {
        start();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            for (int offset = 0; offset < 5; offset++) {
                consumer.addRecord(record(P0, offset));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.packets() == 5);
        Packet first = take(P0, 0);
        for (long offset = 1; offset < 5; offset++) {
            queue.release(take(P0, offset));
        }
        // several commit rounds pass: none may go past offset 0
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> committed(P0) <= 0);
        queue.release(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> committed(P0) == 5);
    }

    private void start() {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        store.start(new DefaultCamelContext(), queue,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()), consumer,
                Admin.create(admin));
    }

    /** Takes one waiting packet out of the queue, as a consumer thread would before delivering it. */
    private Packet take(TopicPartition partition, long offset) {
        List<Exchange> found = new ArrayList<>();
        queue.forEach(exchange -> {
            long record = packet(exchange).record();
            if (KafkaPackets.partition(record) == partition.partition() && KafkaPackets.offset(record) == offset) {
                found.add(exchange);
            }
        });
        assertThat(found).hasSize(1);
        queue.remove(found.get(0));
        return packet(found.get(0));
    }

    private long committed(TopicPartition partition) {
        return commits.getOrDefault(partition, -1L);
    }

    private static Packet packet(Exchange exchange) {
        return exchange.getMessage().getBody(Packet.class);
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        String id = "p" + partition.partition() + "-" + offset;
        ProducerRecord<byte[], byte[]> sent = KafkaPackets.record(TOPIC,
                new Packet(id, "agent", 1, ("{\"packet_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(TOPIC, partition.partition(), offset, 0L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, null, sent.value(), sent.headers(),
                java.util.Optional.empty());
    }
}
