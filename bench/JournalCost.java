import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.IOCompletion;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.apache.activemq.artemis.core.journal.impl.dataformat.ByteArrayEncoding;
import org.apache.activemq.artemis.utils.ExecutorFactory;
import org.apache.activemq.artemis.utils.actors.ArtemisExecutor;
import org.apache.activemq.artemis.utils.actors.OrderedExecutorFactory;

/**
 * What one queued packet costs the Artemis journal: an add record of a typical packet (2.6 KB) that the
 * caller waits for, then its delete record, from 8 threads (the ingest workers), in three set-ups:
 *
 *   handoff   Artemis as it comes: each append runs on the journal's own executor thread, the caller waits
 *   buffered  the same with Artemis's timed buffer (records of concurrent callers gathered into one write)
 *   caller    appends run on the calling thread under one lock (what JournalStore does: CallerRunsAppends)
 *
 * usage: java -cp target/logs-distributor.jar bench/JournalCost.java [records] [threads]
 * Prints records/s and the process's CPU time per record (add + delete), after a warm-up of 20,000.
 */
public class JournalCost {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        for (String mode : List.of("handoff", "buffered", "caller", "handoff", "buffered", "caller")) {
            Path dir = Files.createTempDirectory("journal-cost");
            try {
                run(mode, dir, records, threads);
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    static void run(String mode, Path dir, int records, int threads) throws Exception {
        boolean buffered = mode.equals("buffered");
        NIOSequentialFileFactory files = new NIOSequentialFileFactory(dir.toFile(), buffered, 1 << 20, 100_000, 1, false);
        files.setDatasync(false);
        ExecutorService pool = Executors.newCachedThreadPool();
        OrderedExecutorFactory ordered = new OrderedExecutorFactory(pool);
        AtomicInteger handedOut = new AtomicInteger();
        ExecutorFactory executors = mode.equals("caller")
                ? () -> handedOut.incrementAndGet() % 3 == 0 ? (ArtemisExecutor) Runnable::run : ordered.getExecutor()
                : ordered::getExecutor;
        JournalImpl journal = new JournalImpl(executors, 8 << 20, 2, 4, 4, 30, 1, files, "cost", "jrn", 1, 1,
                (e, m, f) -> { }, 0);
        journal.start();
        journal.load(new ArrayList<RecordInfo>(), new ArrayList<>(), null);
        byte[] packet = new byte[2600];
        AtomicLong ids = new AtomicLong();
        Object lock = new Object();
        append(journal, ids, packet, threads, 20_000, lock);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        append(journal, ids, packet, threads, records, lock);
        double seconds = (System.nanoTime() - start) / 1e9;
        double micros = (os.getProcessCpuTime() - cpu) / 1e3 / records;
        System.out.printf("%-9s %d threads: %,8.0f records/s, %5.1f us CPU per record (add + delete)%n", mode, threads,
                records / seconds, micros);
        journal.stop();
        pool.shutdownNow();
    }

    static void append(JournalImpl journal, AtomicLong ids, byte[] packet, int threads, int records, Object lock)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        AtomicInteger left = new AtomicInteger(records);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(callers.submit(() -> {
                while (left.decrementAndGet() >= 0) {
                    long id = ids.incrementAndGet();
                    CompletableFuture<Void> written = new CompletableFuture<>();
                    synchronized (lock) {
                        journal.appendAddRecord(id, (byte) 1, new ByteArrayEncoding(packet), false, new IOCompletion() {
                            @Override
                            public void storeLineUp() {
                            }

                            @Override
                            public void done() {
                                written.complete(null);
                            }

                            @Override
                            public void onError(int code, String message) {
                                written.completeExceptionally(new IllegalStateException(message));
                            }
                        });
                    }
                    written.get();
                    synchronized (lock) {
                        journal.appendDeleteRecord(id, false);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        callers.shutdown();
    }
}
