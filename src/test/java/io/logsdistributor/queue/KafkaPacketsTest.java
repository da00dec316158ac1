package io.logsdistributor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.logsdistributor.ingest.Packet;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaPacketsTest {

    @Test
    void aPacketTravelsAsItsOwnBytesWithItsIdsInHeaders() {
        byte[] body = "{\"packet_id\":\"p-1\", \"agent_id\":\"a\", \"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> sent = KafkaPackets.record("topic", new Packet("p-1", "agent-ü", 3, body));
        assertThat(sent.value()).isSameAs(body);
        assertThat(sent.key()).isNull();

        Packet received = KafkaPackets.packet(consumed(sent.headers(), sent.value()));
        assertThat(received.packetId()).isEqualTo("p-1");
        assertThat(received.agentId()).isEqualTo("agent-ü");
        assertThat(received.messageCount()).isEqualTo(3);
        assertThat(received.body()).isEqualTo(body);
    }

    @Test
    void aRecordThisDistributorDidNotWriteIsNoPacket() {
        assertThat(KafkaPackets.packet(consumed(new RecordHeaders(), new byte[] {1}))).isNull();
        RecordHeaders badCount = new RecordHeaders();
        badCount.add(KafkaPackets.PACKET_ID, new byte[] {'p'});
        badCount.add(KafkaPackets.AGENT_ID, new byte[] {'a'});
        badCount.add(KafkaPackets.MESSAGE_COUNT, "many".getBytes(StandardCharsets.US_ASCII));
        assertThat(KafkaPackets.packet(consumed(badCount, new byte[] {1}))).isNull();
    }

    @Test
    void aRecordIdNamesPartitionAndOffsetAndIsNeverZero() {
        long id = KafkaPackets.id(0, 0);
        assertThat(id).isNotZero();
        assertThat(KafkaPackets.partition(id)).isZero();
        assertThat(KafkaPackets.offset(id)).isZero();
        long big = KafkaPackets.id(9999, 123_456_789_012L);
        assertThat(KafkaPackets.partition(big)).isEqualTo(9999);
        assertThat(KafkaPackets.offset(big)).isEqualTo(123_456_789_012L);
    }

    private static ConsumerRecord<byte[], byte[]> consumed(org.apache.kafka.common.header.Headers headers, byte[] value) {
        return new ConsumerRecord<>("topic", 2, 40, 0L, TimestampType.CREATE_TIME, 0, value.length, null, value, headers,
                java.util.Optional.empty());
    }
}
