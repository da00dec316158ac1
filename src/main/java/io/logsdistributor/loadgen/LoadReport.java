package io.logsdistributor.loadgen;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a load run saw, collected concurrently from the client's event loops: status codes, connection
 * errors, message counts and an HdrHistogram of latencies (microseconds) of the measured packets. Warm-up
 * packets are counted apart and never enter the histogram or the rates.
 */
public final class LoadReport {

    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final AtomicLongArray status = new AtomicLongArray(600);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final LongAdder sentPackets = new LongAdder();
    private final LongAdder sentMessages = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder acceptedPackets = new LongAdder();
    private final LongAdder acceptedMessages = new LongAdder();
    private final LongAdder warmupPackets = new LongAdder();
    private final LongAdder warmupMessages = new LongAdder();
    private final LongAdder warmupAcceptedMessages = new LongAdder();
    private final AtomicLong measureStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong measureEnd = new AtomicLong(Long.MIN_VALUE);
    private volatile Histogram histogram;
    private volatile double meanBodyBytes;

    void sent(boolean measured, int messages, long startNanos) {
        if (measured) {
            sentPackets.increment();
            sentMessages.add(messages);
            measureStart.accumulateAndGet(startNanos, Math::min);
        } else {
            warmupPackets.increment();
            warmupMessages.add(messages);
        }
    }

