package io.logsdistributor.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.logsdistributor.analyzer.Analyzer;
import io.logsdistributor.analyzer.AnalyzersReload;
import io.logsdistributor.balance.MessageShareSelector;
import io.logsdistributor.http.Reply;
import io.logsdistributor.queue.JournalStore;
import io.logsdistributor.queue.KafkaStore;
import io.logsdistributor.queue.PacketQueue;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Answers GET /stats (contract §6): totals, each analyzer's target and actual message share, and the queue. */
public final class StatsReport implements Processor {

    private final MessageShareSelector<Analyzer> selector;
    private final DistributorMetrics metrics;
    private final PacketQueue queue;
    private final QueueMeters queueMeters;
    private final AnalyzersReload reload;
    private final Instant started = Instant.now();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public StatsReport(MessageShareSelector<Analyzer> selector, DistributorMetrics metrics, PacketQueue queue,
            QueueMeters queueMeters, AnalyzersReload reload) {
        this.reload = reload;
        this.selector = selector;
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

        MessageShareSelector.Snapshot<Analyzer> balance = selector.snapshot(Analyzer::eligible);
        long deliveredMessages = metrics.deliveredMessages();
        List<Map<String, Object>> perAnalyzer = new ArrayList<>();
        for (int i = 0; i < balance.members().length; i++) {
            Analyzer analyzer = balance.members()[i];
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", analyzer.id());
            a.put("url", analyzer.spec().url().toString());
            a.put("weight", analyzer.weight());
            // slow start included: an analyzer that just rejoined has a small target that grows
            a.put("target_share", rounded(balance.shares()[i]));
            a.put("actual_message_share", rounded(deliveredMessages == 0 ? 0.0 : (double) metrics.messagesBy(analyzer) / deliveredMessages));
            a.put("packets", metrics.packetsBy(analyzer));
            a.put("messages", metrics.messagesBy(analyzer));
            a.put("healthy", analyzer.healthy());
            a.put("breaker", analyzer.breaker().getState().name());
            a.put("eligible", analyzer.eligible());
            a.put("in_flight", balance.inFlight()[i]);
            a.put("max_in_flight", balance.limits()[i]);
            // messages it was due but could not take (at its limit, or failing), given to the others
            a.put("forgone_messages", Math.round(balance.forgone()[i]));
            Timer latency = metrics.latencyOf(analyzer);
            HistogramSnapshot histogram = latency == null ? HistogramSnapshot.empty(0, 0, 0) : latency.takeSnapshot();
            a.put("latency_ms", Map.of("p50", rounded(percentileMillis(histogram, 0.50)),
                    "p99", rounded(percentileMillis(histogram, 0.99))));
            perAnalyzer.add(a);
        }

        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("totals", totals);
        stats.put("analyzers", perAnalyzer);
        stats.put("queue", queue());
        stats.put("analyzers_file", analyzersFile());
        stats.put("uptime_s", Duration.between(started, Instant.now()).toSeconds());
        return stats;
    }

    private Map<String, Object> queue() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("store", queue.store().shared() ? "kafka" : queue.store().durable() ? "disk" : "memory");
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
        if (queue.store() instanceof KafkaStore kafka) {
            q.put("kafka_partitions", kafka.partitions());
            q.put("kafka_unfinished", kafka.unfinished());
        }
        return q;
    }

    private Map<String, Object> analyzersFile() {
        AnalyzersReload.Applied applied = reload.applied();
        Map<String, Object> file = new LinkedHashMap<>();
        // the hash of the content in force: compare with sha256sum of the file to see that an edit was applied
        file.put("hash", applied.hash());
        file.put("reloaded_at", applied.at().truncatedTo(ChronoUnit.MILLIS).toString());
        file.put("reloads", applied.reloads());
        file.put("reload_failures", applied.failures());
        if (applied.lastError() != null) {
            file.put("last_error", applied.lastError());
        }
        return file;
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
