package io.logsdistributor.queue;

import io.logsdistributor.ingest.Packet;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A packet as a Kafka record: the agent's bytes unchanged as the value (any consumer of the topic can read
 * them), its ids and message count as headers; and the record id a queued packet carries, which names its
 * partition and offset.
 */
final class KafkaPackets {

    static final String PACKET_ID = "packet-id";
    static final String AGENT_ID = "agent-id";
    static final String MESSAGE_COUNT = "message-count";
    private static final int OFFSET_BITS = 44;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    private KafkaPackets() {
    }

    static ProducerRecord<byte[], byte[]> record(String topic, Packet packet) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(PACKET_ID, packet.packetId().getBytes(StandardCharsets.UTF_8));
        headers.add(AGENT_ID, packet.agentId().getBytes(StandardCharsets.UTF_8));
        headers.add(MESSAGE_COUNT, Integer.toString(packet.messageCount()).getBytes(StandardCharsets.US_ASCII));
        // no key: the producer spreads batches over the partitions, so every replica gets work
        return new ProducerRecord<>(topic, null, (byte[]) null, packet.body(), headers);
    }

    /** The packet a record holds, or null when the record is not one this distributor wrote. */
    static Packet packet(ConsumerRecord<byte[], byte[]> record) {
        String packetId = header(record, PACKET_ID);
        String agentId = header(record, AGENT_ID);
        String count = header(record, MESSAGE_COUNT);
        if (packetId == null || agentId == null || count == null || record.value() == null) {
            return null;
        }
        try {
            int messages = Integer.parseInt(count);
            return messages < 1 ? null : new Packet(packetId, agentId, messages, record.value());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Never 0 (the id of a packet not stored yet). */
    static long id(int partition, long offset) {
        return ((long) (partition + 1) << OFFSET_BITS) | offset;
    }

    static int partition(long id) {
        return (int) (id >>> OFFSET_BITS) - 1;
    }

    static long offset(long id) {
        return id & OFFSET_MASK;
    }
}