    /** A response arrived for a packet sent (or due to be sent, when rate-limited) at {@code startNanos}. */
    void response(boolean measured, int messages, int statusCode, long startNanos, long endNanos) {
        boolean ok = statusCode >= 200 && statusCode < 300;
        if (!measured) {
            if (ok) {
                warmupAcceptedMessages.add(messages);
            }
            return;
        }
        status.incrementAndGet(statusCode >= 0 && statusCode < 600 ? statusCode : 0);
        completed.increment();
        if (ok) {
            acceptedPackets.increment();
            acceptedMessages.add(messages);
        }
        latency.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, (endNanos - startNanos) / 1000)));
        measureEnd.accumulateAndGet(endNanos, Math::max);
    }

    /** The request failed without a response (connect refused, reset, timeout...). */
    void error(boolean measured, Throwable cause, long endNanos) {
        if (!measured) {
            return;
        }
        String name = cause == null ? "unknown" : cause.getClass().getSimpleName();
        errors.computeIfAbsent(name.isEmpty() ? cause.getClass().getName() : name, k -> new LongAdder()).increment();
        completed.increment();
        measureEnd.accumulateAndGet(endNanos, Math::max);
    }

    void finish(double meanBodyBytes) {
        this.meanBodyBytes = meanBodyBytes;
        this.histogram = latency.getIntervalHistogram();
    }

    // ---- results ----

    public long packetsSent() {
        return sentPackets.sum();
    }

    public long messagesSent() {
        return sentMessages.sum();
    }

    public long packetsCompleted() {
        return completed.sum();
    }

    public long packetsAccepted() {
        return acceptedPackets.sum();
    }

    public long messagesAccepted() {
        return acceptedMessages.sum();
    }

    public long warmupPacketsSent() {
        return warmupPackets.sum();
    }

    /** Messages answered 2xx over the whole run, warm-up included: what the receivers should hold. */
    public long totalMessagesAccepted() {
        return acceptedMessages.sum() + warmupAcceptedMessages.sum();
    }

    public long totalMessagesSent() {
        return sentMessages.sum() + warmupMessages.sum();
    }

    public long statusCount(int code) {
        return status.get(code);
    }

    /** Responses by status code (measured packets only). */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> counts = new TreeMap<>();
        for (int i = 0; i < status.length(); i++) {
            long c = status.get(i);
            if (c > 0) {
                counts.put(i, c);
            }
        }
        return counts;
    }

    /** Failures without a response, by exception type (measured packets only). */
    public Map<String, Long> errorCounts() {
        Map<String, Long> counts = new TreeMap<>();
        errors.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    public long errorTotal() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Seconds from the first measured send to the last measured completion. */
    public double elapsedSeconds() {
        long start = measureStart.get();
        long end = measureEnd.get();
        return start == Long.MAX_VALUE || end <= start ? 0 : (end - start) / 1e9;
    }

    public double acceptedPacketsPerSecond() {
        double s = elapsedSeconds();
        return s == 0 ? 0 : packetsAccepted() / s;
    }

    public double acceptedMessagesPerSecond() {
        double s = elapsedSeconds();
        return s == 0 ? 0 : messagesAccepted() / s;
    }

    /** Latency at {@code percentile} (0-100) in milliseconds; 0 when nothing was measured. */
    public double latencyMillis(double percentile) {
        Histogram h = histogram;
        return h == null || h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxLatencyMillis() {
        Histogram h = histogram;
        return h == null || h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
    }

    public double meanLatencyMillis() {
        Histogram h = histogram;
        return h == null || h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0;
    }

    public String toText(LoadOptions o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "target        %s, %d connections, %s%n", o.url(), o.connections(),
                o.rateLimited() ? String.format(Locale.ROOT, "%.0f packets/s intended", o.rate()) : "as fast as possible"));
        s.append(String.format(Locale.ROOT, "workload      mix %s, ~%d B/message, mean body %.0f B%n", o.mix(),
                o.messageBytes(), meanBodyBytes));
        s.append(String.format(Locale.ROOT, "warm-up       %d packets (not counted)%n", warmupPacketsSent()));
        s.append(String.format(Locale.ROOT, "measured      %d packets / %d messages sent in %.2f s%n", packetsSent(),
                messagesSent(), elapsedSeconds()));
        s.append(String.format(Locale.ROOT, "accepted      %d packets (%.1f/s), %d messages (%.1f/s)%n",
                packetsAccepted(), acceptedPacketsPerSecond(), messagesAccepted(), acceptedMessagesPerSecond()));
        s.append("status        ");
        statusCounts().forEach((k, v) -> s.append(k).append(": ").append(v).append("  "));
        s.append(String.format("%nerrors        "));
        if (errorTotal() == 0) {
            s.append("none");
        }
        errorCounts().forEach((k, v) -> s.append(k).append(": ").append(v).append("  "));
        s.append(String.format(Locale.ROOT, "%nlatency ms    p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%s%n",
                latencyMillis(50), latencyMillis(90), latencyMillis(99), latencyMillis(99.9), maxLatencyMillis(),
                o.rateLimited() ? "  (from intended send times)" : "  (closed loop: from actual send times)"));
        s.append(String.format(Locale.ROOT, "all phases    %d messages sent, %d accepted (warm-up included)%n",
                totalMessagesSent(), totalMessagesAccepted()));
        return s.toString();
    }

    public String toJson(LoadOptions o) {
        StringBuilder s = new StringBuilder(512);
        s.append("{\"url\":\"").append(jsonEscape(o.url().toString())).append('"')
                .append(",\"mode\":\"").append(o.rateLimited() ? "rate" : "max").append('"')
                .append(",\"rate\":").append(num(o.rate()))
                .append(",\"connections\":").append(o.connections())
                .append(",\"mix\":\"").append(o.mix()).append('"')
                .append(",\"mean_body_bytes\":").append(num(meanBodyBytes))
                .append(",\"warmup_packets\":").append(warmupPacketsSent())
                .append(",\"packets_sent\":").append(packetsSent())
                .append(",\"messages_sent\":").append(messagesSent())
                .append(",\"packets_completed\":").append(packetsCompleted())
                .append(",\"packets_accepted\":").append(packetsAccepted())
                .append(",\"messages_accepted\":").append(messagesAccepted())
                .append(",\"elapsed_s\":").append(num(elapsedSeconds()))
                .append(",\"packets_per_s\":").append(num(acceptedPacketsPerSecond()))
                .append(",\"messages_per_s\":").append(num(acceptedMessagesPerSecond()))
                .append(",\"status\":{");
        boolean first = true;
        for (Map.Entry<Integer, Long> e : statusCounts().entrySet()) {
            s.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
            first = false;
        }
        s.append("},\"errors\":{");
        first = true;
        for (Map.Entry<String, Long> e : errorCounts().entrySet()) {
            s.append(first ? "" : ",").append('"').append(jsonEscape(e.getKey())).append("\":").append(e.getValue());
            first = false;
        }
        s.append("},\"latency_ms\":{\"p50\":").append(num(latencyMillis(50)))
                .append(",\"p90\":").append(num(latencyMillis(90)))
                .append(",\"p99\":").append(num(latencyMillis(99)))
                .append(",\"p99_9\":").append(num(latencyMillis(99.9)))
                .append(",\"max\":").append(num(maxLatencyMillis()))
                .append(",\"mean\":").append(num(meanLatencyMillis()))
                .append("},\"total_messages_sent\":").append(totalMessagesSent())
                .append(",\"total_messages_accepted\":").append(totalMessagesAccepted())
                .append('}');
        return s.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String jsonEscape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
