package io.logsdistributor.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.ingest.IngestRejection;
import io.logsdistributor.ingest.Packet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class AgentPolicyTest {

    private static final ApiKey AGENT_7 = new ApiKey("agent-7", new byte[32], null);
    private static final ApiKey OPERATOR = ApiKey.operator(new byte[32], new RateLimit(1, 0));

    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(100, now::get);
    private final AgentPolicy policy = new AgentPolicy(true, new RateLimit(1, 0), limiter);

    @Test
    void anAgentKeySendsForItsAgentOnly() {
        policy.process(exchange(AGENT_7, "agent-7"));

        assertThatThrownBy(() -> policy.process(exchange(AGENT_7, "agent-8")))
                .isInstanceOfSatisfying(IngestRejection.class, r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void anOperatorKeySendsForAnyAgentWithTheRateCountedPerPacketAgent() {
        policy.process(exchange(OPERATOR, "agent-7"));
        policy.process(exchange(OPERATOR, "agent-8"));

        assertThat(limiter.trackedAgents()).as("one bucket per packet agent, none for the operator").isEqualTo(2);
        assertThatThrownBy(() -> policy.process(exchange(OPERATOR, "agent-7")))
                .as("agent-7's one packet per second is used up")
                .isInstanceOfSatisfying(IngestRejection.class, r -> assertThat(r.status()).isEqualTo(429));
    }

    @Test
    void anAgentKeysRateIsItsAgentsWhateverThePacketClaims() {
        AgentPolicy unbound = new AgentPolicy(false, new RateLimit(1, 0), limiter);
        unbound.process(exchange(AGENT_7, "agent-x"));

        assertThatThrownBy(() -> unbound.process(exchange(AGENT_7, "agent-y")))
                .isInstanceOfSatisfying(IngestRejection.class, r -> assertThat(r.status()).isEqualTo(429));
    }

    private static Exchange exchange(ApiKey key, String agent) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(IngestAuthentication.API_KEY, key);
        exchange.getMessage().setBody(new Packet("p-1", agent, 1, new byte[0]));
        return exchange;
    }
}
