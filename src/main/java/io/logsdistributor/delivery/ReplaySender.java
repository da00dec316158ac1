package io.logsdistributor.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Posts one packet to the ingest URL until it is accepted, refused, or the URL stays unavailable
 * longer than the wait allowed per packet. 429 and 503 are waited out for their {@code Retry-After}
 * (a server that is shedding load says when to come back); other temporary failures (502, 504, 408,
 * no connection, no answer in time) back off from one second, doubling. A wait that would end past
 * the allowance is not begun: the packet is given up at once, and kept by the caller.
 */
final class ReplaySender {

    /** What became of one packet; {@code detail} says why it was not accepted. */
    record Outcome(Kind kind, String detail) {
        enum Kind { ACCEPTED, REFUSED, UNAVAILABLE }
    }

    /** Sleeps, so that a test can count the waits instead of spending them; the JDK's sleep in use. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int SHOWN_BODY_BYTES = 300;
    private static final int MAX_DRAINED_BYTES = 64 * 1024;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;
    private final List<ReplayOptions.Header> headers;
    private final Duration maxWait;
    private final Sleeper sleeper;
    private final LongSupplier nanoClock;

    ReplaySender(URI url, List<ReplayOptions.Header> headers, Duration maxWait, Sleeper sleeper, LongSupplier nanoClock) {
        this.url = url;
        this.headers = headers;
        this.maxWait = maxWait;
        this.sleeper = sleeper;
        this.nanoClock = nanoClock;
    }

    /** @param report where each wait is announced, for the operator watching a slow replay */
    Outcome send(byte[] packet, Consumer<String> report) throws InterruptedException {
        long deadline = nanoClock.getAsLong() + maxWait.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            String failure;
            Duration wait = backoff;
            try {
                HttpResponse<InputStream> response = client.send(request(packet), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                String body = start(response.body());
                if (status >= 200 && status < 300) {
                    return new Outcome(Outcome.Kind.ACCEPTED, null);
                }
                failure = "HTTP " + status + (body.isEmpty() ? "" : " " + body);
                if (status == 429 || status == 503) {
                    Duration asked = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                    if (asked != null) {
                        wait = asked;
                        failure += " (Retry-After " + seconds(asked) + ")";
                    }
                } else if (status != 502 && status != 504 && status != 408) {
                    return new Outcome(Outcome.Kind.REFUSED, failure);
                }
            } catch (IOException e) {
                // the packet may have arrived before the connection failed: posting it again is the
                // at-least-once the contract allows, and its X-Packet-Id lets an analyzer drop the copy
                failure = "no answer from " + url + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (wait.equals(backoff)) {
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            long left = deadline - nanoClock.getAsLong();
            if (wait.toNanos() > left) {
                return new Outcome(Outcome.Kind.UNAVAILABLE, failure + "; not retried: waiting "
                        + seconds(wait) + " more would exceed --max-wait-s " + maxWait.toSeconds());
            }
            report.accept(failure + "; retrying in " + seconds(wait));
            sleeper.sleep(wait);
        }
    }

    private HttpRequest request(byte[] packet) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(packet));
        headers.forEach(h -> request.header(h.name(), h.value()));
        return request.build();
    }

    /** The start of an answer's body, for the report. */
    private static String start(InputStream body) throws IOException {
        try (body) {
            byte[] shown = body.readNBytes(SHOWN_BODY_BYTES);
            // a small rest is read away so the connection can be reused; a large one is cut off with it
            body.readNBytes(MAX_DRAINED_BYTES);
            return new String(shown, StandardCharsets.UTF_8).strip();
        }
    }

    /** Seconds ({@code 120}) or an HTTP date; null when absent or unreadable, then the backoff applies. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 24 * 3600));
        } catch (NumberFormatException e) {
            // not seconds: an HTTP date, perhaps
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String seconds(Duration wait) {
        long millis = wait.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
    }

}
