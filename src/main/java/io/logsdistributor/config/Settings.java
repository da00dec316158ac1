package io.logsdistributor.config;

import io.logsdistributor.http.HttpServerSettings;
import io.logsdistributor.queue.FsyncPolicy;
import io.logsdistributor.queue.KafkaSettings;
import io.logsdistributor.queue.QueueSettings;
import io.logsdistributor.security.RateLimit;
import io.logsdistributor.security.SecuritySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every tunable of the distributor, read once at start-up from Camel's properties (which apply
 * environment overrides such as {@code DISTRIBUTOR_QUEUE_CAPACITY}). Defaults live in
 * {@code application.properties}; a bad value stops start-up with the property's name.
 */
public record Settings(
        HttpServerSettings http,
        int httpWorkers,
        Path analyzersFile,
        Path dataDir,
        int maxBodyBytes,
        int maxMessagesPerPacket,
        int maxJsonDepth,
        int maxMessageChars,
        QueueSettings queue,
        int queueConsumers,
        int maxAttempts,
        Duration backoffInitial,
        Duration backoffMax,
        Duration unavailableWait,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration healthInterval,
        Duration healthTimeout,
        int unhealthyAfter,
        int healthyAfter,
        int breakerFailureRatePercent,
        int breakerWindow,
        int breakerMinimumCalls,
        Duration breakerOpen,
        Duration breakerSlowCall,
        int breakerSlowCallRatePercent,
        Duration slowStart,
        Duration analyzersReloadInterval,
        int retryAfterSeconds,
        Duration deadLetterRetryInterval,
        SecuritySettings security) {

    public static Settings load(Function<String, String> properties) {
        PropertyReader p = new PropertyReader(properties);
        return new Settings(
                http(p),
                p.integer("distributor.http.workers", 1, 1024),
                Path.of(p.string("distributor.analyzers-file")),
                Path.of(p.string("distributor.data-dir")),
                p.integer("distributor.max-body-bytes", 1024, Integer.MAX_VALUE),
                p.integer("distributor.max-messages-per-packet", 1, 1_000_000),
                p.integer("distributor.max-json-depth", 4, 1000),
                p.integer("distributor.max-message-chars", 1, Integer.MAX_VALUE),
                queue(p),
                p.integer("distributor.queue.consumers", 1, 1024),
                p.integer("distributor.delivery.max-attempts", 1, 100),
                p.millis("distributor.delivery.backoff-initial-ms", 0),
                p.millis("distributor.delivery.backoff-max-ms", 0),
                p.millis("distributor.delivery.unavailable-wait-ms", 0),
                p.millis("distributor.delivery.connect-timeout-ms", 1),
                p.millis("distributor.delivery.response-timeout-ms", 1),
                p.millis("distributor.health.interval-ms", 10),
                p.millis("distributor.health.timeout-ms", 1),
                p.integer("distributor.health.unhealthy-after", 1, 1000),
                p.integer("distributor.health.healthy-after", 1, 1000),
                p.integer("distributor.breaker.failure-rate-percent", 1, 100),
                p.integer("distributor.breaker.window", 1, 100_000),
                p.integer("distributor.breaker.minimum-calls", 1, 100_000),
                p.millis("distributor.breaker.open-ms", 1),
                p.millis("distributor.breaker.slow-call-ms", 1),
                p.integer("distributor.breaker.slow-call-rate-percent", 1, 100),
                Duration.ofSeconds(p.integer("distributor.balance.slow-start-s", 0, 3600)),
                p.millis("distributor.analyzers.reload-interval-ms", 100),
                p.integer("distributor.retry-after-s", 1, 3600),
                p.millis("distributor.dead-letters.retry-interval-ms", 10),
                security(p));
    }

    private static QueueSettings queue(PropertyReader p) {
        Path dataDir = Path.of(p.string("distributor.data-dir"));
        String dir = p.optionalString("distributor.queue.dir");
        int maxBody = p.integer("distributor.max-body-bytes", 1024, Integer.MAX_VALUE);
        QueueSettings.Store store = p.choice("distributor.queue.store", QueueSettings.Store.class);
        return new QueueSettings(
                store,
                dir == null ? dataDir.resolve("queue") : Path.of(dir),
                p.choice("distributor.queue.fsync", FsyncPolicy.class),
                p.millis("distributor.queue.fsync-interval-ms", 1),
                p.integer("distributor.queue.capacity", 1, 10_000_000),
                p.integer("distributor.queue.max-mib", 1, 1_048_576) * 1024L * 1024L,
                // the packet, its ids and the record's own header
                maxBody + 2 * 4 * 128 + 64,
                store == QueueSettings.Store.KAFKA ? kafka(p, maxBody) : null);
    }

    private static KafkaSettings kafka(PropertyReader p, int maxBody) {
        return new KafkaSettings(
                p.string("distributor.kafka.bootstrap-servers"),
                p.string("distributor.kafka.topic"),
                p.string("distributor.kafka.consumer-group"),
                p.integer("distributor.kafka.partitions", 1, 10_000),
                p.integer("distributor.kafka.replication-factor", -1, 32767),
                p.millis("distributor.kafka.send-timeout-ms", 100),
                // the body, the record's headers and Kafka's batch framing
                maxBody + 16 * 1024);
    }

    private static SecuritySettings security(PropertyReader p) {
        Path analyzerCert = p.optionalFile("distributor.analyzer-tls.cert-file");
        Path analyzerKey = p.optionalFile("distributor.analyzer-tls.key-file");
        if ((analyzerCert == null) != (analyzerKey == null)) {
            throw new ConfigException("properties distributor.analyzer-tls.cert-file and distributor.analyzer-tls.key-file "
                    + "(env ANALYZER_TLS_CERT_FILE, ANALYZER_TLS_KEY_FILE): set both for a client "
                    + "certificate, or neither");
        }
        return new SecuritySettings(
                p.optionalFile("distributor.api-keys-file"),
                p.bool("distributor.auth.bind-agent"),
                p.millis("distributor.auth.reload-interval-ms", 100),
                new RateLimit(p.integer("distributor.rate-limit.packets-per-second", 0, Integer.MAX_VALUE),
                        p.integer("distributor.rate-limit.messages-per-second", 0, Integer.MAX_VALUE)),
                p.integer("distributor.rate-limit.max-agents", 1, 10_000_000),
                p.optionalFile("distributor.analyzer-tls.ca-file"),
                analyzerCert,
                analyzerKey);
    }

    private static HttpServerSettings http(PropertyReader p) {
        Path cert = p.optionalFile("distributor.tls.cert-file");
        Path key = p.optionalFile("distributor.tls.key-file");
        Path clientCa = p.optionalFile("distributor.tls.client-ca-file");
        if ((cert == null) != (key == null)) {
            throw new ConfigException("properties distributor.tls.cert-file and distributor.tls.key-file "
                    + "(env TLS_CERT_FILE, TLS_KEY_FILE): set both for HTTPS, or neither");
        }
        if (clientCa != null && cert == null) {
            throw new ConfigException("property distributor.tls.client-ca-file (env TLS_CLIENT_CA_FILE): "
                    + "mutual TLS needs TLS_CERT_FILE and TLS_KEY_FILE too");
        }
        int maxBodyBytes = p.integer("distributor.max-body-bytes", 1024, Integer.MAX_VALUE);
        long maxInflightBodyBytes = p.integer("distributor.http.max-inflight-body-mib", 1, 1_048_576) * 1024L * 1024L;
        if (maxBodyBytes > maxInflightBodyBytes * 3 / 4) {
            throw new ConfigException("property distributor.http.max-inflight-body-mib (env DISTRIBUTOR_HTTP_MAX_INFLIGHT_BODY_MIB): "
                    + (maxInflightBodyBytes >> 20) + " MiB is too small for bodies of distributor.max-body-bytes (" + maxBodyBytes
                    + "): large bodies may fill three quarters of it, which must hold at least one");
        }
        return new HttpServerSettings(
                p.string("distributor.http.host"),
                p.integer("distributor.http.port", 0, 65535),
                maxBodyBytes,
                p.integer("distributor.http.event-loops", 1, 64),
                p.integer("distributor.http.max-header-bytes", 1024, 1 << 20),
                p.integer("distributor.http.max-connections", 1, 1_000_000),
                p.seconds("distributor.http.idle-timeout-s"),
                p.seconds("distributor.http.header-timeout-s"),
                p.seconds("distributor.http.request-timeout-s"),
                maxInflightBodyBytes,
                p.integer("distributor.retry-after-s", 1, 3600),
                cert, key, clientCa,
                p.millis("distributor.tls.reload-interval-ms", 100));
    }

    /** Typed access to properties; each failure names the property and the accepted range. */
    private record PropertyReader(Function<String, String> properties) {

        String string(String key) {
            String value = properties.apply(key);
            if (value == null || value.isBlank()) {
                throw new ConfigException("property " + key + " (env " + envName(key) + "): required");
            }
            return value.trim();
        }

        int integer(String key, int min, int max) {
            String value = string(key);
            try {
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw new ConfigException("property " + key + " (env " + envName(key) + "): " + value
                            + " is out of range " + min + ".." + max);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException("property " + key + " (env " + envName(key) + "): '" + value
                        + "' is not a whole number");
            }
        }

        /** A property that may be left empty; null then. */
        String optionalString(String key) {
            String value = properties.apply(key);
            return value == null || value.isBlank() ? null : value.trim();
        }

        /** One of an enum's constants, named in any case. */
        <E extends Enum<E>> E choice(String key, Class<E> type) {
            String value = string(key);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw new ConfigException("property " + key + " (env " + envName(key) + "): '" + value + "' is not one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                            .collect(java.util.stream.Collectors.joining(", ")));
        }

        boolean bool(String key) {
            String value = string(key);
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException("property " + key + " (env " + envName(key) + "): '" + value
                        + "' is not true or false");
            };
        }

        Duration millis(String key, int min) {
            return Duration.ofMillis(integer(key, min, Integer.MAX_VALUE));
        }

        Duration seconds(String key) {
            return Duration.ofSeconds(integer(key, 1, 86_400));
        }

        /** A file that must be readable when the property is set; null when it is empty. */
        Path optionalFile(String key) {
            String value = properties.apply(key);
            if (value == null || value.isBlank()) {
                return null;
            }
            Path file = Path.of(value.trim());
            if (!Files.isReadable(file)) {
                throw new ConfigException("property " + key + " (env " + envName(key) + "): " + file
                        + " is not a readable file");
            }
            return file;
        }

        static String envName(String key) {
            return key.toUpperCase().replace('.', '_').replace('-', '_');
        }
    }
}
