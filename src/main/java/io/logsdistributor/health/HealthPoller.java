package io.logsdistributor.health;

import io.logsdistributor.analyzer.AnalyzerRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Polls every analyzer's health URL at once and feeds the results to the registry. Run by the
 * health timer route; a poll never takes longer than the health timeout.
 */
public final class HealthPoller implements Processor {

    private final AnalyzerRegistry analyzers;
    private final Duration timeout;
    private final HttpClient client;

    public HealthPoller(AnalyzerRegistry analyzers, Duration timeout) {
        this(analyzers, timeout, null);
    }

    /** With the TLS context packets go to https:// analyzers with, so their health URLs are reached alike. */
    public HealthPoller(AnalyzerRegistry analyzers, Duration timeout, javax.net.ssl.SSLContext analyzerTls) {
        this.analyzers = analyzers;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (analyzerTls != null) {
            builder.sslContext(analyzerTls);
        }
        this.client = builder.build();
    }

    @Override
    public void process(Exchange exchange) {
        pollAll();
    }

    public void pollAll() {
        CompletableFuture<?>[] polls = new CompletableFuture<?>[analyzers.size()];
        for (int i = 0; i < polls.length; i++) {
            int index = i;
            HttpRequest request = HttpRequest.newBuilder(analyzers.spec(i).healthUrl()).timeout(timeout).GET().build();
            polls[i] = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> {
                        boolean ok = failure == null && response.statusCode() >= 200 && response.statusCode() < 300;
                        analyzers.recordHealth(index, ok);
                        return null;
                    });
        }
        CompletableFuture.allOf(polls).join();
    }
}
