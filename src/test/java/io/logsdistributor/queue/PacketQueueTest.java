package io.logsdistributor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.ingest.Packet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacketQueueTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @TempDir
    java.nio.file.Path dir;

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
    void refusesOnceThePacketCountIsReachedWithoutKeepingTheRefusedBytes() {
        PacketQueue queue = new PacketQueue(2, 1 << 20);
        queue.add(packet(10));
        queue.add(packet(10));
        long bytes = queue.bytes();
        assertThat(queue.offer(packet(10))).isFalse();
        assertThat(queue.bytes()).isEqualTo(bytes);
        assertThat(queue.packets()).isEqualTo(2);
    }

    @Test
    void aPacketCountsUntilItIsReleasedNotUntilAConsumerTakesIt() throws InterruptedException {
        PacketQueue queue = new PacketQueue(2, 1 << 20);
        queue.add(packet(10));
        queue.add(packet(20));
        Exchange taken = queue.poll(1, TimeUnit.SECONDS);
        // in flight to an analyzer: still in the journal, so still within the bounds
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.packets()).isEqualTo(2);
        assertThat(queue.offer(packet(1))).isFalse();

        queue.release(taken.getMessage().getBody(Packet.class));
        assertThat(queue.packets()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(20 + PacketQueue.EXCHANGE_OVERHEAD_BYTES);
        assertThat(queue.offer(packet(1))).isTrue();
    }

    @Test
    void aStoreThatCannotWriteRefusesThePacketAndLeavesTheBoundsAsTheyWere() {
        QueueStore failing = new QueueStore() {
            @Override
            public long append(Packet packet) {
                throw new StorageUnavailableException("disk full");
            }

            @Override
            public void remove(long record) {
            }

            @Override
            public List<Packet> recover() {
                return List.of();
            }

            @Override
            public boolean durable() {
                return true;
            }

            @Override
            public boolean available() {
                return false;
            }

            @Override
            public String unavailableReason() {
                return "disk full";
            }

            @Override
            public void close() {
            }
        };
        PacketQueue queue = new PacketQueue(10, 1 << 20, failing);
        assertThatThrownBy(() -> queue.add(packet(10))).isInstanceOf(StorageUnavailableException.class);
        assertThat(queue.packets()).isZero();
        assertThat(queue.bytes()).isZero();
        assertThat(queue.size()).isZero();
    }

    @Test
    void eachQueuedPacketCarriesItsRecordAndReleaseDeletesIt() {
        Duration second = Duration.ofSeconds(1);
        QueueSettings settings = new QueueSettings(QueueSettings.Store.DISK, dir.resolve("q"), FsyncPolicy.NEVER, second,
                100, 1 << 20, 10_000);
        List<Long> kept = new ArrayList<>();
        try (JournalStore store = JournalStore.open(settings, StoreEvents.NONE, new IntervalFsync(FsyncPolicy.NEVER, second))) {
            PacketQueue queue = new PacketQueue(100, 1 << 20, store);
            for (int i = 0; i < 4; i++) {
                queue.add(packet(10));
            }
            List<Packet> queued = new ArrayList<>();
            queue.forEach(e -> queued.add(e.getMessage().getBody(Packet.class)));
            assertThat(queued).extracting(Packet::record).doesNotContain(0L).doesNotHaveDuplicates();
            queue.release(queued.get(0));
            queue.release(queued.get(2));
            kept.add(queued.get(1).record());
            kept.add(queued.get(3).record());
        }
        try (JournalStore store = JournalStore.open(settings, StoreEvents.NONE, new IntervalFsync(FsyncPolicy.NEVER, second))) {
            PacketQueue queue = new PacketQueue(100, 1 << 20, store);
            assertThat(queue.recover(context)).isEqualTo(2);
            List<Long> recovered = new ArrayList<>();
            queue.forEach(e -> recovered.add(e.getMessage().getBody(Packet.class).record()));
            assertThat(recovered).containsExactlyElementsOf(kept);
            assertThat(queue.packets()).isEqualTo(2);
            assertThat(queue.bytes()).isEqualTo(2 * (10 + PacketQueue.EXCHANGE_OVERHEAD_BYTES));
        }
    }

    @Test
    void recoveredPacketsFillTheQueueEvenBeyondAReducedCapacity() {
        Duration second = Duration.ofSeconds(1);
        QueueSettings big = new QueueSettings(QueueSettings.Store.DISK, dir.resolve("q"), FsyncPolicy.NEVER, second,
                100, 1 << 20, 10_000);
        try (JournalStore store = JournalStore.open(big, StoreEvents.NONE, new IntervalFsync(FsyncPolicy.NEVER, second))) {
            PacketQueue queue = new PacketQueue(100, 1 << 20, store);
            for (int i = 0; i < 5; i++) {
                queue.add(packet(10));
            }
        }
        try (JournalStore store = JournalStore.open(big, StoreEvents.NONE, new IntervalFsync(FsyncPolicy.NEVER, second))) {
            // restarted with room for 3: all 5 are delivered, and new packets wait until they are
            PacketQueue queue = new PacketQueue(3, 1 << 20, store);
            assertThat(queue.recover(context)).isEqualTo(5);
            assertThat(queue.size()).isEqualTo(5);
            assertThat(queue.offer(packet(1))).isFalse();
        }
    }

    private Exchange packet(int bytes) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(new Packet("p", "a", 1, new byte[bytes]));
        return exchange;
    }
}
