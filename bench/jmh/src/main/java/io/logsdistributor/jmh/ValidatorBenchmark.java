package io.logsdistributor.jmh;

import io.logsdistributor.ingest.PacketValidator;
import io.logsdistributor.loadgen.BodyPool;
import io.logsdistributor.loadgen.MessageMix;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link PacketValidator#validate} (streaming Jackson pass) on packets of 1, 11 and 100 messages of ~200 bytes
 * each, the bodies the load generator sends (11 is the mean of its default mix). The limits are the defaults of
 * application.properties.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ValidatorBenchmark {

    @Param({"1", "11", "100"})
    public int messages;

    private PacketValidator validator;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() {
        validator = new PacketValidator(10000, 32);
        body = BodyPool.build(1, MessageMix.parse("1:" + messages), 200, 1, 42).body(0, 1);
        if (validator.validate(body).messageCount() != messages) {
            throw new IllegalStateException("benchmark body does not hold " + messages + " messages");
        }
    }

    @Benchmark
    public Object validate() {
        return validator.validate(body);
    }
}
