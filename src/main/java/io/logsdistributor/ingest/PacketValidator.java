package io.logsdistributor.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Validates a packet (contract §3) in one streaming pass over the bytes, without building an object
 * tree: the packet is forwarded as received, so all we need from it is the verdict, the identifiers
 * and the message count. The first bad field is reported by its path, e.g. {@code messages[3].level}.
 */
public final class PacketValidator {

    static final int MAX_ID_LENGTH = 128;
    private static final int TIMESTAMP = 1;
    private static final int LEVEL = 2;
    private static final int MESSAGE = 4;
    private static final int SOURCE = 8;
    private static final int METADATA = 16;
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
        // duplicate fields are refused by our own pass (FieldNames), which costs far less than Jackson's
        this.factory = JsonFactory.builder()
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
        FieldNames fields = new FieldNames();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            if (!fields.add(field)) {
                throw duplicate("body", field);
            }
            JsonToken value = p.nextToken();
            switch (field) {
                case "packet_id" -> packetId = identifier(p, value, "packet_id");
                case "agent_id" -> agentId = identifier(p, value, "agent_id");
                case "emitter_id" -> emitterId = identifier(p, value, "emitter_id");
                case "messages" -> messages = readMessages(p, value, body.length > maxMessageChars);
                default -> skipValue(p, value, -1, null);
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

    /**
     * @param checkLengths false when the whole body is shorter than the longest message allowed: a JSON
     *     string has no more characters than bytes, so no message can be too long, and its text need
     *     not be decoded only to be measured
     */
    private int readMessages(JsonParser p, JsonToken value, boolean checkLengths) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw IngestRejection.invalid("messages: must be an array");
        }
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (count == maxMessages) {
                throw IngestRejection.invalid("messages: more than " + maxMessages + " entries");
            }
            readMessage(p, t, count++, checkLengths);
        }
        if (count == 0) {
            throw IngestRejection.invalid("messages: must not be empty");
        }
        return count;
    }

    private void readMessage(JsonParser p, JsonToken start, int index, boolean checkLengths) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            throw IngestRejection.invalid(path(index, null) + ": must be an object");
        }
        // the known fields are told apart by a bit each; only other fields need a FieldNames
        int seen = 0;
        FieldNames others = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            int bit = switch (field) {
                case "timestamp" -> checkTimestamp(p, value, index);
                case "level" -> checkLevel(p, value, index);
                case "message" -> checkMessage(p, value, index, checkLengths);
                case "source" -> {
                    optionalType(value, JsonToken.VALUE_STRING, index, "source", "a string");
                    yield SOURCE;
                }
                case "metadata" -> {
                    optionalType(value, JsonToken.START_OBJECT, index, "metadata", "an object");
                    skipValue(p, value, index, "metadata");
                    yield METADATA;
                }
                default -> {
                    skipValue(p, value, index, null);
                    if (others == null) {
                        others = new FieldNames();
                    }
                    if (!others.add(field)) {
                        throw duplicate(path(index, null), field);
                    }
                    yield 0;
                }
            };
            if ((seen & bit) != 0) {
                throw duplicate(path(index, null), field);
            }
            seen |= bit;
        }
        if ((seen & TIMESTAMP) == 0) {
            throw IngestRejection.invalid(path(index, "timestamp") + ": required");
        }
        if ((seen & LEVEL) == 0) {
            throw IngestRejection.invalid(path(index, "level") + ": required");
        }
        if ((seen & MESSAGE) == 0) {
            throw IngestRejection.invalid(path(index, "message") + ": required");
        }
    }

    /**
     * Steps over a value we do not read, refusing duplicate fields in any object within it. Iterative:
     * the nesting depth is bounded by the parser's constraints, not by this thread's stack.
     */
    private static void skipValue(JsonParser p, JsonToken value, int index, String field) throws IOException {
        if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
            return;
        }
        // the names of the innermost open object; those of the objects around it wait in outer
        FieldNames names = new FieldNames();
        ArrayDeque<FieldNames> outer = null;
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw IngestRejection.invalid("body: not valid JSON: unexpected end of input");
            }
            switch (t) {
                case FIELD_NAME -> {
                    if (!names.add(p.currentName())) {
                        throw duplicate(index < 0 ? "body" : path(index, field), p.currentName());
                    }
                }
                case START_OBJECT -> {
                    if (outer == null) {
                        outer = new ArrayDeque<>();
                    }
                    outer.push(names);
                    names = new FieldNames();
                    depth++;
                }
                case END_OBJECT -> {
                    names = outer == null ? null : outer.poll();
                    depth--;
                }
                case START_ARRAY -> depth++;
                case END_ARRAY -> depth--;
                default -> {
                }
            }
        }
    }

    private static IngestRejection duplicate(String where, String field) {
        return IngestRejection.invalid(where + ": duplicate field '" + field + "'");
    }

    private static int checkTimestamp(JsonParser p, JsonToken value, int index) throws IOException {
        boolean valid = switch (value) {
            case VALUE_STRING -> Rfc3339.isValid(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT -> p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 0;
            default -> false;
        };
        if (!valid) {
            throw IngestRejection.invalid(path(index, "timestamp")
                    + ": must be an RFC 3339 date-time string or epoch milliseconds (a non-negative integer)");
        }
        return TIMESTAMP;
    }

    private int checkMessage(JsonParser p, JsonToken value, int index, boolean checkLength) throws IOException {
        requireType(value, JsonToken.VALUE_STRING, index, "message", "a string");
        if (checkLength && p.getTextLength() > maxMessageChars) {
            throw IngestRejection.invalid(path(index, "message") + ": longer than " + maxMessageChars + " characters");
        }
        return MESSAGE;
    }

    private static int checkLevel(JsonParser p, JsonToken value, int index) throws IOException {
        if (value != JsonToken.VALUE_STRING
                || !Levels.isKnown(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
            throw IngestRejection.invalid(path(index, "level") + ": must be one of " + LEVELS);
        }
        return LEVEL;
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
