package io.logsdistributor.status;

import io.logsdistributor.http.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Answers GET / and /status with the operator's status page: one self-contained HTML file from the
 * jar that polls /stats from the browser. The page holds no data, so it is served without an API key;
 * /stats keeps its own authentication and the page asks for an operator key when /stats refuses it.
 */
public final class StatusPage implements Processor {

    static final String RESOURCE = "status/index.html";
    private static final String HTML = "text/html; charset=utf-8";

    private final byte[] page;
    private final String policy;

    public StatusPage() {
        this(read(RESOURCE));
    }

    StatusPage(String html) {
        this.page = html.getBytes(StandardCharsets.UTF_8);
        this.policy = InlineContentPolicy.of(html);
    }

    @Override
    public void process(Exchange exchange) {
        Message answer = Reply.with(exchange, 200, HTML, page);
        answer.setHeader("Content-Security-Policy", policy);
        answer.setHeader("Cache-Control", "no-cache");
        answer.setHeader("X-Content-Type-Options", "nosniff");
        answer.setHeader("Referrer-Policy", "no-referrer");
    }

    private static String read(String resource) {
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
