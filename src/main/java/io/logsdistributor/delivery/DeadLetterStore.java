package io.logsdistributor.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logsdistributor.config.ConfigException;
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
 * when, why, which analyzer answered last, how many attempts, and the packet as received, so that an
 * operator can inspect them with jq and replay them with {@code java -jar ... replay}.
 *
 * <p>The file is opened for each record rather than held open: dead letters are rare, and an operator
 * can then move the file aside to replay it while new dead letters start a fresh one.
 */
public final class DeadLetterStore {

    public static final String FILE_NAME = "dead-letters.jsonl";

    private final Path file;
    private final JsonFactory json = new JsonFactory();
    private final Clock clock;

    public DeadLetterStore(Path dataDir, Clock clock) {
        this.clock = clock;
        try {
            Files.createDirectories(dataDir);
            this.file = dataDir.resolve(FILE_NAME);
            // fail at start-up, not at the first dead letter, when the directory cannot be written
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        } catch (IOException e) {
            throw new ConfigException("property distributor.data-dir (env DISTRIBUTOR_DATA_DIR): "
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
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(line);
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
            // the body was validated as one JSON object, so it embeds raw; its line breaks can only be
            // whitespace between tokens (inside strings JSON escapes them), so spaces keep one record a line
            g.writeRawValue(new String(packet.body(), StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' '));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }
}
