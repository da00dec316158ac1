package io.logsdistributor.queue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.utils.ExecutorFactory;
import org.apache.activemq.artemis.utils.actors.ArtemisExecutor;
import org.apache.activemq.artemis.utils.actors.OrderedExecutorFactory;

/**
 * Executors for Artemis's journal that run its appends on the calling thread. The journal hands every
 * append to a single executor thread and the caller waits for it: two thread wake-ups per record,
 * which measured 12-23 µs of CPU per packet against 7 µs when the ingest thread writes the record
 * itself (BENCHMARKS.md). {@link JournalStore} serialises appends with its own lock instead.
 *
 * <p>JournalImpl.start() takes its executors in a fixed order: file opening, compaction, appends. Those
 * two keep their own ordered executors (opening and compacting files must not run on an ingest thread).
 * JournalStoreTest fails if a new Artemis version changes the order.
 */
final class CallerRunsAppends implements ExecutorFactory {

    private static final int APPEND_EXECUTOR = 3;

    private final OrderedExecutorFactory background;
    private final AtomicInteger handedOut = new AtomicInteger();

    CallerRunsAppends(ExecutorService pool) {
        this.background = new OrderedExecutorFactory(pool);
    }

    @Override
    public ArtemisExecutor getExecutor() {
        if (handedOut.incrementAndGet() % APPEND_EXECUTOR == 0) {
            return Runnable::run;
        }
        return background.getExecutor();
    }
}
