package io.logsdistributor.security;

import java.util.Objects;

/**
 * One entry of the keys file: the agent a key belongs to (null for an operator key), the SHA-256 of
 * the key (the key itself is never held), the rate limit, or null for the default, and the key's role.
 */
public record ApiKey(String agent, byte[] sha256, RateLimit rate, Role role) {

    /** An agent key. */
    public ApiKey(String agent, byte[] sha256, RateLimit rate) {
        this(agent, sha256, rate, Role.AGENT);
    }

    public ApiKey {
        Objects.requireNonNull(role, "role");
        if ((role == Role.AGENT) == (agent == null)) {
            throw new IllegalArgumentException("an agent key names its agent, an operator key names none");
        }
    }

    public static ApiKey operator(byte[] sha256, RateLimit rate) {
        return new ApiKey(null, sha256, rate, Role.OPERATOR);
    }

    public boolean operator() {
        return role == Role.OPERATOR;
    }

    @Override
    public String toString() {
        // the digest stays out of logs as well: it is what an attacker would need to test guesses offline
        return operator() ? "ApiKey[role=operator]" : "ApiKey[agent=" + agent + "]";
    }
}
