package io.logsdistributor.metrics;

import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.analyzer.Analyzer;
import io.logsdistributor.queue.PacketQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The distributor's own meters (contract §6). Counters are resolved once per analyzer and reason so
 * the hot path only increments; the same numbers feed /stats, so the two can never disagree.
 */
public final class DistributorMetrics {

    private final MeterRegistry registry;
    private final Counter packets;
    private final Counter messages;
    private final Counter delivered;
    private final Counter deliveredMessages;
    private final Counter retried;
    private final Counter failedOver;
    private final Counter deadLettered;
    private final Counter deadLetterWriteFailures;
    private final Counter analyzersReloads;
    private final Counter analyzersReloadFailures;
    private final Map<Analyzer, AnalyzerMeters> byAnalyzer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> deadLetterReasons = new ConcurrentHashMap<>();

    public DistributorMetrics(MeterRegistry registry, AnalyzerRegistry analyzers, PacketQueue queue) {
        this.registry = registry;
        packets = Counter.builder("distributor.packets").description("Packets accepted (202)").register(registry);
        messages = Counter.builder("distributor.messages").description("Messages in accepted packets").register(registry);
        delivered = Counter.builder("distributor.delivered.packets").description("Packets delivered to an analyzer").register(registry);
        deliveredMessages = Counter.builder("distributor.delivered.messages").description("Messages delivered").register(registry);
        retried = Counter.builder("distributor.retries").description("Delivery attempts that failed and were retried").register(registry);
        failedOver = Counter.builder("distributor.failovers")
                .description("Packets delivered by another analyzer than the first one picked").register(registry);
        deadLettered = Counter.builder("distributor.dead.letters").description("Packets written to the dead-letter store")
                .register(registry);
        deadLetterWriteFailures = Counter.builder("distributor.dead.letter.write.failures")
                .description("Dead letters that could not be written; their packets stay queued and are tried again")
                .register(registry);
        analyzersReloads = Counter.builder("distributor.analyzers.reloads")
                .description("Changed analyzers files applied without a restart").register(registry);
        analyzersReloadFailures = Counter.builder("distributor.analyzers.reload.failures")
                .description("Changed analyzers files refused as invalid; the running analyzers stayed").register(registry);
        for (Analyzer analyzer : analyzers.current()) {
            register(analyzer);
        }
        Gauge.builder("distributor.queue.depth", queue, PacketQueue::size).description("Packets waiting for delivery")
                .register(registry);
        Gauge.builder("distributor.queue.capacity", queue, PacketQueue::capacity).register(registry);
        Gauge.builder("distributor.queue.bytes", queue, PacketQueue::bytes).baseUnit("bytes").register(registry);
        Gauge.builder("distributor.healthy.analyzers", analyzers, AnalyzerRegistry::eligibleCount)
                .description("Analyzers that can take traffic").register(registry);
        Gauge.builder("distributor.total.analyzers", analyzers, AnalyzerRegistry::size).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void accepted(int messageCount) {
        packets.increment();
        messages.increment(messageCount);
    }

    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("distributor.rejected").tag("reason", r)
                .description("Requests refused by /ingest").register(registry)).increment();
    }

    /** One analyzer's meters, registered when it is configured and removed when a reload drops it. */
    private record AnalyzerMeters(Counter packets, Counter messages, Timer latency, List<Meter> all) {
    }

    /** Starts counting for an analyzer (at start, or added by a reload). */
    public void register(Analyzer analyzer) {
        String id = analyzer.id();
        Counter packetsBy = Counter.builder("distributor.packets.by.analyzer").tag("analyzer", id)
                .description("Packets delivered per analyzer").register(registry);
        Counter messagesBy = Counter.builder("distributor.messages.by.analyzer").tag("analyzer", id)
                .description("Messages delivered per analyzer").register(registry);
        Timer latency = Timer.builder("distributor.delivery").tag("analyzer", id)
                .description("Time to deliver a packet to an analyzer (successful attempts)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        Gauge weight = Gauge.builder("distributor.analyzer.weight", analyzer, Analyzer::weight).tag("analyzer", id)
                .description("Configured weight").register(registry);
        Gauge eligible = Gauge.builder("distributor.analyzer.eligible", analyzer, a -> a.eligible() ? 1 : 0)
                .tag("analyzer", id).description("1 when the analyzer can take traffic (healthy, breaker not open)")
                .register(registry);
        byAnalyzer.put(analyzer, new AnalyzerMeters(packetsBy, messagesBy, latency,
                List.of(packetsBy, messagesBy, latency, weight, eligible)));
    }

    /** Stops counting for an analyzer a reload removed (or replaced by one of the same id at another URL). */
    public void remove(Analyzer analyzer) {
        AnalyzerMeters meters = byAnalyzer.remove(analyzer);
        if (meters != null) {
            meters.all().forEach(registry::remove);
        }
    }

    public void delivered(Analyzer analyzer, int messageCount, long nanos, boolean afterFailover) {
        delivered.increment();
        deliveredMessages.increment(messageCount);
        AnalyzerMeters meters = byAnalyzer.get(analyzer);
        if (meters != null) {
            meters.packets().increment();
            meters.messages().increment(messageCount);
            meters.latency().record(nanos, TimeUnit.NANOSECONDS);
        }
        if (afterFailover) {
            failedOver.increment();
        }
    }

    public void retried() {
        retried.increment();
    }

    public void deadLettered(String reason) {
        deadLettered.increment();
        deadLetterReasons.computeIfAbsent(reason, r -> Counter.builder("distributor.dead.letters.by.reason")
                .tag("reason", r).register(registry)).increment();
    }

    public void analyzersReloaded() {
        analyzersReloads.increment();
    }

    public void analyzersReloadFailed() {
        analyzersReloadFailures.increment();
    }

    public void deadLetterWriteFailed() {
        deadLetterWriteFailures.increment();
    }

    public long deadLetterWriteFailures() {
        return (long) deadLetterWriteFailures.count();
    }

    public long packets() {
        return (long) packets.count();
    }

    public long messages() {
        return (long) messages.count();
    }

    public long deliveredPackets() {
        return (long) delivered.count();
    }

    public long deliveredMessages() {
        return (long) deliveredMessages.count();
    }

    public long retries() {
        return (long) retried.count();
    }

    public long failovers() {
        return (long) failedOver.count();
    }

    public long deadLetters() {
        return (long) deadLettered.count();
    }

    public Map<String, Long> rejectedByReason() {
        Map<String, Long> out = new TreeMap<>();
        rejected.forEach((reason, counter) -> out.put(reason, (long) counter.count()));
        return out;
    }

    public long packetsBy(Analyzer analyzer) {
        AnalyzerMeters meters = byAnalyzer.get(analyzer);
        return meters == null ? 0 : (long) meters.packets().count();
    }

    public long messagesBy(Analyzer analyzer) {
        AnalyzerMeters meters = byAnalyzer.get(analyzer);
        return meters == null ? 0 : (long) meters.messages().count();
    }

    /** The analyzer's delivery latency, or null once it is no longer counted. */
    public Timer latencyOf(Analyzer analyzer) {
        AnalyzerMeters meters = byAnalyzer.get(analyzer);
        return meters == null ? null : meters.latency();
    }
}
