package io.logsdistributor.loadgen;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The load generator's command line, parsed and checked. Immutable. */
public record LoadOptions(
        URI url,
        double rate,
        int connections,
        long packets,
        double durationSeconds,
        long warmupPackets,
        double warmupSeconds,
        MessageMix mix,
        int messageBytes,
        int poolSize,
        int agents,
        List<String[]> headers,
        boolean forwardHeaders,
        boolean json,
        int eventLoops,
        double timeoutSeconds,
        long seed,
        String afterWarmup) {

    public static final String USAGE = """
            usage: java -jar logs-distributor.jar loadgen [options]
              --url URL            where to POST packets (default http://127.0.0.1:8080/ingest)
              --rate N             packets per second, open loop; latency counts from each packet's intended
                                   send time (coordinated-omission corrected). 0 or omitted: as fast as the
                                   connections allow (closed loop, one request in flight per connection)
              --connections N      keep-alive HTTP/1.1 connections (default 32)
              --packets N          measured packets to send (default 10000 unless --duration is given)
              --duration T         measure for T instead (e.g. 30s, 2m, 500ms)
              --warmup N|T         packets (e.g. 5000) or time (e.g. 10s) sent first and not counted (default 0);
                                   all of them are answered before the measured phase starts
              --after-warmup CMD   shell command run between warm-up and measurement (e.g. to let a queue
                                   drain and snapshot the server's CPU time); measurement starts when it ends
              --mix SPEC           message counts per packet as weight:min-max,... (default 55:1-3,35:4-20,10:21-100)
              --message-bytes N    approximate JSON size of one message (default 200)
              --pool N             distinct pre-built bodies (default 2048); each send patches a unique packet_id
              --agents N           distinct agent_id values in the pool (default 16)
              --header 'K: V'      extra request header, repeatable (e.g. 'Authorization: Bearer xyz')
              --forward-headers    also send X-Packet-Id, X-Agent-Id and X-Message-Count, the headers the
                                   distributor adds when forwarding, so sinks behind a plain proxy can count
              --event-loops N      client I/O threads (default: number of CPUs)
              --timeout T          per-request response timeout (default 30s)
              --seed N             seed of the body pool (default 42)
              --json               print the summary as one JSON line instead of text
            """;

    /**
     * Parses the arguments after {@code loadgen}.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    public static LoadOptions parse(String[] args) {
        URI url = URI.create("http://127.0.0.1:8080/ingest");
        double rate = 0;
        int connections = 32;
        long packets = -1;
        double duration = -1;
        long warmupPackets = 0;
        double warmupSeconds = 0;
        MessageMix mix = MessageMix.parse(MessageMix.DEFAULT);
        int messageBytes = 200;
        int pool = 2048;
        int agents = 16;
        List<String[]> headers = new ArrayList<>();
        boolean forwardHeaders = false;
        boolean json = false;
        int eventLoops = Runtime.getRuntime().availableProcessors();
        double timeout = 30;
        long seed = 42;
        String afterWarmup = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            String value = null;
            int eq = option.indexOf('=');
            if (option.startsWith("--") && eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            }
            switch (option) {
                case "--json" -> json = true;
                case "--forward-headers" -> forwardHeaders = true;
                default -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(option + ": missing value");
                        }
                        value = args[++i];
                    }
                    switch (option) {
                        case "--url" -> url = url(value);
                        case "--rate" -> rate = nonNegative(option, value);
                        case "--connections" -> connections = (int) positiveLong(option, value, 10_000);
                        case "--packets" -> packets = positiveLong(option, value, Long.MAX_VALUE);
                        case "--duration" -> duration = seconds(option, value, false);
                        case "--warmup" -> {
                            if (isTime(value)) {
                                warmupSeconds = seconds(option, value, true);
                                warmupPackets = 0;
                            } else {
                                warmupPackets = nonNegativeLong(option, value);
                                warmupSeconds = 0;
                            }
                        }
                        case "--mix" -> mix = MessageMix.parse(value);
                        case "--message-bytes" -> messageBytes = (int) positiveLong(option, value, 1 << 20);
                        case "--pool" -> pool = (int) positiveLong(option, value, 1 << 20);
                        case "--agents" -> agents = (int) positiveLong(option, value, 1 << 20);
                        case "--header" -> headers.add(header(value));
                        case "--event-loops" -> eventLoops = (int) positiveLong(option, value, 256);
                        case "--timeout" -> timeout = seconds(option, value, false);
                        case "--seed" -> seed = longValue(option, value);
                        case "--after-warmup" -> afterWarmup = value.isBlank() ? null : value;
                        default -> throw new IllegalArgumentException(option + ": unknown option");
                    }
                }
            }
        }
        if (packets > 0 && duration > 0) {
            throw new IllegalArgumentException("--packets and --duration: give one, not both");
        }
        if (packets < 0 && duration < 0) {
            packets = 10_000;
        }
        return new LoadOptions(url, rate, connections, packets, duration, warmupPackets, warmupSeconds, mix,
                messageBytes, pool, agents, List.copyOf(headers), forwardHeaders, json, eventLoops, timeout, seed,
                afterWarmup);
    }

    public boolean rateLimited() {
        return rate > 0;
    }

    public boolean byDuration() {
        return durationSeconds > 0;
    }

    private static URI url(String value) {
        URI u;
        try {
            u = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url: not a URL: " + value);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            throw new IllegalArgumentException("--url: must be http(s)://host[:port]/path, got " + value);
        }
        return u;
    }

    private static String[] header(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--header: expected 'Name: value', got '" + value + "'");
        }
        return new String[] {value.substring(0, colon).trim(), value.substring(colon + 1).trim()};
    }

    private static boolean isTime(String value) {
        return value.endsWith("s") || value.endsWith("m") || value.endsWith("h");
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a bare number of seconds. */
    static double seconds(String option, String value, boolean zeroAllowed) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double scale = 1;
        if (v.endsWith("ms")) {
            scale = 0.001;
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            scale = 60;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            scale = 3600;
            v = v.substring(0, v.length() - 1);
        }
        double d;
        try {
            d = Double.parseDouble(v) * scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a duration (e.g. 30s, 500ms, 2m): " + value);
        }
        if (Double.isNaN(d) || Double.isInfinite(d) || d < 0 || (d == 0 && !zeroAllowed)) {
            throw new IllegalArgumentException(option + ": must be " + (zeroAllowed ? ">= 0" : "> 0") + ": " + value);
        }
        return d;
    }

    private static double nonNegative(String option, String value) {
        double d;
        try {
            d = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: " + value);
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(option + ": must be >= 0: " + value);
        }
        return d;
    }

    private static long longValue(String option, String value) {
        try {
            return Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a whole number: " + value);
        }
    }

    private static long nonNegativeLong(String option, String value) {
        long v = longValue(option, value);
        if (v < 0) {
            throw new IllegalArgumentException(option + ": must be >= 0: " + value);
        }
        return v;
    }

    private static long positiveLong(String option, String value, long max) {
        long v = longValue(option, value);
        if (v < 1 || v > max) {
            throw new IllegalArgumentException(option + ": must be between 1 and " + max + ": " + value);
        }
        return v;
    }
}
