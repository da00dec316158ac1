package io.logsdistributor.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logsdistributor.http.Reply;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * Serves Camel's health checks as /observe/health, /observe/health/live and /observe/health/ready for
 * Kubernetes probes: 200 when every check is UP, 503 otherwise. We answer them on our own server
 * instead of camel-main's management server, which cannot share a port with it.
 */
public final class CamelHealthChecks {

    private final ObjectMapper json = new ObjectMapper();

    public Processor all() {
        return report(HealthCheckHelper::invoke);
    }

    public Processor liveness() {
        return report(HealthCheckHelper::invokeLiveness);
    }

    public Processor readiness() {
        return report(HealthCheckHelper::invokeReadiness);
    }

    private Processor report(Function<CamelContext, Collection<HealthCheck.Result>> checks) {
        return exchange -> {
            Collection<HealthCheck.Result> results = checks.apply(exchange.getContext());
            boolean up = results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
            List<Map<String, Object>> details = new ArrayList<>();
            for (HealthCheck.Result result : results) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("name", result.getCheck().getId());
                check.put("status", result.getState().name());
                result.getMessage().ifPresent(m -> check.put("message", m));
                details.add(check);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            body.put("checks", details);
            Reply.with(exchange, up ? 200 : 503, Reply.JSON, json.writeValueAsString(body));
        };
    }
}
