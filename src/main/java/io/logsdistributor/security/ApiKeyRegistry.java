package io.logsdistributor.security;

import io.logsdistributor.config.ConfigException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys in force, and their file. A reload builds a whole new immutable key set and swaps it
 * in with one volatile write, so a request in flight keeps the key it was authenticated with and
 * never sees a half-read file; a file that does not validate leaves the keys in force untouched.
 */
public final class ApiKeyRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyRegistry.class);
    private static final String BEARER = "bearer ";

    private final Path file;
    private volatile ApiKeys keys;
    private String seenVersion;
    private final AtomicLong refusedReloads = new AtomicLong();

    private ApiKeyRegistry(Path file, ApiKeys keys, String seenVersion) {
        this.file = file;
        this.keys = keys;
        this.seenVersion = seenVersion;
    }

    /** Keys off (no file): every request passes. */
    public static ApiKeyRegistry disabled() {
        return new ApiKeyRegistry(null, null, null);
    }

    /** Keys from the file, which must be valid now: start-up stops on a bad file. */
    public static ApiKeyRegistry load(Path file) {
        String text = ApiKeysFile.read(file);
        ApiKeys keys = ApiKeysFile.parse(text, file.toString());
        LOG.info("API keys required: {} keys from {}", keys.size(), file);
        return new ApiKeyRegistry(file, keys, version(text));
    }

    public boolean enabled() {
        return file != null;
    }

    public int size() {
        ApiKeys current = keys;
        return current == null ? 0 : current.size();
    }

    /** Changed files that were not taken because they did not validate: worth an alert. */
    public long refusedReloads() {
        return refusedReloads.get();
    }

    /** The key the request presents if it is one of ours, else null. */
    public ApiKey authenticate(Message request) {
        String presented = presentedKey(request);
        return presented == null ? null : keys.find(presented);
    }

    /**
     * The key presented by these raw request header values if it is one of ours, else null: for a
     * check made from the request head, before any body is read. Pass null for a header that is
     * absent or sent more than once. The same rules as {@link #authenticate(Message)}.
     */
    public ApiKey authenticate(String authorization, String xApiKey) {
        ApiKeys current = keys;
        if (current == null) {
            return null;
        }
        String presented;
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            presented = nonBlank(authorization.substring(BEARER.length()));
        } else {
            presented = nonBlank(xApiKey);
        }
        return presented == null ? null : current.find(presented);
    }

    /**
     * Re-reads the file when its content changed (compared by content, not modification time:
     * Kubernetes swaps a Secret's files through symlinks). Called from one timer route.
     */
    public synchronized void reloadIfChanged() {
        if (file == null) {
            return;
        }
        String text;
        try {
            text = ApiKeysFile.read(file);
        } catch (ConfigException e) {
            refuse("unreadable", e);
            return;
        }
        String version = version(text);
        if (version.equals(seenVersion)) {
            return;
        }
        try {
            ApiKeys reloaded = ApiKeysFile.parse(text, file.toString());
            keys = reloaded;
            seenVersion = version;
            LOG.info("API keys reloaded: {} keys from {}", reloaded.size(), file);
        } catch (ConfigException e) {
            refuse(version, e);
        }
    }

    /** Logs a refused file once, not on every tick, and keeps the keys in force. */
    private void refuse(String version, ConfigException e) {
        if (!version.equals(seenVersion)) {
            seenVersion = version;
            refusedReloads.incrementAndGet();
            LOG.error("API keys file not reloaded, still using the previous {} keys: {}", size(), e.getMessage());
        }
    }

    private static String version(String text) {
        return HexFormat.of().formatHex(ApiKeys.sha256(text));
    }

    /**
     * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. A header sent twice is no
     * credential: which copy counts would depend on the proxies in between.
     */
    static String presentedKey(Message request) {
        String authorization = single(request.getHeader("Authorization"));
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return nonBlank(authorization.substring(BEARER.length()));
        }
        return nonBlank(single(request.getHeader("X-API-Key")));
    }

    private static String single(Object header) {
        if (header instanceof String value) {
            return value;
        }
        if (header instanceof List<?> values && values.size() == 1 && values.get(0) instanceof String value) {
            return value;
        }
        return null;
    }

    private static String nonBlank(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
