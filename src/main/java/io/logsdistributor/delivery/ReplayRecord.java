package io.logsdistributor.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * The packet of one dead-letter record, as the bytes to post again: {@code packet_base64} when the
 * record has it (the packet's bytes could not be embedded as they were), else the {@code packet}
 * value exactly as it stands in the line, never re-serialised. Records written before
 * {@code packet_base64} existed had line breaks of their packets turned into spaces: that is the
 * closest to the original they hold, and it is what is posted.
 *
 * @param packetId  for reports only; null when the record lacks it
 * @param agentId   for reports only; null when the record lacks it
 */
record ReplayRecord(byte[] packet, String packetId, String agentId) {

    private static final JsonFactory JSON = JsonFactory.builder()
            // a record holds a packet the distributor took, base64 included: no limit of ours to apply here
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(100_000).maxNumberLength(Integer.MAX_VALUE).build())
            .build();

    /** Thrown for a line that holds no packet to post, with the reason for the operator. */
    static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** @param line one line of a dead-letter file, without its line break */
    static ReplayRecord parse(byte[] line) throws Unreadable {
        byte[] raw = null;
        String base64 = null;
        String packetId = null;
        String agentId = null;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Unreadable("not a JSON object");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "packet" -> {
                        if (value == JsonToken.START_OBJECT) {
                            int start = (int) p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            // the closing brace is one byte: the packet ends right after it
                            raw = Arrays.copyOfRange(line, start, (int) p.currentTokenLocation().getByteOffset() + 1);
                        }
                    }
                    case "packet_base64" -> base64 = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "packet_id" -> packetId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "agent_id" -> agentId = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new Unreadable("more than one JSON value on the line");
            }
        } catch (JsonProcessingException e) {
            throw new Unreadable("not valid JSON at column " + e.getLocation().getColumnNr() + " ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new Unreadable("not valid JSON (" + e.getMessage() + ")");
        }
        if (base64 != null) {
            try {
                return new ReplayRecord(Base64.getDecoder().decode(base64), packetId, agentId);
            } catch (IllegalArgumentException e) {
                throw new Unreadable("packet_base64: not base64 (" + e.getMessage() + ")");
            }
        }
        if (raw == null) {
            throw new Unreadable("no packet object in the record");
        }
        return new ReplayRecord(raw, packetId, agentId);
    }
}
