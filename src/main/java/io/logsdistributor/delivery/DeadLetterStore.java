package io.logsdistributor.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.logsdistributor.config.ConfigException;
import io.logsdistributor.ingest.Packet;
import io.logsdistributor.queue.FsyncPolicy;
import io.logsdistributor.queue.IntervalFsync;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Packets that could not be delivered, one JSON line each in {@code <data-dir>/dead-letters.jsonl}:
 * when, why, which analyzer answered last, how many attempts, and the packet as received, so that an
 * operator can inspect them with jq and replay them, byte for byte, with {@code java -jar ... replay}.
 *
 * <p>The file is opened for each record rather than held open: dead letters are rare, and an operator
 * can then move the file aside to replay it while new dead letters start a fresh one.
 */
public final class DeadLetterStore {

    public static final String FILE_NAME = "dead-letters.jsonl";

    private final Path file;
    private final JsonFactory json = new JsonFactory();
    private final Clock clock;
    private final FsyncPolicy fsync;
    private volatile boolean written;

    public DeadLetterStore(Path dataDir, Clock clock) {
        this(dataDir, clock, new IntervalFsync(FsyncPolicy.NEVER, Duration.ZERO));
    }

    /** @param fsyncs when appended dead letters reach stable storage: the queue's fsync policy */
    public DeadLetterStore(Path dataDir, Clock clock, IntervalFsync fsyncs) {
        this.clock = clock;
        this.fsync = fsyncs.policy();
        fsyncs.register(this::syncIfWritten);
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

    /**
     * Appends one record and hands it to the OS before returning (fsynced too under fsync=always), so a
     * crash right after keeps it.
     *
     * @throws UncheckedIOException when it cannot be written (disk full, read-only): the packet must then
     *     stay queued, never be dropped
     */
    public void store(DeadLetter letter) {
        byte[] line = toLine(letter);
        synchronized (this) {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(line);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                if (fsync == FsyncPolicy.ALWAYS) {
                    out.force(false);
                } else {
                    written = true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write dead letter for packet " + letter.packet().packetId()
                        + " to " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Under fsync=interval, called every interval: fsyncs the file if a record was appended since. */
    private void syncIfWritten() {
        if (fsync != FsyncPolicy.INTERVAL || !written) {
            return;
        }
        written = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (IOException e) {
            written = true;
            throw new UncheckedIOException("cannot fsync " + file, e);
        }
    }

    /**
     * One record. The packet is embedded as its own bytes when that gives one valid line (UTF-8 without
     * a byte-order mark or line breaks: nearly every packet), so jq reads it and a replay posts exactly
     * what the agent sent. Otherwise {@code packet} is a re-serialised copy for jq and
     * {@code packet_base64} holds the exact bytes, which a replay posts instead.
     */
    private byte[] toLine(DeadLetter letter) {
        Packet packet = letter.packet();
        byte[] body = packet.body();
        String verbatim = verbatim(body);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(body.length * (verbatim != null ? 1 : 3) + 256);
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
            if (verbatim != null) {
                g.writeRawValue(verbatim);
            } else {
                g.writeRawValue(reserialised(body));
                g.writeStringField("packet_base64", Base64.getEncoder().encodeToString(body));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    /** The body as text if embedding it raw keeps both the record one valid JSON line and the bytes exact, else null. */
    private String verbatim(byte[] body) {
        for (byte b : body) {
            if (b == '\n' || b == '\r') {
                return null;
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        // a byte-order mark is no JSON whitespace inside a line; and a body that is not exactly one JSON
        // value (packets are validated, but this store must never write a line it cannot read back)
        return !text.startsWith("\uFEFF") && oneJsonValue(body) ? text : null;
    }

    private boolean oneJsonValue(byte[] body) {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** A JSON copy for reading (jq) of a body whose bytes cannot be embedded; null if it is not JSON at all. */
    private String reserialised(byte[] body) {
        StringWriter copy = new StringWriter(body.length + 16);
        try (JsonParser p = json.createParser(body); JsonGenerator g = json.createGenerator(copy)) {
            if (p.nextToken() == null) {
                return "null";
            }
            g.copyCurrentStructure(p);
        } catch (IOException e) {
            return "null";
        }
        return copy.toString();
    }
}
