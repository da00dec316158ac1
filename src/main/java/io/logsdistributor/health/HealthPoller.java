package io.logsdistributor.health;

import io.logsdistributor.analyzer.Analyzer;
import io.logsdistributor.analyzer.AnalyzerRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Polls every analyzer's health URL at once and feeds the results to the registry. Run by the health
 * timer route. A poll never takes longer than the health timeout, whatever an analyzer does: only the
 * status is read (the body is never waited for, so a health endpoint that sends its headers and then
 * stalls cannot hold the poll), and a verdict of "failed" is given at the timeout in any case, so one
 * stuck analyzer never delays the others' health.
 */
public final class HealthPoller implements Processor {

    /** Completes with the status line and headers; the body is cancelled unread. */
    private static final HttpResponse.BodyHandler<Void> STATUS_ONLY = info -> new HttpResponse.BodySubscriber<>() {
        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    };

    private final AnalyzerRegistry analyzers;
    private final Duration timeout;
    private final HttpClient client;

    public HealthPoller(AnalyzerRegistry analyzers, Duration timeout) {
        this(analyzers, timeout, null);
    }

    /** With the TLS context packets go to https:// analyzers with, so their health URLs are reached alike. */
    public HealthPoller(AnalyzerRegistry analyzers, Duration timeout, SSLContext analyzerTls) {
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
        Analyzer[] set = analyzers.current();
        CompletableFuture<?>[] polls = new CompletableFuture<?>[set.length];
        for (int i = 0; i < polls.length; i++) {
            Analyzer analyzer = set[i];
            HttpRequest request = HttpRequest.newBuilder(analyzer.spec().healthUrl()).timeout(timeout).GET().build();
            polls[i] = client.sendAsync(request, STATUS_ONLY)
                    .thenApply(response -> response.statusCode() >= 200 && response.statusCode() < 300)
                    .exceptionally(failure -> false)
                    .completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .thenAccept(ok -> analyzers.recordHealth(analyzer, ok));
        }
        CompletableFuture.allOf(polls).join();
    }
}
