package io.logsdistributor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PacketValidatorTest {

    private static final String MESSAGE = "{\"timestamp\":\"2026-11-22T10:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}";
    private final PacketValidator validator = new PacketValidator(3, 8);

    @Test
    void acceptsAContractPacketAndKeepsItsBytes() {
        String body = """
                {"packet_id":"agent-7-000042","agent_id":"agent-7","extra":{"kept":[1,2]},"messages":[
                 {"timestamp":"2026-11-22T10:00:00Z","level":"INFO","source":"checkout","message":"order 812 paid","metadata":{"host":"node-3"}},
                 {"timestamp":1763805600000,"level":"warning","message":"slow","future_field":true}]}""";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Packet packet = validator.validate(bytes);
        assertThat(packet.packetId()).isEqualTo("agent-7-000042");
        assertThat(packet.agentId()).isEqualTo("agent-7");
        assertThat(packet.messageCount()).isEqualTo(2);
        assertThat(packet.body()).isSameAs(bytes);
    }

    @Test
    void emitterIdIsAnAliasOfAgentId() {
        Packet packet = validate("{\"packet_id\":\"p\",\"emitter_id\":\"e-1\",\"messages\":[" + MESSAGE + "]}");
        assertThat(packet.agentId()).isEqualTo("e-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T10:00:00Z", "2026-11-22t10:00:00z", "2026-11-22 10:00:00+02:00",
        "2024-02-29T23:59:60.123456789-11:30", "2026-11-22T10:00:00.5Z"})
    void acceptsRfc3339Timestamps(String timestamp) {
        assertThat(validate(packetWithMessage("{\"timestamp\":\"" + timestamp + "\",\"level\":\"INFO\",\"message\":\"m\"}"))
                .messageCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "                                                                   | body: empty",
        "[]                                                                 | body: must be a JSON object",
        "{\"packet_id\":\"p\"                                               | body: not valid JSON",
        "{\"packet_id\":\"p\",\"packet_id\":\"q\"}                           | body: duplicate field 'packet_id'",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"x\":{\"k\":1,\"k\":2},\"messages\":[MSG]} | body: duplicate field 'k'",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"x\":1,\"x\":2,\"messages\":[MSG]} | body: duplicate field 'x'",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[MSG,{\"timestamp\":1,\"level\":\"INFO\",\"message\":\"m\",\"level\":\"DEBUG\"}]} | messages[1]: duplicate field 'level'",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"INFO\",\"message\":\"m\",\"f\":1,\"f\":{}}]} | messages[0]: duplicate field 'f'",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"INFO\",\"message\":\"m\",\"metadata\":{\"a\":[{\"b\":1,\"b\":1}]}}]} | messages[0].metadata: duplicate field 'b'",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"INFO\",\"message\":\"m\",\"metadata\":{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"j\":1,\"c\":1}}]} | messages[0].metadata: duplicate field 'c'",
        "{\"agent_id\":\"a\",\"messages\":[MSG]}                              | packet_id: required",
        "{\"packet_id\":\"\",\"agent_id\":\"a\",\"messages\":[MSG]}           | packet_id: must not be empty",
        "{\"packet_id\":7,\"agent_id\":\"a\",\"messages\":[MSG]}              | packet_id: must be a string",
        "{\"packet_id\":\"p\",\"messages\":[MSG]}                             | agent_id: required",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"emitter_id\":\"b\",\"messages\":[MSG]} | emitter_id: differs from agent_id",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\"}                             | messages: required",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":{}}             | messages: must be an array",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[]}             | messages: must not be empty",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[MSG,MSG,MSG,MSG]} | messages: more than 3 entries",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[MSG,5]}        | messages[1]: must be an object",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"level\":\"INFO\",\"message\":\"m\"}]} | messages[0].timestamp: required",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":\"2026-13-01T00:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}]} | messages[0].timestamp: must be",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":\"2026-02-30T00:00:00Z\",\"level\":\"INFO\",\"message\":\"m\"}]} | messages[0].timestamp: must be",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":-1,\"level\":\"INFO\",\"message\":\"m\"}]} | messages[0].timestamp: must be",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1.5,\"level\":\"INFO\",\"message\":\"m\"}]} | messages[0].timestamp: must be",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[MSG,{\"timestamp\":1,\"level\":\"LOUD\",\"message\":\"m\"}]} | messages[1].level: must be one of",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"message\":\"m\"}]} | messages[0].level: required",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"INFO\"}]} | messages[0].message: required",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"INFO\",\"message\":3}]} | messages[0].message: must be a string",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"INFO\",\"message\":\"m\",\"source\":[]}]} | messages[0].source: must be a string",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":1,\"level\":\"INFO\",\"message\":\"m\",\"metadata\":\"x\"}]} | messages[0].metadata: must be an object",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[MSG]} trailing     | body: not valid JSON",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[MSG]} {}           | body: unexpected data after the packet object",
        "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"x\":[[[[[[[[[[1]]]]]]]]]],\"messages\":[MSG]} | body: Document nesting depth",
    })
    void namesTheFirstBadField(String body, String expected) {
        String packet = body == null ? "" : body.replace("MSG", MESSAGE);
        assertThatThrownBy(() -> validate(packet))
                .isInstanceOfSatisfying(IngestRejection.class, r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.error()).isEqualTo("invalid_packet");
                    assertThat(r.detail()).startsWith(expected);
                });
    }

    @Test
    void rejectsIdentifiersOverTheLimit() {
        String id = "x".repeat(PacketValidator.MAX_ID_LENGTH + 1);
        assertThatThrownBy(() -> validate("{\"packet_id\":\"" + id + "\",\"agent_id\":\"a\",\"messages\":[" + MESSAGE + "]}"))
                .hasMessage("packet_id: longer than 128 characters");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] body = ("{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[" + MESSAGE + "]}").getBytes(StandardCharsets.UTF_8);
        body[15] = (byte) 0xC3;
        assertThatThrownBy(() -> validator.validate(body)).isInstanceOf(IngestRejection.class)
                .hasMessageStartingWith("body: not valid JSON");
    }

    private static String packetWithMessage(String message) {
        return "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[" + message + "]}";
    }

    private Packet validate(String body) {
        return validator.validate(body.getBytes(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void aMessageLongerThanTheLimitIsRefusedByItsPath() {
        PacketValidator limited = new PacketValidator(3, 8, 5);
        String packet = "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":[{\"timestamp\":0,\"level\":\"INFO\",\"message\":\"12345\"},"
                + "{\"timestamp\":0,\"level\":\"INFO\",\"message\":\"123456\"}]}";

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> limited.validate(packet.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IngestRejection.class).hasMessage("messages[1].message: longer than 5 characters");
        org.assertj.core.api.Assertions.assertThat(limited.validate(packet.replace("123456", "\u00e9\u00e9").getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).messageCount()).isEqualTo(2);
    }

    @Test
    void theMessageLimitHoldsWhetherOrNotTheBodyIsLongerThanIt() {
        String text = "m".repeat(50);
        byte[] body = packetWithMessage("{\"timestamp\":0,\"level\":\"INFO\",\"message\":\"" + text + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        for (int limit : new int[] {49, 50, body.length - 1, body.length, body.length + 1}) {
            PacketValidator limited = new PacketValidator(3, 8, limit);
            if (limit < text.length()) {
                assertThatThrownBy(() -> limited.validate(body)).as("limit %d", limit)
                        .hasMessage("messages[0].message: longer than " + limit + " characters");
            } else {
                assertThat(limited.validate(body).messageCount()).as("limit %d", limit).isEqualTo(1);
            }
        }
    }
}
