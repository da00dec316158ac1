package io.logsdistributor.queue;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.function.LongConsumer;
import org.apache.activemq.artemis.core.io.IOCriticalErrorListener;
import org.apache.activemq.artemis.core.io.SequentialFile;
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFile;
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;

/**
 * The journal's files (Artemis NIO files), with every fsync timed: the fsync latency is what
 * {@code distributor.queue.fsync=always} adds to a 202, and what a slow disk shows first.
 */
final class JournalFiles extends NIOSequentialFileFactory {

    private final LongConsumer fsyncNanos;

    /**
     * @param grouped write through Artemis's timed buffer, which gathers the records of concurrent
     *     requests into one write and one fsync (group commit); without it each record is one write
     */
    JournalFiles(File dir, boolean grouped, int bufferBytes, int bufferNanos, IOCriticalErrorListener onError,
            LongConsumer fsyncNanos) {
        super(dir, grouped, bufferBytes, bufferNanos, 1, false, onError, null);
        this.fsyncNanos = fsyncNanos;
    }

    @Override
    public SequentialFile createSequentialFile(String fileName) {
        return new TimedFile(this, journalDir, fileName);
    }

    private final class TimedFile extends NIOSequentialFile {

        TimedFile(JournalFiles factory, File dir, String name) {
            super(factory, dir, name, 1);
        }

        @Override
        protected void syncChannel(FileChannel channel) throws IOException {
            long start = System.nanoTime();
            super.syncChannel(channel);
            fsyncNanos.accept(System.nanoTime() - start);
        }
    }
}
