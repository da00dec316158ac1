package io.logsdistributor.security;

import io.logsdistributor.ingest.IngestRejection;
import io.logsdistributor.ingest.Packet;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Applied to a validated packet: an authenticated agent may only send as itself (403), and no agent
 * faster than its rate (429 with the seconds until its packet would pass). An operator key may send
 * for any agent (a replay of dead letters re-posts every agent's packets); what it sends counts
 * against the rate of the packet's agent, so a replay cannot push an agent past its limit.
 */
public final class AgentPolicy implements Processor {

    private static final double NANOS_PER_SECOND = 1e9;

    private final boolean bindAgent;
    private final RateLimit defaultRate;
    private final RateLimiter limiter;

    public AgentPolicy(boolean bindAgent, RateLimit defaultRate, RateLimiter limiter) {
        this.bindAgent = bindAgent;
        this.defaultRate = defaultRate;
        this.limiter = limiter;
    }

    @Override
    public void process(Exchange exchange) {
        Packet packet = exchange.getMessage().getBody(Packet.class);
        ApiKey key = exchange.getProperty(IngestAuthentication.API_KEY, ApiKey.class);
        if (key != null && bindAgent && !key.operator() && !key.agent().equals(packet.agentId())) {
            throw new IngestRejection(403, "forbidden", "agent_id: not the agent this API key belongs to", 0);
        }
        RateLimit limit = key != null && key.rate() != null ? key.rate() : defaultRate;
        if (limit.unlimited()) {
            return;
        }
        // an agent key's own agent: it must not gain a fresh allowance by claiming other ids
        String agent = key != null && !key.operator() ? key.agent() : packet.agentId();
        long waitNanos = limiter.acquire(agent, limit, packet.messageCount());
        if (waitNanos > 0) {
            int seconds = (int) Math.max(1, Math.min(3600, Math.ceil(waitNanos / NANOS_PER_SECOND)));
            throw new IngestRejection(429, "rate_limited", "agent over its rate limit of " + describe(limit), seconds);
        }
    }

    private static String describe(RateLimit limit) {
        StringBuilder text = new StringBuilder();
        if (limit.packetsPerSecond() > 0) {
            text.append(number(limit.packetsPerSecond())).append(" packets/s");
        }
        if (limit.messagesPerSecond() > 0) {
            text.append(text.isEmpty() ? "" : " and ").append(number(limit.messagesPerSecond())).append(" messages/s");
        }
        return text.toString();
    }

    private static String number(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }
}
