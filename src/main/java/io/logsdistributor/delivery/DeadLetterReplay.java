package io.logsdistributor.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logsdistributor.config.ConfigException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code replay FILE [--url URL] [--header 'Name: value']}: posts every packet of a dead-letter file
 * back to a distributor's /ingest. Packets it does not take (anything but 202) are written to
 * {@code FILE.remaining}, so a replay can be repeated until nothing remains.
 */
public final class DeadLetterReplay {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a replay did: packets posted and accepted, and the file holding the rest, if any. */
    public record Result(int posted, int accepted, Path remaining) {
    }

    private DeadLetterReplay() {
    }

    public static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new ConfigException("usage: replay FILE [--url http://127.0.0.1:8080/ingest] [--header 'X-API-Key: key']");
        }
        Path file = Path.of(args[0]);
        URI url = URI.create("http://127.0.0.1:8080/ingest");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new ConfigException("replay: " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--url" -> url = URI.create(args[i + 1]);
                case "--header" -> {
                    int colon = args[i + 1].indexOf(':');
                    if (colon < 1) {
                        throw new ConfigException("replay: --header must look like 'Name: value'");
                    }
                    headers.add(new String[] {args[i + 1].substring(0, colon).trim(), args[i + 1].substring(colon + 1).trim()});
                }
                default -> throw new ConfigException("replay: unknown option " + args[i]);
            }
        }
        Result result = replay(file, url, headers);
        out.println("replayed " + result.posted() + " packets from " + file + ": " + result.accepted() + " accepted"
                + (result.remaining() == null ? "" : ", the rest kept in " + result.remaining()));
        return result.remaining() == null ? 0 : 1;
    }

    public static Result replay(Path file, URI url, List<String[]> headers) throws IOException, InterruptedException {
        if (!Files.isReadable(file)) {
            throw new ConfigException("replay: " + file + " is not a readable file");
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Path remaining = file.resolveSibling(file.getFileName() + ".remaining");
        int posted = 0;
        int accepted = 0;
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode packet = JSON.readTree(line).get("packet");
            if (packet == null) {
                kept.add(line);
                continue;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(packet.toString()));
            headers.forEach(h -> request.header(h[0], h[1]));
            posted++;
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                kept.add(line);
            }
        }
        if (kept.isEmpty()) {
            Files.deleteIfExists(remaining);
            return new Result(posted, accepted, null);
        }
        try (BufferedWriter writer = Files.newBufferedWriter(remaining, StandardCharsets.UTF_8)) {
            for (String line : kept) {
                writer.write(line);
                writer.newLine();
            }
        }
        return new Result(posted, accepted, remaining);
    }
}
