package io.logsdistributor.loadgen;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Packets built once at start, so sending costs no JSON work: each request copies a pooled body and
 * writes its sequence number, in hex, into the fixed-width {@code packet_id} that every body starts
 * with ({@code {"packet_id":"lg-<run>-<16 hex digits>",...}}), so every packet id is unique.
 */
public final class BodyPool {

    private static final String PREFIX = "{\"packet_id\":\"";
    /** Where the packet id starts in every body. */
    static final int ID_OFFSET = PREFIX.length();
    /** "lg-" + 8 hex digits of the run id + "-": the part of the id that is the same for a whole run. */
    private static final int RUN_PART = 12;
    private static final int SEQ_DIGITS = 16;
    /** Where the sequence number's hex digits start in every body. */
    static final int SEQ_OFFSET = ID_OFFSET + RUN_PART;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    private static final String[] SOURCES = {"checkout", "payments", "auth", "search", "inventory", "gateway"};
    private static final String WORDS = "order paid shipped user login cache miss retry timeout request handled "
            + "latency queue worker started stopped connection reset upstream accepted ";

    private final byte[][] bodies;
    private final int[] messageCounts;
    private final String[] agentIds;
    private final String idPrefix;

    private BodyPool(byte[][] bodies, int[] messageCounts, String[] agentIds, String idPrefix) {
        this.bodies = bodies;
        this.messageCounts = messageCounts;
        this.agentIds = agentIds;
        this.idPrefix = idPrefix;
    }

    /**
     * Builds {@code size} bodies whose message counts follow {@code mix}, each message about
     * {@code messageBytes} bytes of JSON, from {@code agents} distinct agent ids.
     */
    public static BodyPool build(int size, MessageMix mix, int messageBytes, int agents, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be >= 1");
        }
        SplittableRandom random = new SplittableRandom(seed);
        String runId = String.format("%08x", random.nextInt());
        byte[][] bodies = new byte[size][];
        int[] counts = new int[size];
        String[] agentIds = new String[size];
        StringBuilder s = new StringBuilder(4096);
        for (int i = 0; i < size; i++) {
            int n = mix.next(random);
            agentIds[i] = "loadgen-" + random.nextInt(Math.max(1, agents));
            s.setLength(0);
            s.append(PREFIX).append("lg-").append(runId).append('-').append("0".repeat(SEQ_DIGITS))
                    .append("\",\"agent_id\":\"").append(agentIds[i]).append("\",\"messages\":[");
            for (int m = 0; m < n; m++) {
                if (m > 0) {
                    s.append(',');
                }
                appendMessage(s, random, messageBytes);
            }
            s.append("]}");
            bodies[i] = s.toString().getBytes(StandardCharsets.UTF_8);
            counts[i] = n;
        }
        return new BodyPool(bodies, counts, agentIds, "lg-" + runId + "-");
    }

    private static void appendMessage(StringBuilder s, SplittableRandom random, int messageBytes) {
        int start = s.length();
        s.append("{\"timestamp\":\"2026-11-22T10:")
                .append(two(random.nextInt(60))).append(':').append(two(random.nextInt(60)))
                .append('.').append(100 + random.nextInt(900)).append("Z\",\"level\":\"")
                .append(LEVELS[random.nextInt(LEVELS.length)]).append("\",\"source\":\"")
                .append(SOURCES[random.nextInt(SOURCES.length)]).append("\",\"metadata\":{\"host\":\"node-")
                .append(random.nextInt(16)).append("\"},\"message\":\"");
        // what is left of the message budget, after the closing quote and brace, goes to the text
        int text = Math.max(8, messageBytes - (s.length() - start) - 2);
        int offset = random.nextInt(WORDS.length());
        for (int k = 0; k < text; k++) {
            s.append(WORDS.charAt((offset + k) % WORDS.length()));
        }
        s.append("\"}");
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : String.valueOf(v);
    }

    public int size() {
        return bodies.length;
    }

    /** The pooled body (with an all-zero sequence); do not modify. */
    public byte[] template(int index) {
        return bodies[index];
    }

    public int messageCount(int index) {
        return messageCounts[index];
    }

    public String agentId(int index) {
        return agentIds[index];
    }

    /** The packet id that {@link #body(int, long)} writes for {@code sequence}. */
    public String packetId(long sequence) {
        String hex = Long.toHexString(sequence);
        return idPrefix + "0".repeat(SEQ_DIGITS - hex.length()) + hex;
    }

    /** A copy of body {@code index} whose packet id carries {@code sequence}. */
    public byte[] body(int index, long sequence) {
        byte[] b = bodies[index].clone();
        for (int i = SEQ_OFFSET + SEQ_DIGITS - 1; i >= SEQ_OFFSET; i--) {
            b[i] = HEX[(int) (sequence & 0xF)];
            sequence >>>= 4;
        }
        return b;
    }

    /** Mean body size in bytes. */
    public double meanBytes() {
        long total = 0;
        for (byte[] b : bodies) {
            total += b.length;
        }
        return (double) total / bodies.length;
    }

    /** Mean messages per body. */
    public double meanMessages() {
        long total = 0;
        for (int c : messageCounts) {
            total += c;
        }
        return (double) total / messageCounts.length;
    }
}
