package io.logsdistributor.analyzer;

import io.logsdistributor.balance.MessageShareSelector;
import io.logsdistributor.config.ConfigException;
import io.logsdistributor.metrics.DistributorMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed analyzers.yaml while the distributor runs (contract §9). The file is compared by
 * content, so a Kubernetes ConfigMap update, which swaps a symlink, counts like an edit. A valid file
 * is applied at once: changed weights from the next packet; new analyzers get their route, breaker,
 * health polling and meters and join with slow start; removed ones take no new packet, finish those in
 * flight, and then lose their route, breaker and meters; an analyzer whose id and URLs stay keeps its
 * credit, health and breaker. An invalid file changes nothing and is reported once.
 */
public final class AnalyzersReload {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzersReload.class);

    /** What the last reload (or the start) applied, for /stats. */
    public record Applied(String hash, Instant at, long reloads, long failures, String lastError) {
    }

    private final Path file;
    private final AnalyzerRegistry registry;
    private final MessageShareSelector<Analyzer> selector;
    private final AnalyzerRoutes routes;
    private final DistributorMetrics metrics;
    private final CamelContext context;
    private final Clock clock;
    private final List<Analyzer> leaving = new ArrayList<>();
    private String seenHash;
    private volatile Applied applied;

    public AnalyzersReload(Path file, String startHash, AnalyzerRegistry registry, MessageShareSelector<Analyzer> selector,
            AnalyzerRoutes routes, DistributorMetrics metrics, CamelContext context, Clock clock) {
        this.file = file;
        this.registry = registry;
        this.selector = selector;
        this.routes = routes;
        this.metrics = metrics;
        this.context = context;
        this.clock = clock;
        this.seenHash = startHash;
        this.applied = new Applied(startHash, Instant.now(clock), 0, 0, null);
    }

    /** The hash of an analyzers file's content, as /stats shows it. */
    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public Applied applied() {
        return applied;
    }

    /** Called by a timer route: applies the file if its content changed, then retires what finished. */
    public synchronized void reloadIfChanged() throws Exception {
        retireFinished();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            refuse("unreadable:" + e.getClass().getSimpleName(), file + ": cannot read analyzers file ("
                    + e.getClass().getSimpleName() + ")");
            return;
        }
        String hash = hash(text);
        if (hash.equals(seenHash)) {
            return;
        }
        if (hash.equals(applied.hash())) {
            // back to the content in force (after an unreadable or invalid one): nothing to apply
            seenHash = hash;
            return;
        }
        List<AnalyzerSpec> specs;
        try {
            specs = AnalyzersFile.parse(text, file.toString());
        } catch (ConfigException e) {
            refuse(hash, e.getMessage());
            return;
        }
        seenHash = hash;
        apply(specs);
        Applied before = applied;
        applied = new Applied(hash, Instant.now(clock), before.reloads() + 1, before.failures(), null);
        metrics.analyzersReloaded();
    }

    /** Counts and logs a file that cannot be applied, once per content; the running analyzers stay. */
    private void refuse(String version, String problem) {
        if (version.equals(seenHash)) {
            return;
        }
        seenHash = version;
        Applied before = applied;
        applied = new Applied(before.hash(), before.at(), before.reloads(), before.failures() + 1, problem);
        metrics.analyzersReloadFailed();
        LOG.error("Analyzers file not reloaded, the running analyzers stay: {}", problem);
    }

    private void apply(List<AnalyzerSpec> specs) throws Exception {
        Analyzer[] before = registry.current();
        Analyzer[] next = new Analyzer[specs.size()];
        List<String> added = new ArrayList<>();
        List<String> reweighed = new ArrayList<>();
        for (int i = 0; i < next.length; i++) {
            AnalyzerSpec spec = specs.get(i);
            Analyzer same = find(before, spec);
            if (same != null) {
                if (same.weight() != spec.weight()) {
                    reweighed.add(spec.id() + " " + same.weight() + " -> " + spec.weight());
                }
                registry.reweigh(same, spec);
                next[i] = same;
            } else {
                // new, or the same id at another URL: a removal plus an addition (contract §9), so the old
                // one's meters go now, before the new one's of the same name take their place
                for (Analyzer old : before) {
                    if (old.id().equals(spec.id())) {
                        metrics.remove(old);
                    }
                }
                Analyzer analyzer = registry.create(spec);
                context.getRegistry().bind(AnalyzerRegistry.breakerName(analyzer.key()), analyzer.breaker());
                metrics.register(analyzer);
                routes.add(context, analyzer);
                next[i] = analyzer;
                added.add(spec.id());
            }
        }
        List<String> removed = new ArrayList<>();
        for (Analyzer old : before) {
            if (!contains(next, old)) {
                leaving.add(old);
                removed.add(old.id());
            }
        }
        // from here the balancer picks among the new set; the removed ones are retired
        selector.reconfigure(next);
        registry.publish(next);
        LOG.info("Analyzers reloaded from {}: {} analyzers; added {}, removed {}, weights changed {}", file, next.length,
                added, removed, reweighed);
        retireFinished();
    }

    /** An analyzer of the running set that the new spec keeps: same id, url and health URL. */
    private static Analyzer find(Analyzer[] running, AnalyzerSpec spec) {
        for (Analyzer analyzer : running) {
            AnalyzerSpec old = analyzer.spec();
            if (old.id().equals(spec.id()) && old.url().equals(spec.url()) && old.healthUrl().equals(spec.healthUrl())) {
                return analyzer;
            }
        }
        return null;
    }

    private static boolean contains(Analyzer[] set, Analyzer analyzer) {
        for (Analyzer a : set) {
            if (a == analyzer) {
                return true;
            }
        }
        return false;
    }

    /** Removes the route, breaker and meters of removed analyzers whose last delivery has ended. */
    private void retireFinished() throws Exception {
        for (var it = leaving.iterator(); it.hasNext(); ) {
            Analyzer analyzer = it.next();
            if (analyzer.deliveries() > 0) {
                continue;
            }
            routes.remove(context, analyzer);
            context.getRegistry().unbind(AnalyzerRegistry.breakerName(analyzer.key()));
            metrics.remove(analyzer);
            it.remove();
            LOG.info("Analyzer {} removed: its deliveries ended, its route and breaker are gone", analyzer.key());
        }
    }
}
