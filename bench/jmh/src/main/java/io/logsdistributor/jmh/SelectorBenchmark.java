package io.logsdistributor.jmh;

import io.logsdistributor.balance.MessageShareSelector;
import io.logsdistributor.loadgen.MessageMix;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link MessageShareSelector#pick} (synchronized) on one selector shared by 1, 2 and 8 threads, four
 * analyzers weighted 0.4/0.3/0.2/0.1, message counts drawn from the load generator's default mix.
 * Scores are per thread; total picks/s = score × threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectorBenchmark {

    @State(Scope.Benchmark)
    public static class Shared {
        MessageShareSelector selector;
        final boolean[] eligible = {true, true, true, true};

        @Setup(Level.Trial)
        public void setUp() {
            selector = new MessageShareSelector(new double[] {0.4, 0.3, 0.2, 0.1});
        }
    }

    @State(Scope.Thread)
    public static class Counts {
        final int[] counts = new int[1024];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            MessageMix mix = MessageMix.parse(MessageMix.DEFAULT);
            SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
            for (int i = 0; i < counts.length; i++) {
                counts[i] = mix.next(random);
            }
        }

        int nextCount() {
            return counts[next++ & (counts.length - 1)];
        }
    }

    @Benchmark
    @Threads(1)
    public int pick1Thread(Shared s, Counts c) {
        return s.selector.pick(c.nextCount(), s.eligible);
    }

    @Benchmark
    @Threads(2)
    public int pick2Threads(Shared s, Counts c) {
        return s.selector.pick(c.nextCount(), s.eligible);
    }

    @Benchmark
    @Threads(8)
    public int pick8Threads(Shared s, Counts c) {
        return s.selector.pick(c.nextCount(), s.eligible);
    }
}
