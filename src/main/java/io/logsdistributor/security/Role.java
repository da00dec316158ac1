package io.logsdistributor.security;

import java.util.Locale;

/**
 * What a key may do (contract §7). An agent key sends its own agent's packets; an operator key reads
 * /stats and the metrics and may send packets for any agent, which is how a replay re-posts the dead
 * letters of every agent.
 */
public enum Role {
    AGENT,
    OPERATOR;

    /** The value as written in the keys file. */
    public String fileValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
