package io.logsdistributor.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;

/**
 * Validates a packet (contract §3) in one streaming pass over the bytes, without building an object
 * tree: the packet is forwarded as received, so all we need from it is the verdict, the identifiers
 * and the message count. The first bad field is reported by its path, e.g. {@code messages[3].level}.
 */
public final class PacketValidator {

    static final int MAX_ID_LENGTH = 128;
    private static final String LEVELS = "TRACE, DEBUG, INFO, WARN, WARNING, ERROR, CRITICAL, FATAL";

    private final JsonFactory factory;
    private final int maxMessages;
    private final int maxMessageChars;

    public PacketValidator(int maxMessages, int maxNestingDepth) {
        this(maxMessages, maxNestingDepth, Integer.MAX_VALUE);
    }

    public PacketValidator(int maxMessages, int maxNestingDepth, int maxMessageChars) {
        this.maxMessages = maxMessages;
        this.maxMessageChars = maxMessageChars;
        this.factory = JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .build();
    }

    public Packet validate(byte[] body) {
        if (body == null || body.length == 0) {
            throw IngestRejection.invalid("body: empty, expected a JSON packet");
        }
        try (JsonParser p = factory.createParser(body)) {
            return readPacket(p, body);
        } catch (StreamConstraintsException e) {
            throw IngestRejection.invalid("body: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                throw IngestRejection.invalid("body: " + message.toLowerCase().charAt(0) + message.substring(1));
            }
            throw IngestRejection.invalid("body: not valid JSON at line " + e.getLocation().getLineNr()
                    + " column " + e.getLocation().getColumnNr() + ": " + firstLine(message));
        } catch (IOException e) {
            throw IngestRejection.invalid("body: not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private Packet readPacket(JsonParser p, byte[] body) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw IngestRejection.invalid("body: must be a JSON object");
        }
        String packetId = null;
        String agentId = null;
        String emitterId = null;
        int messages = -1;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "packet_id" -> packetId = identifier(p, value, "packet_id");
                case "agent_id" -> agentId = identifier(p, value, "agent_id");
                case "emitter_id" -> emitterId = identifier(p, value, "emitter_id");
                case "messages" -> messages = readMessages(p, value);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw IngestRejection.invalid("body: unexpected data after the packet object");
        }
        if (packetId == null) {
            throw IngestRejection.invalid("packet_id: required");
        }
        if (agentId == null && emitterId == null) {
            throw IngestRejection.invalid("agent_id: required");
        }
        if (agentId != null && emitterId != null && !agentId.equals(emitterId)) {
            throw IngestRejection.invalid("emitter_id: differs from agent_id (emitter_id is an alias, send one)");
        }
        if (messages < 0) {
            throw IngestRejection.invalid("messages: required");
        }
        return new Packet(packetId, agentId != null ? agentId : emitterId, messages, body);
    }

    private static String identifier(JsonParser p, JsonToken value, String field) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw IngestRejection.invalid(field + ": must be a string");
        }
        String id = p.getText();
        if (id.isEmpty()) {
            throw IngestRejection.invalid(field + ": must not be empty");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw IngestRejection.invalid(field + ": longer than " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    private int readMessages(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw IngestRejection.invalid("messages: must be an array");
        }
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (count == maxMessages) {
                throw IngestRejection.invalid("messages: more than " + maxMessages + " entries");
            }
            readMessage(p, t, count++);
        }
        if (count == 0) {
            throw IngestRejection.invalid("messages: must not be empty");
        }
        return count;
    }

    private void readMessage(JsonParser p, JsonToken start, int index) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            throw IngestRejection.invalid(path(index, null) + ": must be an object");
        }
        boolean timestamp = false;
        boolean level = false;
        boolean message = false;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "timestamp" -> timestamp = checkTimestamp(p, value, index);
                case "level" -> level = checkLevel(p, value, index);
                case "message" -> message = checkMessage(p, value, index);
                case "source" -> optionalType(value, JsonToken.VALUE_STRING, index, "source", "a string");
                case "metadata" -> {
                    optionalType(value, JsonToken.START_OBJECT, index, "metadata", "an object");
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        if (!timestamp) {
            throw IngestRejection.invalid(path(index, "timestamp") + ": required");
        }
        if (!level) {
            throw IngestRejection.invalid(path(index, "level") + ": required");
        }
        if (!message) {
            throw IngestRejection.invalid(path(index, "message") + ": required");
        }
    }

    private static boolean checkTimestamp(JsonParser p, JsonToken value, int index) throws IOException {
        boolean valid = switch (value) {
            case VALUE_STRING -> Rfc3339.isValid(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT -> p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 0;
            default -> false;
        };
        if (!valid) {
            throw IngestRejection.invalid(path(index, "timestamp")
                    + ": must be an RFC 3339 date-time string or epoch milliseconds (a non-negative integer)");
        }
        return true;
    }

    private boolean checkMessage(JsonParser p, JsonToken value, int index) throws IOException {
        requireType(value, JsonToken.VALUE_STRING, index, "message", "a string");
        if (p.getTextLength() > maxMessageChars) {
            throw IngestRejection.invalid(path(index, "message") + ": longer than " + maxMessageChars + " characters");
        }
        return true;
    }

    private static boolean checkLevel(JsonParser p, JsonToken value, int index) throws IOException {
        if (value != JsonToken.VALUE_STRING
                || !Levels.isKnown(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
            throw IngestRejection.invalid(path(index, "level") + ": must be one of " + LEVELS);
        }
        return true;
    }

    private static boolean requireType(JsonToken value, JsonToken expected, int index, String field, String what) {
        if (value != expected) {
            throw IngestRejection.invalid(path(index, field) + ": must be " + what);
        }
        return true;
    }

    private static void optionalType(JsonToken value, JsonToken expected, int index, String field, String what) {
        if (value != expected && value != JsonToken.VALUE_NULL) {
            throw IngestRejection.invalid(path(index, field) + ": must be " + what);
        }
    }

    private static String path(int index, String field) {
        return field == null ? "messages[" + index + "]" : "messages[" + index + "]." + field;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
