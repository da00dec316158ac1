package io.logsdistributor.security;

import io.logsdistributor.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads and validates the API keys file (contract §7). Every problem is one line naming the file and
 * the field. Values of {@code sha256} are never repeated in a message: someone may have pasted a key
 * there by mistake, and messages end up in logs.
 */
public final class ApiKeysFile {

    static final int MAX_AGENT_LENGTH = 128;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern ROLE_LIKE = Pattern.compile("[A-Za-z_-]{1,32}");
    private static final Set<String> KEYS = Set.of("agent", "role", "sha256", "rate");
    private static final Set<String> RATE_KEYS = Set.of("packets-per-second", "messages-per-second");

    private ApiKeysFile() {
    }

    public static ApiKeys load(Path file) {
        return parse(read(file), file.toString());
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read API keys file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    public static ApiKeys parse(String yaml, String source) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build())
                    .loadFromString(yaml);
        } catch (MarkedYamlEngineException e) {
            // the problem and its position only: snakeyaml's full message quotes the offending line
            String at = e.getProblemMark().map(m -> " at line " + (m.getLine() + 1) + " column " + (m.getColumn() + 1))
                    .orElse("");
            throw new ConfigException(source + ": not valid YAML" + at + ": " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ConfigException(source + ": not valid YAML");
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new ConfigException(source + ": must be a mapping with the key 'keys'");
        }
        for (Object key : top.keySet()) {
            if (!"keys".equals(key)) {
                throw new ConfigException(source + ": " + key + ": unknown key (expected 'keys')");
            }
        }
        if (!(top.get("keys") instanceof List<?> entries) || entries.isEmpty()) {
            throw new ConfigException(source + ": keys: must be a non-empty list");
        }
        List<ApiKey> keys = new ArrayList<>(entries.size());
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = source + ": keys[" + i + "]";
            ApiKey key = parseEntry(entries.get(i), where);
            if (!digests.add(HexFormat.of().formatHex(key.sha256()))) {
                throw new ConfigException(where + ".sha256: the same key is listed twice");
            }
            keys.add(key);
        }
        return ApiKeys.of(keys);
    }

    private static ApiKey parseEntry(Object entry, String where) {
        if (!(entry instanceof Map<?, ?> map)) {
            throw new ConfigException(where + ": must be a mapping with sha256 and agent (or role: operator)");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException(where + "." + key + ": unknown key (expected one of agent, role, sha256, rate)");
            }
        }
        Role role = role(map.get("role"), where + ".role");
        String agent = role == Role.OPERATOR ? noAgent(map, where) : agent(map.get("agent"), where + ".agent");
        Object sha256 = map.get("sha256");
        if (sha256 == null) {
            throw new ConfigException(where + ".sha256: required");
        }
        if (!(sha256 instanceof String hex) || !SHA256_HEX.matcher(hex).matches()) {
            throw new ConfigException(where + ".sha256: must be the 64 hex characters of the key's SHA-256 "
                    + "(printf %s \"$KEY\" | sha256sum), never the key itself");
        }
        RateLimit rate = map.containsKey("rate") ? rate(map.get("rate"), where + ".rate") : null;
        return new ApiKey(agent, HexFormat.of().parseHex(hex.toLowerCase()), rate, role);
    }

    /** Absent means agent: files written before roles existed hold agent keys only. */
    private static Role role(Object value, String where) {
        if (value == null) {
            return Role.AGENT;
        }
        for (Role role : Role.values()) {
            if (role.fileValue().equals(value)) {
                return role;
            }
        }
        // echoed only when it looks like a misspelt word: a key pasted in the wrong place must not reach a log
        String shown = value instanceof String text && ROLE_LIKE.matcher(text).matches() ? "'" + text + "' " : "";
        throw new ConfigException(where + ": " + shown + "is not a role (expected agent or operator)");
    }

    private static String agent(Object agent, String where) {
        if (!(agent instanceof String name) || name.isBlank()) {
            throw new ConfigException(where + ": " + (agent == null
                    ? "required (or role: operator for an operator key)" : "must be a non-empty string"));
        }
        if (name.length() > MAX_AGENT_LENGTH) {
            throw new ConfigException(where + ": longer than " + MAX_AGENT_LENGTH + " characters");
        }
        return name;
    }

    /** An operator key acts for every agent: an agent next to it would suggest a binding that does not apply. */
    private static String noAgent(Map<?, ?> map, String where) {
        if (map.containsKey("agent")) {
            throw new ConfigException(where + ".agent: not allowed with role: operator (an operator key acts for "
                    + "every agent; give an agent its own key without role: operator)");
        }
        return null;
    }

    private static RateLimit rate(Object value, String where) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new ConfigException(where + ": must be a mapping with packets-per-second and/or messages-per-second");
        }
        for (Object key : map.keySet()) {
            if (!RATE_KEYS.contains(key)) {
                throw new ConfigException(where + "." + key
                        + ": unknown key (expected packets-per-second or messages-per-second)");
            }
        }
        return new RateLimit(perSecond(map.get("packets-per-second"), where + ".packets-per-second"),
                perSecond(map.get("messages-per-second"), where + ".messages-per-second"));
    }

    private static double perSecond(Object value, String where) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Number number)) {
            throw new ConfigException(where + ": '" + value + "' is not a number");
        }
        double rate = number.doubleValue();
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new ConfigException(where + ": " + value + " must be a finite number >= 0 (0 = unlimited)");
        }
        return rate;
    }
}
