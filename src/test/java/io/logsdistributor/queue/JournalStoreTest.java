package io.logsdistributor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.config.ConfigException;
import io.logsdistributor.ingest.Packet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.core.journal.IOCompletion;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk queue's journal with real files: what survives a restart, what damage does, and its guarantees. */
class JournalStoreTest {

    @TempDir
    Path dir;
    private final List<JournalStore> opened = new ArrayList<>();
    private final CountingEvents events = new CountingEvents();

    @AfterEach
    void close() {
        opened.forEach(JournalStore::close);
    }

    private JournalStore open(FsyncPolicy fsync) {
        QueueSettings settings = new QueueSettings(QueueSettings.Store.DISK, dir.resolve("queue"), fsync, Duration.ofSeconds(1),
                10_000, 1 << 30, 70_000);
        JournalStore store = JournalStore.open(settings, events, new IntervalFsync(fsync, Duration.ofSeconds(1)));
        opened.add(store);
        return store;
    }

    private void reopen() {
        opened.remove(opened.size() - 1).close();
    }

    @Test
    void whatWasNotRemovedComesBackAfterARestartInTheOrderItWasAccepted() {
        JournalStore store = open(FsyncPolicy.INTERVAL);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(store.append(packet("p-" + i, 1 + i % 7)));
        }
        for (int i = 0; i < 50; i += 3) {
            store.remove(ids.get(i));
        }
        reopen();

