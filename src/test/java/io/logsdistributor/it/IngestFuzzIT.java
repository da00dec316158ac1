package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Throws thousands of malformed and hostile requests at one running distributor over raw sockets,
 * so that anything a client can put on the wire can be tried: odd methods and paths, wrong content
 * types, injected header lines, broken, deep, huge or mistyped JSON. No answer may be a 5xx other
 * than a 503 with Retry-After, and the distributor must still accept a valid packet afterwards.
 */
class IngestFuzzIT {

    private static final int MAX_BODY = 262_144;
    private static final String VALID = RunningDistributor.packet("fuzz-valid", 2);

    private static Path dir;
    private static Fleet fleet;
    private static RunningDistributor distributor;
    private static final AtomicInteger tries = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("ingest-fuzz");
        fleet = new Fleet(1);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), Map.of(
                "distributor.max-body-bytes", String.valueOf(MAX_BODY), "distributor.max-message-chars", "100000",
                "distributor.http.header-timeout-s", "1", "distributor.http.request-timeout-s", "1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> distributor.post(VALID).statusCode() == 202);
    }

    @AfterContainer
    static void stop() throws Exception {
        distributor.close();
        fleet.close();
    }

    @Property(tries = 3000, shrinking = ShrinkingMode.BOUNDED)
    void noHostileRequestGetsAServerError(@ForAll("requests") HostileRequest request) throws IOException {
        Answer answer = send(request.bytes());

        if (answer.status() >= 500) {
            assertThat(answer.status()).as("answer to %s", request).isEqualTo(503);
            assertThat(answer.head()).as("answer to %s", request).containsIgnoringCase("\r\nRetry-After:");
        }
        if (tries.incrementAndGet() % 250 == 0) {
            assertValidPacketAccepted();
        }
    }

    @AfterProperty
    void distributorStillWorks() throws IOException {
        assertThat(distributor.context().isStarted()).isTrue();
        assertValidPacketAccepted();
    }

    private static void assertValidPacketAccepted() throws IOException {
        byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
        Answer answer = send(request("POST", "/ingest", "Content-Type: application/json\r\n", body));
        assertThat(answer.status()).as(answer.head()).isEqualTo(202);
    }

    record HostileRequest(String method, String path, String headers, byte[] body) {
        byte[] bytes() {
            return request(method, path, headers, body);
        }

        @Override
        public String toString() {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.ISO_8859_1);
            return method + " " + path + " headers=" + headers.replace("\r\n", "\\r\\n") + " body(" + body.length + ")=" + text;
        }
    }

    record Answer(int status, String head) {
    }

    @Provide
    Arbitrary<HostileRequest> requests() {
        Arbitrary<String> methods = Arbitraries.frequency(Tuple2s.of(20, "POST"), Tuple2s.of(1, "GET"), Tuple2s.of(1, "PUT"),
                Tuple2s.of(1, "DELETE"), Tuple2s.of(1, "PATCH"), Tuple2s.of(1, "OPTIONS"), Tuple2s.of(1, "HEAD"),
                Tuple2s.of(1, "TRACE"), Tuple2s.of(1, "CONNECT"), Tuple2s.of(1, "BREW"), Tuple2s.of(1, "P\u00d6ST"));
        Arbitrary<String> paths = Arbitraries.frequency(Tuple2s.of(20, "/ingest"), Tuple2s.of(1, "/ingest?a=1&a=2"),
                Tuple2s.of(1, "/ingest/../stats"), Tuple2s.of(1, "/%00"), Tuple2s.of(1, "/ingest%0d%0aX:1"),
                Tuple2s.of(1, "*"), Tuple2s.of(1, "/" + "a".repeat(5000)), Tuple2s.of(1, "http://evil/ingest"));
        Arbitrary<String> contentTypes = Arbitraries.frequency(Tuple2s.of(12, "Content-Type: application/json\r\n"),
                Tuple2s.of(2, "Content-Type: application/json; charset=utf-8\r\n"), Tuple2s.of(1, ""),
                Tuple2s.of(1, "Content-Type: text/plain\r\n"), Tuple2s.of(1, "Content-Type: application/x-www-form-urlencoded\r\n"),
                Tuple2s.of(1, "Content-Type: multipart/form-data; boundary=zz\r\n"), Tuple2s.of(1, "Content-Type: \r\n"),
                Tuple2s.of(1, "Content-Type: application/json\r\nContent-Type: text/plain\r\n"),
                Tuple2s.of(1, "Content-Type: application/json\nX-Injected: 1\r\n"),
                Tuple2s.of(1, "Content-Type: application/json\rX-Injected: 1\r\n"),
                Tuple2s.of(1, "Content-Type: APPLICATION/JSON;;;\r\n"));
        // chunked next to Content-Length (a smuggling attempt) leaves the server waiting for chunks until
        // the request timeout closes the connection: rare, so that the tries stay fast
        Arbitrary<String> extraHeaders = Arbitraries.frequencyOf(Tuple2s.of(120, Arbitraries.just("")),
                Tuple2s.of(40, headerLine()), Tuple2s.of(5, Arbitraries.just("Authorization: Bearer \u0000\u00ff\r\n")),
                Tuple2s.of(5, Arbitraries.just("Expect: 100-continue\r\n")),
                Tuple2s.of(5, Arbitraries.just("X-API-Key: a\r\nX-API-Key: b\r\n")),
                Tuple2s.of(5, Arbitraries.just("Content-Length: 5\r\n")),
                Tuple2s.of(1, Arbitraries.just("Transfer-Encoding: chunked\r\n")));
        return Combinators.combine(methods, paths, contentTypes, extraHeaders, bodies())
                .as((method, path, type, extra, body) -> new HostileRequest(method, path, type + extra, body));
    }

    private static Arbitrary<String> headerLine() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(60);
        return Combinators.combine(text, text).as((name, value) -> name + ": " + value + "\r\n");
    }

    private static Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                Tuple2s.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(400)),
                Tuple2s.of(3, Arbitraries.strings().all().ofMaxLength(400).map(IngestFuzzIT::utf8)),
                Tuple2s.of(6, mutatedPackets().map(IngestFuzzIT::utf8)),
                Tuple2s.of(4, wrongTypes().map(IngestFuzzIT::utf8)),
                Tuple2s.of(2, Arbitraries.integers().between(1, 20_000).map(IngestFuzzIT::nested).map(IngestFuzzIT::utf8)),
                Tuple2s.of(1, Arbitraries.integers().between(1_000, MAX_BODY + 10_000).map(IngestFuzzIT::hugeMessage).map(IngestFuzzIT::utf8)),
                Tuple2s.of(2, Arbitraries.just(utf8(VALID))));
    }

    /** A valid packet with one character deleted, replaced or inserted, or cut short. */
    private static Arbitrary<String> mutatedPackets() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, VALID.length() - 1);
        Arbitrary<Character> any = Arbitraries.chars().all();
        return Arbitraries.oneOf(
                position.map(i -> VALID.substring(0, i) + VALID.substring(i + 1)),
                Combinators.combine(position, any).as((i, c) -> VALID.substring(0, i) + c + VALID.substring(i + 1)),
                Combinators.combine(position, any).as((i, c) -> VALID.substring(0, i) + c + VALID.substring(i)),
                position.map(i -> VALID.substring(0, i)));
    }

    /** Well-formed JSON with fields of the wrong type, out of range, duplicated or full of odd characters. */
    private static Arbitrary<String> wrongTypes() {
        Arbitrary<String> values = Arbitraries.of("1", "-1", "1e999", "-1e999", "99999999999999999999999999", "0.5", "true",
                "null", "[]", "{}", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\u202e\u0007\"", "\"x\"", "[1,2]",
                "\"" + "y".repeat(200) + "\"", "\"2026-13-45T99:99:99Z\"", "\"info\"", "9223372036854775808");
        Arbitrary<String> fields = Arbitraries.of("packet_id", "agent_id", "emitter_id", "messages", "timestamp", "level",
                "message", "source", "metadata", "\u0000", "");
        return Combinators.combine(fields, values, fields, values).as((f1, v1, f2, v2) ->
                "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"" + f1 + "\":" + v1 + ",\"messages\":[{\"timestamp\":0,"
                        + "\"level\":\"INFO\",\"message\":\"m\",\"" + f2 + "\":" + v2 + "}]}");
    }

    private static String nested(int depth) {
        return "{\"packet_id\":\"p\",\"agent_id\":\"a\",\"messages\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    private static String hugeMessage(int length) {
        return VALID.replace("message 1", "\u00e9".repeat(length / 2));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] request(String method, String path, String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 256);
        out.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Sends one request on its own connection; a connection closed without an answer is status 0. */
    private static Answer send(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", distributor.port)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request);
            } catch (IOException e) {
                // the server may answer (413, 431) and close before reading everything
            }
            String text;
            try {
                text = head(socket.getInputStream());
            } catch (IOException e) {
                return new Answer(0, e.toString());
            }
            if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                return new Answer(0, text);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    /** The status line and headers: no need to wait for the body or for the server to close. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        for (int b = in.read(); b != -1 && head.length() < 16_384; b = in.read()) {
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                break;
            }
        }
        return head.toString();
    }

    /** jqwik's frequency helpers take Tuple2 pairs of weight and value. */
    private static final class Tuple2s {
        static <T> net.jqwik.api.Tuple.Tuple2<Integer, T> of(int weight, T value) {
            return net.jqwik.api.Tuple.of(weight, value);
        }
    }
}
