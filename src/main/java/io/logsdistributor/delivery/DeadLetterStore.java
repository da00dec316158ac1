package io.logsdistributor.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logsdistributor.ingest.Packet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * Packets that could not be delivered, one JSON line each in {@code <data-dir>/dead-letters.jsonl}:
 * when, why, which analyzer answered last, how many attempts, and the packet exactly as received, so
 * that an operator can inspect them with jq and replay them with {@code java -jar ... replay}.
 */
public final class DeadLetterStore implements AutoCloseable {

    public static final String FILE_NAME = "dead-letters.jsonl";

    private final Path file;
    private final OutputStream out;
    private final JsonFactory json = new JsonFactory();
    private final Clock clock;

    public DeadLetterStore(Path dataDir, Clock clock) {
        this.clock = clock;
        try {
            Files.createDirectories(dataDir);
            this.file = dataDir.resolve(FILE_NAME);
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new io.logsdistributor.config.ConfigException("property distributor.data-dir (env DISTRIBUTOR_DATA_DIR): "
                    + dataDir.toAbsolutePath() + " is not a writable directory (" + e.getClass().getSimpleName() + ")");
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one record and flushes it to the OS before returning, so a crash right after keeps it. */
    public void store(DeadLetter letter) {
        byte[] line = toLine(letter);
        synchronized (this) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write dead letter for packet " + letter.packet().packetId()
                        + " to " + file, e);
            }
        }
    }

    private byte[] toLine(DeadLetter letter) {
        Packet packet = letter.packet();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(packet.body().length + 256);
        try (JsonGenerator g = json.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.now(clock).toString());
            g.writeStringField("reason", letter.reason());
            g.writeStringField("detail", letter.detail());
            g.writeStringField("analyzer", letter.analyzer());
            g.writeNumberField("attempts", letter.attempts());
            g.writeStringField("packet_id", packet.packetId());
            g.writeStringField("agent_id", packet.agentId());
            g.writeNumberField("messages", packet.messageCount());
            g.writeFieldName("packet");
            // the body was validated as one JSON object; embedding it raw keeps it byte-for-byte
            g.writeRawValue(new String(packet.body(), StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' '));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
