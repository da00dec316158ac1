package io.logsdistributor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class PacketQueueTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @Test
    void refusesOnceTheByteBudgetIsSpentEvenWithRoomForMorePackets() {
        PacketQueue queue = new PacketQueue(100, 3 * (1000 + PacketQueue.EXCHANGE_OVERHEAD_BYTES));
        for (int i = 0; i < 3; i++) {
            assertThat(queue.offer(packet(1000))).isTrue();
        }
        assertThat(queue.offer(packet(1000))).isFalse();
        assertThatThrownBy(() -> queue.add(packet(1))).isInstanceOf(IllegalStateException.class).hasMessage("Queue full");
        assertThat(queue.size()).isEqualTo(3);
    }

    @Test
    void refusesOnceThePacketCountIsReachedAndReleasesBytesWhenFull() {
        PacketQueue queue = new PacketQueue(2, 1 << 20);
        queue.add(packet(10));
        queue.add(packet(10));
        long bytes = queue.bytes();
        assertThat(queue.offer(packet(10))).isFalse();
        assertThat(queue.bytes()).isEqualTo(bytes);
    }

    @Test
    void everyWayOutReleasesItsBytes() throws InterruptedException {
        PacketQueue queue = new PacketQueue(10, 1 << 20);
        Exchange removed = packet(5);
        for (Exchange e : List.of(packet(1), packet(2), packet(3), packet(4), removed, packet(6))) {
            queue.add(e);
        }
        queue.poll();
        queue.poll(1, TimeUnit.MILLISECONDS);
        queue.take();
        queue.remove(removed);
        List<Exchange> drained = new ArrayList<>();
        assertThat(queue.drainTo(drained, 1)).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(6 + PacketQueue.EXCHANGE_OVERHEAD_BYTES);
        queue.clear();
        assertThat(queue.bytes()).isZero();
        assertThat(queue.capacity()).isEqualTo(10);
    }

    private Exchange packet(int bytes) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(new Packet("p", "a", 1, new byte[bytes]));
        return exchange;
    }
}
