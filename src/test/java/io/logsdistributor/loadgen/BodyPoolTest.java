package io.logsdistributor.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.logsdistributor.ingest.Packet;
import io.logsdistributor.ingest.PacketValidator;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BodyPoolTest {

    private final PacketValidator validator = new PacketValidator(10000, 32);

    @Test
    void everyPooledBodyIsAValidPacketWithItsMessageCount() {
        BodyPool pool = BodyPool.build(500, MessageMix.parse(MessageMix.DEFAULT), 200, 16, 42);
        assertThat(pool.size()).isEqualTo(500);
        for (int i = 0; i < pool.size(); i++) {
            Packet packet = validator.validate(pool.template(i));
            assertThat(packet.messageCount()).as("body %d", i).isEqualTo(pool.messageCount(i));
            assertThat(packet.agentId()).startsWith("loadgen-");
        }
    }

    @Test
    void patchedBodiesStayValidAndCarryUniqueIds() {
        BodyPool pool = BodyPool.build(8, MessageMix.parse("1:1-3"), 200, 1, 1);
        Set<String> ids = new HashSet<>();
        long[] sequences = {0, 1, 15, 16, 255, 1_000_003, Long.MAX_VALUE};
        for (long seq : sequences) {
            int index = (int) (seq % pool.size());
            byte[] body = pool.body(index, seq);
            Packet packet = validator.validate(body);
            assertThat(packet.messageCount()).isEqualTo(pool.messageCount(index));
            assertThat(packet.packetId()).endsWith(String.format("%016x", seq)).isEqualTo(pool.packetId(seq));
            assertThat(packet.agentId()).isEqualTo(pool.agentId(index));
            ids.add(packet.packetId());
            // the pooled template is untouched
            assertThat(new String(pool.template(index), StandardCharsets.UTF_8)).contains("-0000000000000000\"");
        }
        assertThat(ids).hasSize(sequences.length);
    }

    @Test
    void messagesAreAboutTheRequestedSize() {
        for (int bytes : new int[] {200, 1000}) {
            BodyPool pool = BodyPool.build(50, MessageMix.parse("1:10"), bytes, 4, 3);
            // 10 messages of ~bytes each, plus the envelope and separators
            assertThat(pool.meanBytes()).isBetween(10.0 * bytes, 10.0 * bytes + 150);
            assertThat(pool.meanMessages()).isEqualTo(10);
        }
    }

    @Test
    void theSameSeedBuildsTheSamePool() {
        MessageMix mix = MessageMix.parse(MessageMix.DEFAULT);
        BodyPool a = BodyPool.build(20, mix, 200, 16, 5);
        BodyPool b = BodyPool.build(20, mix, 200, 16, 5);
        for (int i = 0; i < 20; i++) {
            assertThat(a.template(i)).isEqualTo(b.template(i));
        }
    }
}
