package io.logsdistributor.queue;

import io.logsdistributor.ingest.Packet;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.core.journal.EncodingSupport;

/**
 * A queued packet as a journal record: a marker, a CRC-32C of the rest, the message count, the packet
 * and agent ids, and the body exactly as received. The journal itself only checks a record's length;
 * the CRC catches damage inside it, and the marker lets {@link JournalDamage} find records the journal
 * skipped as torn.
 */
final class PacketRecord implements EncodingSupport {

    /** "LDQ1": a JSON body holds no raw control bytes, so the marker cannot occur inside one by chance. */
    static final int MARKER = 0x4C445131;
    static final byte TYPE = 1;

    private final Packet packet;
    private final byte[] packetId;
    private final byte[] agentId;
    private final int crc;

    PacketRecord(Packet packet) {
        this.packet = packet;
        this.packetId = packet.packetId().getBytes(StandardCharsets.UTF_8);
        this.agentId = packet.agentId().getBytes(StandardCharsets.UTF_8);
        this.crc = crc(packet.messageCount(), packetId, agentId, ByteBuffer.wrap(packet.body()));
    }

    @Override
    public int getEncodeSize() {
        return 4 + 4 + 4 + 2 + packetId.length + 2 + agentId.length + 4 + packet.body().length;
    }

    @Override
    public void encode(ActiveMQBuffer buffer) {
        buffer.writeInt(MARKER);
        buffer.writeInt(crc);
        buffer.writeInt(packet.messageCount());
        buffer.writeShort((short) packetId.length);
        buffer.writeBytes(packetId);
        buffer.writeShort((short) agentId.length);
        buffer.writeBytes(agentId);
        buffer.writeInt(packet.body().length);
        buffer.writeBytes(packet.body());
    }

    @Override
    public void decode(ActiveMQBuffer buffer) {
        throw new UnsupportedOperationException("records are read with PacketRecord.decode(id, bytes)");
    }

    /**
     * The packet in a record the journal loaded, or null when the record is damaged (wrong marker,
     * lengths or CRC): a damaged record must be skipped, never delivered.
     */
    static Packet decode(long id, byte[] data) {
        try {
            ByteBuffer in = ByteBuffer.wrap(data);
            if (in.getInt() != MARKER) {
                return null;
            }
            int crc = in.getInt();
            int messages = in.getInt();
            byte[] packetId = new byte[in.getShort() & 0xffff];
            in.get(packetId);
            byte[] agentId = new byte[in.getShort() & 0xffff];
            in.get(agentId);
            int length = in.getInt();
            if (length != in.remaining()) {
                return null;
            }
            if (crc(messages, packetId, agentId, in.slice()) != crc) {
                return null;
            }
            byte[] body = new byte[length];
            in.get(body);
            return new Packet(new String(packetId, StandardCharsets.UTF_8), new String(agentId, StandardCharsets.UTF_8),
                    messages, body, id);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            return null;
        }
    }

    private static int crc(int messages, byte[] packetId, byte[] agentId, ByteBuffer body) {
        CRC32C crc = new CRC32C();
        crc.update(messages >>> 24);
        crc.update(messages >>> 16);
        crc.update(messages >>> 8);
        crc.update(messages);
        crc.update(packetId.length >>> 8);
        crc.update(packetId.length);
        crc.update(packetId);
        crc.update(agentId.length >>> 8);
        crc.update(agentId.length);
        crc.update(agentId);
        crc.update(body);
        return (int) crc.getValue();
    }
}
