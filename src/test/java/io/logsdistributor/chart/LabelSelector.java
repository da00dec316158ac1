package io.logsdistributor.chart;

import java.util.List;
import java.util.Map;

/** Kubernetes label selector semantics (matchLabels and matchExpressions), to tell what a selector picks. */
final class LabelSelector {

    private LabelSelector() {
    }

    static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
        Object matchLabels = selector.get("matchLabels");
        if (matchLabels != null && !labels.entrySet().containsAll(Yaml.map(matchLabels).entrySet())) {
            return false;
        }
        Object expressions = selector.get("matchExpressions");
        return expressions == null || Yaml.list(expressions).stream().map(Yaml::map).allMatch(e -> holds(e, labels));
    }

    private static boolean holds(Map<String, Object> expression, Map<String, Object> labels) {
        Object value = labels.get((String) expression.get("key"));
        List<Object> values = expression.get("values") == null ? List.of() : Yaml.list(expression.get("values"));
        return switch ((String) expression.get("operator")) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("unknown selector operator in " + expression);
        };
    }
}
