package io.logsdistributor.delivery;

import io.logsdistributor.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code replay FILE [--url URL] [--header 'Name: value']... [--max-wait-s N]}.
 *
 * @param maxWait how long one packet may wait for a URL that answers 429/503 or cannot be reached
 *     before it is given up and kept in FILE.remaining
 */
public record ReplayOptions(Path file, URI url, List<Header> headers, Duration maxWait) {

    public static final String USAGE = "usage: replay FILE [--url http://127.0.0.1:8080/ingest] "
            + "[--header 'X-API-Key: key']... [--max-wait-s " + ReplayOptions.DEFAULT_MAX_WAIT_S + "]";
    static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080/ingest");
    static final int DEFAULT_MAX_WAIT_S = 60;

    /** An extra request header, such as the operator's API key. */
    public record Header(String name, String value) {
    }

    public ReplayOptions {
        headers = List.copyOf(headers);
    }

    public static ReplayOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new ConfigException(USAGE);
        }
        URI url = DEFAULT_URL;
        List<Header> headers = new ArrayList<>();
        Duration maxWait = Duration.ofSeconds(DEFAULT_MAX_WAIT_S);
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new ConfigException("replay: " + args[i] + " needs a value (" + USAGE + ")");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = url(value);
                case "--header" -> headers.add(header(value));
                case "--max-wait-s" -> maxWait = Duration.ofSeconds(seconds(value));
                default -> throw new ConfigException("replay: unknown option " + args[i] + " (" + USAGE + ")");
            }
        }
        for (Header header : headers) {
            try {
                // the HTTP client refuses some names (Host, Content-Length...) and any line break: say so now
                HttpRequest.newBuilder(url).header(header.name(), header.value());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("replay: --header " + header.name() + ": " + e.getMessage());
            }
        }
        return new ReplayOptions(Path.of(args[0]), url, headers, maxWait);
    }

    private static URI url(String value) {
        try {
            URI url = new URI(value);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new ConfigException("replay: --url " + value + ": must be an http:// or https:// URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigException("replay: --url " + value + ": not a URL (" + e.getReason() + ")");
        }
    }

    private static Header header(String value) {
        int colon = value.indexOf(':');
        if (colon < 1) {
            throw new ConfigException("replay: --header must look like 'Name: value'");
        }
        return new Header(value.substring(0, colon).strip(), value.substring(colon + 1).strip());
    }

    private static long seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 0 && seconds <= 24 * 3600) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("replay: --max-wait-s " + value + ": must be a whole number of seconds from 0 to 86400");
    }
}