        List<Packet> recovered = open(FsyncPolicy.INTERVAL).recover();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            if (i % 3 != 0) {
                expected.add("p-" + i);
            }
        }
        assertThat(recovered).extracting(Packet::packetId).containsExactlyElementsOf(expected);
        Packet sample = recovered.get(1);
        assertThat(sample.agentId()).isEqualTo("agent-p-2");
        assertThat(sample.messageCount()).isEqualTo(3);
        assertThat(new String(sample.body(), StandardCharsets.UTF_8)).isEqualTo(body("p-2"));
        assertThat(sample.record()).isEqualTo(ids.get(2));
        assertThat(events.recovered.get()).isEqualTo(expected.size());
        assertThat(events.corrupt.get()).isZero();
    }

    @Test
    void newRecordsAfterARestartGetFreshIdsAndRecoveredOnesCanBeRemoved() {
        JournalStore store = open(FsyncPolicy.NEVER);
        long first = store.append(packet("a", 1));
        reopen();

        JournalStore again = open(FsyncPolicy.NEVER);
        Packet left = again.recover().get(0);
        long second = again.append(packet("b", 1));
        assertThat(second).isGreaterThan(first);
        again.remove(left.record());
        reopen();

        assertThat(open(FsyncPolicy.NEVER).recover()).extracting(Packet::packetId).containsExactly("b");
    }

    @Test
    void aTornLastRecordIsSkippedCountedAndTheRestRecovered() throws IOException {
        JournalStore store = open(FsyncPolicy.INTERVAL);
        for (int i = 0; i < 5; i++) {
            store.append(packet("p-" + i, 2));
        }
        reopen();
        // a crash in the middle of the last write: its end never reached the file
        Marked last = lastRecord();
        byte[] bytes = Files.readAllBytes(last.file);
        for (int i = last.markerAt + 40; i < last.markerAt + 400; i++) {
            bytes[i] = 0;
        }
        Files.write(last.file, bytes);

        List<Packet> recovered = open(FsyncPolicy.INTERVAL).recover();
        assertThat(recovered).extracting(Packet::packetId).containsExactly("p-0", "p-1", "p-2", "p-3");
        assertThat(events.corrupt.get()).isEqualTo(1);
    }

    @Test
    void aTruncatedJournalFileKeepsTheRecordsBeforeTheCut() throws IOException {
        JournalStore store = open(FsyncPolicy.INTERVAL);
        for (int i = 0; i < 5; i++) {
            store.append(packet("p-" + i, 2));
        }
        reopen();
        Marked last = lastRecord();
        try (var channel = java.nio.channels.FileChannel.open(last.file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(last.markerAt + 100);
        }

        JournalStore again = open(FsyncPolicy.INTERVAL);
        assertThat(again.recover()).extracting(Packet::packetId).containsExactly("p-0", "p-1", "p-2", "p-3");
        assertThat(events.corrupt.get()).isEqualTo(1);
        // and the journal goes on from there
        again.append(packet("after", 1));
        reopen();
        assertThat(open(FsyncPolicy.INTERVAL).recover()).extracting(Packet::packetId)
                .containsExactly("p-0", "p-1", "p-2", "p-3", "after");
    }

    @Test
    void aRecordDamagedInsideIsCaughtByItsCrcAndNeverDelivered() throws IOException {
        JournalStore store = open(FsyncPolicy.INTERVAL);
        for (int i = 0; i < 3; i++) {
            store.append(packet("p-" + i, 2));
        }
        reopen();
        List<Marked> records = records();
        Marked middle = records.get(1);
        byte[] bytes = Files.readAllBytes(middle.file);
        int inBody = middle.markerAt + 60;
        bytes[inBody] = (byte) (bytes[inBody] ^ 0x20);
        Files.write(middle.file, bytes);

        assertThat(open(FsyncPolicy.INTERVAL).recover()).extracting(Packet::packetId).containsExactly("p-0", "p-2");
        assertThat(events.corrupt.get()).isEqualTo(1);
    }

    @Test
    void aSecondProcessCannotOpenTheSameQueueDirectory() {
        open(FsyncPolicy.INTERVAL);
        // FileLock is per process: a second JVM gets null from tryLock, this one an overlap error; both refuse
        assertThatThrownBy(() -> open(FsyncPolicy.INTERVAL)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("distributor.queue.dir");
    }

    @Test
    void underFsyncAlwaysEveryAppendReturnsOnlyAfterAnFsyncThatFollowedIt() {
        JournalStore store = open(FsyncPolicy.ALWAYS);
        for (int i = 0; i < 20; i++) {
            int before = events.fsyncs.get();
            store.append(packet("p-" + i, 1));
            assertThat(events.fsyncs.get()).as("fsyncs after append %d", i).isGreaterThan(before);
        }
    }

    @Test
    void underFsyncIntervalAnAppendDoesNotWaitForAnFsync() {
        JournalStore store = open(FsyncPolicy.INTERVAL);
        int before = events.fsyncs.get();
        for (int i = 0; i < 20; i++) {
            store.append(packet("p-" + i, 1));
        }
        // the interval is 1 s: 20 appends take far less, and none of them asked for an fsync
        assertThat(events.fsyncs.get() - before).isLessThan(20);
    }

    @Test
    void artemisRunsAppendsOnTheCallersThread() throws Exception {
        // CallerRunsAppends relies on the order in which JournalImpl.start() takes its executors
        ExecutorService pool = Executors.newCachedThreadPool();
        Path journalDir = Files.createDirectories(dir.resolve("raw"));
        JournalImpl journal = new JournalImpl(new CallerRunsAppends(pool), 1 << 20, 2, 2, 10, 30, 1,
                new JournalFiles(journalDir.toFile(), false, 1 << 20, 0, (e, m, f) -> { }, n -> { }),
                "t", "jrn", 1, 1, (e, m, f) -> { }, 0);
        try {
            journal.start();
            journal.load(new ArrayList<RecordInfo>(), new ArrayList<>(), null);
            AtomicReference<Thread> wroteOn = new AtomicReference<>();
            journal.appendAddRecord(1, (byte) 1, new org.apache.activemq.artemis.core.journal.impl.dataformat.ByteArrayEncoding(
                    new byte[10]), false, new IOCompletion() {
                        @Override
                        public void storeLineUp() {
                        }

                        @Override
                        public void done() {
                            wroteOn.set(Thread.currentThread());
                        }

                        @Override
                        public void onError(int code, String message) {
                        }
                    });
            assertThat(wroteOn.get()).isSameAs(Thread.currentThread());
        } finally {
            journal.stop();
            pool.shutdownNow();
        }
    }

    private record Marked(Path file, int markerAt) {
    }

    private Marked lastRecord() throws IOException {
        List<Marked> all = records();
        return all.get(all.size() - 1);
    }

    /** Where each packet record's marker is, in the order of the files' ids. */
    private List<Marked> records() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.resolve("queue"), "packets-*.jrn")) {
            stream.forEach(files::add);
        }
        files.sort((a, b) -> Long.compare(fileNumber(a), fileNumber(b)));
        List<Marked> found = new ArrayList<>();
        for (Path file : files) {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            for (int i = JournalImpl.SIZE_HEADER; i + 4 <= bytes.capacity(); i++) {
                if (bytes.getInt(i) == PacketRecord.MARKER) {
                    found.add(new Marked(file, i));
                }
            }
        }
        return found;
    }

    private static long fileNumber(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
    }

    static Packet packet(String id, int messages) {
        return new Packet(id, "agent-" + id, messages, body(id).getBytes(StandardCharsets.UTF_8));
    }

    static String body(String id) {
        return "{\"packet_id\":\"" + id + "\",\"agent_id\":\"agent-" + id + "\",\"messages\":[" + "x".repeat(300) + "]}";
    }

    static final class CountingEvents implements StoreEvents {
        final AtomicInteger fsyncs = new AtomicInteger();
        final AtomicInteger recovered = new AtomicInteger();
        final AtomicInteger corrupt = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();

        @Override
        public void fsynced(long nanos) {
            fsyncs.incrementAndGet();
        }

        @Override
        public void recovered(int packets) {
            recovered.addAndGet(packets);
        }

        @Override
        public void corrupt(int records) {
            corrupt.addAndGet(records);
        }

        @Override
        public void storageError() {
            errors.incrementAndGet();
        }
    }
}
