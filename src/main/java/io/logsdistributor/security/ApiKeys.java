package io.logsdistributor.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An immutable set of API keys, looked up by the SHA-256 of the key a client presents. */
public final class ApiKeys {

    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, ApiKey> byDigest;

    private ApiKeys(Map<String, ApiKey> byDigest) {
        this.byDigest = byDigest;
    }

    /** Keys with the same digest are one key: the file parser refuses duplicates before this. */
    public static ApiKeys of(List<ApiKey> keys) {
        return new ApiKeys(keys.stream().collect(Collectors.toUnmodifiableMap(k -> HEX.formatHex(k.sha256()),
                Function.identity())));
    }

    public int size() {
        return byDigest.size();
    }

    /** The entry whose key was presented, or null. */
    public ApiKey find(String presented) {
        byte[] digest = sha256(presented);
        // The hash lookup's timing depends on the digest of the guess, never on how much of the secret
        // key the guess shares: SHA-256 scatters near-misses, so timing cannot guide a guess towards
        // the key. The digests themselves are then compared in constant time.
        ApiKey candidate = byDigest.get(HEX.formatHex(digest));
        return candidate != null && MessageDigest.isEqual(candidate.sha256(), digest) ? candidate : null;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
