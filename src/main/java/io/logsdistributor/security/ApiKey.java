package io.logsdistributor.security;

/**
 * One entry of the keys file: the agent a key belongs to, the SHA-256 of the key (the key itself is
 * never held), and the agent's rate limit, or null for the default.
 */
public record ApiKey(String agent, byte[] sha256, RateLimit rate) {

    @Override
    public String toString() {
        // the digest stays out of logs as well: it is what an attacker would need to test guesses offline
        return "ApiKey[agent=" + agent + "]";
    }
}
