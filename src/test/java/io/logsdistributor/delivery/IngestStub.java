package io.logsdistributor.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP server on a free port standing in for /ingest: records each body and answers as told. */
final class IngestStub implements AutoCloseable {

    record Answer(int status, Map<String, String> headers, String body) {
        static final Answer ACCEPTED = new Answer(202, Map.of(), "{\"status\":\"accepted\"}");

        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    /** Decides the answer to the request with this index (0 first) and body; may block. */
    interface Script {
        Answer answer(int index, byte[] body) throws InterruptedException;
    }

    final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    IngestStub(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/ingest", exchange -> handle(exchange, script));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ingest");
    }

    List<String> bodiesAsText() {
        return bodies.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private void handle(HttpExchange exchange, Script script) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int index;
            synchronized (this) {
                index = bodies.size();
                bodies.add(body);
                apiKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-API-Key")));
            }
            Answer answer = script.answer(index, body);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] text = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), text.length == 0 ? -1 : text.length);
            exchange.getResponseBody().write(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
