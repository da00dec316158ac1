package io.logsdistributor.analyzer;

import io.logsdistributor.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads and validates analyzers.yaml (contract §2). Every problem is reported as one line naming
 * the file, the field and what is wrong, because a typo in a weight must not pass silently.
 */
public final class AnalyzersFile {

    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Set<String> KEYS = Set.of("id", "url", "weight", "health-url");

    private AnalyzersFile() {
    }

    public static List<AnalyzerSpec> load(Path file) {
        return parse(read(file), file.toString());
    }

    /** The file's text; an unreadable file is a one-line configuration error. */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read analyzers file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    public static List<AnalyzerSpec> parse(String yaml, String source) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build())
                    .loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new ConfigException(source + ": must be a mapping with the key 'analyzers'");
        }
        for (Object key : top.keySet()) {
            if (!"analyzers".equals(key)) {
                throw new ConfigException(source + ": " + key + ": unknown key (expected 'analyzers')");
            }
        }
        if (!(top.get("analyzers") instanceof List<?> entries) || entries.isEmpty()) {
            throw new ConfigException(source + ": analyzers: must be a non-empty list");
        }
        List<AnalyzerSpec> specs = new ArrayList<>(entries.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = source + ": analyzers[" + i + "]";
            AnalyzerSpec spec = parseEntry(entries.get(i), where);
            if (!ids.add(spec.id())) {
                throw new ConfigException(where + ".id: duplicate id '" + spec.id() + "'");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    private static AnalyzerSpec parseEntry(Object entry, String where) {
        if (!(entry instanceof Map<?, ?> map)) {
            throw new ConfigException(where + ": must be a mapping with id, url and weight");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException(where + "." + key + ": unknown key (expected one of id, url, weight, health-url)");
            }
        }
        String id = requiredString(map, "id", where);
        if (!ID.matcher(id).matches()) {
            throw new ConfigException(where + ".id: '" + id + "' must be 1-64 characters of [a-z0-9-]");
        }
        URI url = httpUrl(requiredString(map, "url", where), where + ".url");
        Object rawWeight = map.get("weight");
        if (rawWeight == null) {
            throw new ConfigException(where + ".weight: required");
        }
        if (!(rawWeight instanceof Number number)) {
            throw new ConfigException(where + ".weight: '" + rawWeight + "' is not a number");
        }
        double weight = number.doubleValue();
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new ConfigException(where + ".weight: " + rawWeight + " must be a finite number > 0");
        }
        URI healthUrl = map.containsKey("health-url")
                ? httpUrl(requiredString(map, "health-url", where), where + ".health-url")
                : url.resolve("/health");
        return new AnalyzerSpec(id, url, weight, healthUrl);
    }

    private static String requiredString(Map<?, ?> map, String key, String where) {
        Object value = map.get(key);
        if (value == null) {
            throw new ConfigException(where + "." + key + ": required");
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw new ConfigException(where + "." + key + ": must be a non-empty string");
        }
        return s.trim();
    }

    private static URI httpUrl(String text, String where) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(where + ": '" + text + "' is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new ConfigException(where + ": '" + text + "' must be an http:// or https:// URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException(where + ": '" + text + "' must not carry credentials");
        }
        return uri;
    }
}
