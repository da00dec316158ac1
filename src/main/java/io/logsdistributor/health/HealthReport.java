package io.logsdistributor.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.http.Reply;
import io.logsdistributor.queue.PacketQueue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Answers GET /health (contract §6): UP when every analyzer can take traffic, DEGRADED when some can,
 * DOWN with 503 when none can, plus the queue's depth so probes and operators see back-pressure.
 */
public final class HealthReport implements Processor {

    private final AnalyzerRegistry analyzers;
    private final PacketQueue queue;
    private final ObjectMapper json = new ObjectMapper();

    public HealthReport(AnalyzerRegistry analyzers, PacketQueue queue) {
        this.analyzers = analyzers;
        this.queue = queue;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        int healthy = analyzers.eligibleCount();
        int total = analyzers.size();
        String status = healthy == 0 ? "DOWN" : healthy < total ? "DEGRADED" : "UP";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("healthy_analyzers", healthy);
        body.put("total_analyzers", total);
        body.put("queue", Map.of("depth", queue.size(), "capacity", queue.capacity()));
        Reply.with(exchange, healthy == 0 ? 503 : 200, Reply.JSON, json.writeValueAsString(body));
    }
}
