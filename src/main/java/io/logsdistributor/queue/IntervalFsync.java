package io.logsdistributor.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under {@link FsyncPolicy#INTERVAL}, fsyncs the files written since the last tick, every
 * {@code distributor.queue.fsync-interval-ms}: the journal's file in use and the dead-letter file. Under
 * the other policies it does nothing (ALWAYS fsyncs before answering, NEVER leaves it to the OS).
 */
public final class IntervalFsync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IntervalFsync.class);

    private final FsyncPolicy policy;
    private final List<Runnable> syncs = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;

    public IntervalFsync(FsyncPolicy policy, Duration interval) {
        this.policy = policy;
        if (policy == FsyncPolicy.INTERVAL) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "fsync-interval");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    public FsyncPolicy policy() {
        return policy;
    }

    /** A sync to run every interval; it must be cheap when nothing was written. */
    public void register(Runnable sync) {
        syncs.add(sync);
    }

    private void tick() {
        for (Runnable sync : syncs) {
            try {
                sync.run();
            } catch (RuntimeException e) {
                LOG.error("Periodic fsync failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            // what was written since the last tick reaches the disk before the process ends
            tick();
        }
    }
}
