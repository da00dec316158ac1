package io.logsdistributor.chart;

import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML, failing with the path when the shape is not the expected one. */
final class Yaml {

    private Yaml() {
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (int i = 0; i < path.length; i++) {
            if (!(current instanceof Map<?, ?> map)) {
                throw new AssertionError("not a mapping at " + String.join(".", List.of(path).subList(0, i)));
            }
            current = map.get(path[i]);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError("expected a mapping, got " + node);
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        if (!(node instanceof List<?>)) {
            throw new AssertionError("expected a list, got " + node);
        }
        return (List<Object>) node;
    }
}
