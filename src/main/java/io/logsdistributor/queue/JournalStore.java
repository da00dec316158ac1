package io.logsdistributor.queue;

import io.logsdistributor.config.ConfigException;
import io.logsdistributor.ingest.Packet;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.activemq.artemis.core.journal.IOCompletion;
import org.apache.activemq.artemis.core.journal.JournalLoadInformation;
import org.apache.activemq.artemis.core.journal.LoaderCallback;
import org.apache.activemq.artemis.core.journal.PreparedTransactionInfo;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalFile;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code distributor.queue.store=disk}: every queued packet is an add record in an append-only journal
 * (Apache Artemis's journal, used as a library) until it is delivered or dead-lettered, when a delete
 * record follows it. The journal reclaims and compacts its files itself, so the disk footprint follows
 * the queue; on start it returns the records never deleted, which are delivered again.
 *
 * <p>An append returns once the record is written to the operating system (a crash of the process keeps
 * it); with {@link FsyncPolicy#ALWAYS} once the fsync covering it is done, several requests sharing one
 * fsync. When a record cannot be written (disk full, read-only, I/O error) the store refuses packets at
 * once and checks every second whether the disk can take a journal file again.
 */
public final class JournalStore implements QueueStore {

    private static final Logger LOG = LoggerFactory.getLogger(JournalStore.class);

    static final String PREFIX = "packets";
    static final String EXTENSION = "jrn";
    private static final int MIN_FILE_BYTES = 8 << 20;
    private static final int MIN_FILES = 2;
    /** freed files kept for reuse, beyond which they are deleted: bounds the footprint after a burst */
    private static final int POOLED_FILES = 4;
    private static final int COMPACT_MIN_FILES = 4;
    private static final int COMPACT_BELOW_PERCENT = 30;
    private static final int FILE_OPEN_TIMEOUT_S = 1;
    /** group-commit window under fsync=always: requests arriving within it share one fsync */
    private static final int GROUP_COMMIT_NANOS = 500_000;
    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final Path dir;
    private final FsyncPolicy fsync;
    private final StoreEvents events;
    private final int fileBytes;
    private final FileChannel lockFile;
    private final ExecutorService io;
    private final JournalImpl journal;
    private final ReentrantLock writes = new ReentrantLock();
    private final List<Long> pendingDeletes = new ArrayList<>();
    private long lastId;
    private List<Packet> recovered;
    private volatile String unavailable;
    private volatile long probeAfter;

    private JournalStore(QueueSettings settings, StoreEvents events, FileChannel lockFile) {
        this.dir = settings.dir();
        this.fsync = settings.fsync();
        this.events = events;
        this.lockFile = lockFile;
        this.fileBytes = fileBytes(settings.maxRecordBytes());
        boolean grouped = fsync == FsyncPolicy.ALWAYS;
        JournalFiles files = new JournalFiles(dir.toFile(), grouped, Math.max(490 << 10, settings.maxRecordBytes() + 4096),
                GROUP_COMMIT_NANOS, (error, message, file) -> fail("I/O error on " + file + ": " + message),
                events::fsynced);
        files.setDatasync(fsync != FsyncPolicy.NEVER);
        this.io = Executors.newCachedThreadPool(daemon("journal-io"));
        this.journal = new JournalImpl(new CallerRunsAppends(io), fileBytes, MIN_FILES, POOLED_FILES, COMPACT_MIN_FILES,
                COMPACT_BELOW_PERCENT, FILE_OPEN_TIMEOUT_S, files, PREFIX, EXTENSION, 1, 1,
                (error, message, file) -> fail("I/O error on " + file + ": " + message), 0);
    }

    /**
     * Opens the journal in {@code settings.dir()} (created if missing), locked against a second process,
     * and loads what a previous run left. A journal that cannot be opened stops start-up.
     */
    public static JournalStore open(QueueSettings settings, StoreEvents events, IntervalFsync fsyncs) {
        Path dir = settings.dir();
        FileChannel lock = lock(dir);
        JournalStore store = new JournalStore(settings, events, lock);
        try {
            store.load();
        } catch (Exception e) {
            store.close();
            throw new ConfigException("property distributor.queue.dir (env DISTRIBUTOR_QUEUE_DIR): cannot load the queue journal in "
                    + dir.toAbsolutePath() + " (" + e + ")");
        }
        // files the journal moves on from are fsynced as it closes them; this covers the one in use
        fsyncs.register(store::syncCurrentFile);
        return store;
    }

    private static FileChannel lock(Path dir) {
        String where = "property distributor.queue.dir (env DISTRIBUTOR_QUEUE_DIR): " + dir.toAbsolutePath();
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigException(where + " is not a writable directory (" + e.getClass().getSimpleName() + ")");
        }
        String inUse = where + " is in use by another distributor process: each needs its own queue directory";
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                closeQuietly(channel);
                throw new ConfigException(inUse);
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new ConfigException(inUse);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException(where + ": cannot lock it (" + e.getMessage() + ")");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing what we could not use: nothing to add
        }
    }

    /** A file holds at least two of the largest records, and a few thousand typical ones. */
    static int fileBytes(int maxRecordBytes) {
        long wanted = Math.max(MIN_FILE_BYTES, 2L * (maxRecordBytes + 4096));
        return (int) ((wanted + 4095) / 4096 * 4096);
    }

    private void load() throws Exception {
        journal.start();
        Map<Long, RecordInfo> live = new LinkedHashMap<>();
        JournalLoadInformation info = journal.load(new LoaderCallback() {
            @Override
            public void addRecord(RecordInfo record) {
                live.put(record.id, record);
            }

            @Override
            public void deleteRecord(long id) {
                live.remove(id);
            }

            @Override
            public void updateRecord(RecordInfo record) {
                // never written: a packet record is added once and deleted once
            }

            @Override
            public void addPreparedTransaction(PreparedTransactionInfo transaction) {
                // never written
            }

            @Override
            public void failedTransaction(long id, List<RecordInfo> records, List<RecordInfo> deletes) {
                // never written
            }
        });
        lastId = Math.max(0, info.getMaxID());
        int corrupt = 0;
        List<Packet> packets = new ArrayList<>(live.size());
        for (RecordInfo record : live.values()) {
            Packet packet = record.userRecordType == PacketRecord.TYPE ? PacketRecord.decode(record.id, record.data) : null;
            if (packet == null) {
                corrupt++;
                LOG.error("Queue journal record {} in {} is damaged (bad marker, length or CRC): skipped", record.id, dir);
                journal.appendDeleteRecord(record.id, false);
            } else {
                packets.add(packet);
            }
        }
        for (JournalDamage.Damage damage : JournalDamage.scan(dir, PREFIX, EXTENSION)) {
            corrupt++;
            LOG.error("Queue journal record {} at byte {} of {} is torn or damaged: skipped", damage.recordId(),
                    damage.offset(), damage.file());
        }
        packets.sort(Comparator.comparingLong(Packet::record));
        recovered = packets;
        if (corrupt > 0) {
            events.corrupt(corrupt);
        }
        if (!packets.isEmpty()) {
            events.recovered(packets.size());
            LOG.info("Queue journal in {}: {} packets left by the previous run will be delivered again{}", dir,
                    packets.size(), corrupt > 0 ? " (" + corrupt + " damaged records skipped)" : "");
        } else {
            LOG.info("Queue journal in {}: empty{}", dir, corrupt > 0 ? " (" + corrupt + " damaged records skipped)" : "");
        }
    }

    private void syncCurrentFile() {
        if (fsync != FsyncPolicy.INTERVAL) {
            return;
        }
        try {
            JournalFile current = journal.getCurrentFile();
            if (current != null) {
                current.getFile().sync();
            }
        } catch (Exception e) {
            fail("fsync failed: " + e.getMessage());
        }
    }

    @Override
    public long append(Packet packet) {
        if (unavailable != null && !probe()) {
            throw new StorageUnavailableException(unavailable);
        }
        PacketRecord record = new PacketRecord(packet);
        Completion done = new Completion();
        long id;
        writes.lock();
        try {
            id = ++lastId;
            journal.appendAddRecord(id, PacketRecord.TYPE, record, fsync == FsyncPolicy.ALWAYS, done);
        } catch (Exception e) {
            throw refused(describe(e));
        } finally {
            writes.unlock();
        }
        String error = done.await(APPEND_TIMEOUT, () -> unavailable);
        if (error != null) {
            throw refused(error);
        }
        return id;
    }

    private StorageUnavailableException refused(String error) {
        fail(error);
        return new StorageUnavailableException("the queue journal cannot be written: " + error);
    }

    @Override
    public void remove(long record) {
        if (unavailable != null) {
            // the journal may have no file open to write the delete to: applied once it can write again
            synchronized (pendingDeletes) {
                pendingDeletes.add(record);
            }
            return;
        }
        delete(record);
    }

    private void delete(long record) {
        writes.lock();
        try {
            journal.appendDeleteRecord(record, false);
        } catch (Exception e) {
            // the record stays in the journal: at worst its packet is delivered again after a restart
            LOG.warn("Queue journal: could not delete delivered record {}: {}", record, describe(e));
        } finally {
            writes.unlock();
        }
    }

    /** While refusing: is there room for a journal file again? Checked at most once a second. */
    private boolean probe() {
        long now = System.nanoTime();
        if (now - probeAfter < 0) {
            return false;
        }
        probeAfter = now + PROBE_INTERVAL.toNanos();
        try {
            if (!Files.isWritable(dir) || Files.getFileStore(dir).getUsableSpace() < fileBytes) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        LOG.info("Queue journal in {} can be written again: accepting packets", dir);
        unavailable = null;
        List<Long> deletes;
        synchronized (pendingDeletes) {
            deletes = new ArrayList<>(pendingDeletes);
            pendingDeletes.clear();
        }
        deletes.forEach(this::delete);
        return true;
    }

    private void fail(String reason) {
        if (unavailable == null) {
            LOG.error("Queue journal in {} cannot be written, refusing packets (503 storage_unavailable) until it can: {}",
                    dir, reason);
        }
        unavailable = reason;
        probeAfter = System.nanoTime() + PROBE_INTERVAL.toNanos();
        events.storageError();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    @Override
    public List<Packet> recover() {
        List<Packet> packets = recovered == null ? List.of() : recovered;
        recovered = null;
        return packets;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public boolean available() {
        return unavailable == null;
    }

    @Override
    public String unavailableReason() {
        return unavailable;
    }

    /** Bytes of journal files on disk: live records, records awaiting reclaim, and pooled files. */
    public long diskBytes() {
        try (var files = Files.newDirectoryStream(dir, PREFIX + "-*." + EXTENSION)) {
            long total = 0;
            for (Path file : files) {
                total += Files.size(file);
            }
            return total;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            writes.lock();
            try {
                journal.stop();
            } finally {
                writes.unlock();
            }
        } catch (Exception e) {
            LOG.warn("Queue journal in {} did not stop cleanly: {}", dir, describe(e));
        }
        io.shutdownNow();
        closeQuietly(lockFile);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Completion of one append: immediate when written on the caller's thread, later under group commit. */
    private static final class Completion implements IOCompletion {

        private static final long FAILURE_CHECK_MS = 50;

        private final CountDownLatch latch = new CountDownLatch(1);
        private volatile String error;

        @Override
        public void storeLineUp() {
        }

        @Override
        public void done() {
            latch.countDown();
        }

        @Override
        public void onError(int code, String message) {
            error = message == null ? "I/O error " + code : message;
            latch.countDown();
        }

        /**
         * @param storeFailure the store's failure, if any: Artemis reports some write errors only to the
         *     store's error listener and never completes the record's callback
         */
        String await(Duration timeout, java.util.function.Supplier<String> storeFailure) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (!latch.await(FAILURE_CHECK_MS, TimeUnit.MILLISECONDS)) {
                    String failure = storeFailure.get();
                    if (failure != null) {
                        return failure;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        return "no answer from the journal within " + timeout.toSeconds() + " s";
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            return error;
        }
    }
}
