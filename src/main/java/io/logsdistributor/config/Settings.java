package io.logsdistributor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Every tunable of the distributor, read once at start-up from Camel's properties (which apply
 * environment overrides such as {@code DISTRIBUTOR_QUEUE_CAPACITY}). Defaults live in
 * {@code application.properties}; a bad value stops start-up with the property's name.
 */
public record Settings(
        Path analyzersFile,
        Path dataDir,
        int maxBodyBytes,
        int maxMessagesPerPacket,
        int maxJsonDepth,
        int queueCapacity,
        long queueMaxBytes,
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
        int retryAfterSeconds) {

    public static Settings load(Function<String, String> properties) {
        PropertyReader p = new PropertyReader(properties);
        return new Settings(
                Path.of(p.string("distributor.analyzers-file")),
                Path.of(p.string("distributor.data-dir")),
                p.integer("distributor.max-body-bytes", 1024, Integer.MAX_VALUE),
                p.integer("distributor.max-messages-per-packet", 1, 1_000_000),
                p.integer("distributor.max-json-depth", 4, 1000),
                p.integer("distributor.queue.capacity", 1, 10_000_000),
                p.integer("distributor.queue.max-mib", 1, 1_048_576) * 1024L * 1024L,
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
                p.integer("distributor.retry-after-s", 1, 3600));
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

        Duration millis(String key, int min) {
            return Duration.ofMillis(integer(key, min, Integer.MAX_VALUE));
        }

        static String envName(String key) {
            return key.toUpperCase().replace('.', '_').replace('-', '_');
        }
    }
}
