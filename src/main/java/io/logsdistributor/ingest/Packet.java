package io.logsdistributor.ingest;

/**
 * A validated packet: the identifiers and message count the distributor needs, and the bytes exactly
 * as the agent sent them (forwarded unchanged, never re-serialised).
 */
public record Packet(String packetId, String agentId, int messageCount, byte[] body) {
}
