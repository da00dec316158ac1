package io.logsdistributor.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** A copy of the chart whose values.yaml has values files merged over it, as Helm merges -f files. */
final class ChartCopy {

    private ChartCopy() {
    }

    static Path withValues(Path chart, Path target, Path... valuesFiles) throws IOException {
        try (Stream<Path> files = Files.walk(chart)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(chart.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        Map<String, Object> values = load(chart.resolve("values.yaml"));
        for (Path file : valuesFiles) {
            values = merge(values, load(file));
        }
        Files.writeString(target.resolve("values.yaml"), new Dump(DumpSettings.builder().build()).dumpToString(values));
        return target;
    }

    /** Helm's rule: maps merge key by key, null removes a key, anything else in the override replaces the base. */
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, given) -> {
            Object old = merged.get(key);
            if (given == null) {
                merged.remove(key);
            } else if (old instanceof Map<?, ?> && given instanceof Map<?, ?>) {
                merged.put(key, merge(Yaml.map(old), Yaml.map(given)));
            } else {
                merged.put(key, given);
            }
        });
        return merged;
    }

    private static Map<String, Object> load(Path file) {
        try {
            Object root = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            return root == null ? Map.of() : Yaml.map(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
