package io.logsdistributor.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.analyzer.AnalyzerSpec;
import io.logsdistributor.http.Reply;
import io.logsdistributor.queue.JournalStore;
import io.logsdistributor.queue.PacketQueue;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Answers GET /stats (contract §6): totals, each analyzer's target and actual message share, and the queue. */
public final class StatsReport implements Processor {

    private final AnalyzerRegistry analyzers;
    private final DistributorMetrics metrics;
    private final PacketQueue queue;
    private final QueueMeters queueMeters;
    private final Instant started = Instant.now();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public StatsReport(AnalyzerRegistry analyzers, DistributorMetrics metrics, PacketQueue queue, QueueMeters queueMeters) {
        this.analyzers = analyzers;
        this.metrics = metrics;
        this.queue = queue;
        this.queueMeters = queueMeters;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Reply.with(exchange, 200, Reply.JSON, json.writeValueAsString(snapshot()));
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("packets", metrics.packets());
        totals.put("messages", metrics.messages());
        totals.put("accepted", metrics.packets());
        Map<String, Long> rejected = metrics.rejectedByReason();
        totals.put("rejected", rejected.values().stream().mapToLong(Long::longValue).sum());
        totals.put("rejected_by_reason", rejected);
        totals.put("delivered", metrics.deliveredPackets());
        totals.put("delivered_messages", metrics.deliveredMessages());
        totals.put("retried", metrics.retries());
        totals.put("failed_over", metrics.failovers());
        totals.put("dead_lettered", metrics.deadLetters());
        totals.put("dead_letter_write_failures", metrics.deadLetterWriteFailures());
        totals.put("recovered", queueMeters.recoveredPackets());

        double eligibleWeight = 0;
        for (int i = 0; i < analyzers.size(); i++) {
            eligibleWeight += analyzers.eligible(i) ? analyzers.spec(i).weight() : 0;
        }
        long deliveredMessages = metrics.deliveredMessages();
        List<Map<String, Object>> perAnalyzer = new ArrayList<>();
        for (int i = 0; i < analyzers.size(); i++) {
            AnalyzerSpec spec = analyzers.spec(i);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", spec.id());
            a.put("url", spec.url().toString());
            a.put("weight", spec.weight());
            a.put("target_share", rounded(analyzers.eligible(i) && eligibleWeight > 0 ? spec.weight() / eligibleWeight : 0.0));
            a.put("actual_message_share", rounded(deliveredMessages == 0 ? 0.0 : (double) metrics.messagesBy(i) / deliveredMessages));
            a.put("packets", metrics.packetsBy(i));
            a.put("messages", metrics.messagesBy(i));
            a.put("healthy", analyzers.healthy(i));
            a.put("breaker", analyzers.breaker(i).getState().name());
            a.put("eligible", analyzers.eligible(i));
            HistogramSnapshot latency = metrics.latencyOf(i).takeSnapshot();
            a.put("latency_ms", Map.of("p50", rounded(percentileMillis(latency, 0.50)), "p99", rounded(percentileMillis(latency, 0.99))));
            perAnalyzer.add(a);
        }

        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("totals", totals);
        stats.put("analyzers", perAnalyzer);
        stats.put("queue", queue());
        stats.put("uptime_s", Duration.between(started, Instant.now()).toSeconds());
        return stats;
    }

    private Map<String, Object> queue() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("store", queue.store().durable() ? "disk" : "memory");
        // waiting for a consumer; "packets" adds those being delivered: both count against the capacity
        q.put("depth", queue.size());
        q.put("packets", queue.packets());
        q.put("capacity", queue.capacity());
        q.put("bytes", queue.bytes());
        q.put("max_bytes", queue.maxBytes());
        q.put("storage_available", queue.store().available());
        if (!queue.store().available()) {
            q.put("storage_error", queue.store().unavailableReason());
        }
        if (queue.store() instanceof JournalStore journal) {
            q.put("journal_disk_bytes", journal.diskBytes());
            q.put("corrupt_records", queueMeters.corruptRecords());
            q.put("fsyncs", queueMeters.fsyncs());
        }
        return q;
    }

    /** What people read is rounded to 6 decimals (0.4, not 0.4000000000000001); /metrics keeps full values. */
    static double rounded(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    /** The upper bound of the histogram bucket holding the percentile: the same buckets Prometheus sees. */
    static double percentileMillis(HistogramSnapshot snapshot, double percentile) {
        long count = snapshot.count();
        if (count == 0) {
            return 0;
        }
        double rank = percentile * count;
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            if (bucket.count() >= rank) {
                return Math.min(bucket.bucket(TimeUnit.MILLISECONDS),
                        snapshot.max(TimeUnit.MILLISECONDS));
            }
        }
        return snapshot.max(TimeUnit.MILLISECONDS);
    }
}
