package io.logsdistributor.ingest;

import io.logsdistributor.http.Reply;
import io.logsdistributor.logging.SafeLog;
import io.logsdistributor.metrics.DistributorMetrics;
import io.logsdistributor.queue.StorageUnavailableException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped an ingest request into its answer (contract §3): the status, a JSON body
 * naming the problem, Retry-After where the client should come back, and a count by reason.
 */
public final class RejectionReply implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RejectionReply.class);

    private final DistributorMetrics metrics;
    private final int retryAfterSeconds;

    public RejectionReply(DistributorMetrics metrics, int retryAfterSeconds) {
        this.metrics = metrics;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void process(Exchange exchange) {
        IngestRejection rejection = toRejection(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        metrics.rejected(rejection.error());
        StringBuilder body = new StringBuilder(96).append("{\"error\":").append(JsonText.quote(rejection.error()));
        if (rejection.detail() != null) {
            body.append(",\"detail\":").append(JsonText.quote(rejection.detail()));
        }
        if (rejection.retryAfterSeconds() > 0) {
            body.append(",\"retry_after_s\":").append(rejection.retryAfterSeconds());
        }
        Message message = Reply.with(exchange, rejection.status(), Reply.JSON, body.append('}').toString());
        if (rejection.status() == 401) {
            message.setHeader("WWW-Authenticate", "Bearer");
        }
        if (rejection.retryAfterSeconds() > 0) {
            message.setHeader("Retry-After", rejection.retryAfterSeconds());
        }
    }

    private IngestRejection toRejection(Throwable cause) {
        if (cause instanceof IngestRejection rejection) {
            return rejection;
        }
        if (cause instanceof IllegalStateException && "Queue full".equals(cause.getMessage())) {
            return new IngestRejection(503, "queue_full", "the delivery queue is full", retryAfterSeconds);
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageUnavailableException) {
                // never a 202 without a record: the agent keeps the packet and retries
                return new IngestRejection(503, "storage_unavailable", "the queue store cannot record packets now", retryAfterSeconds);
            }
        }
        // the failure's text may quote the request: escaped, and the stack trace only at debug level
        LOG.error("Unexpected failure while accepting a packet: {}", SafeLog.escape(String.valueOf(cause)));
        LOG.debug("Unexpected failure while accepting a packet", cause);
        return new IngestRejection(500, "internal_error", null, 0);
    }
}
