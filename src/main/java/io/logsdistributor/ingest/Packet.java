package io.logsdistributor.ingest;

/**
 * A validated packet: the identifiers and message count the distributor needs, and the bytes exactly
 * as the agent sent them (forwarded unchanged, never re-serialised). {@code record} is its id in the
 * queue store once queued (0 before), which it needs to leave the store when delivered.
 */
public record Packet(String packetId, String agentId, int messageCount, byte[] body, long record) {

    public Packet(String packetId, String agentId, int messageCount, byte[] body) {
        this(packetId, agentId, messageCount, body, 0);
    }

    /** The same packet, as stored under {@code id}. */
    public Packet stored(long id) {
        return new Packet(packetId, agentId, messageCount, body, id);
    }
}
