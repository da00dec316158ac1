package io.logsdistributor.queue;

import io.logsdistributor.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * Camel's Kafka options from environment variables ({@code CAMEL_COMPONENT_KAFKA_SASL_JAAS_CONFIG} for
 * {@code camel.component.kafka.sasl-jaas-config}), as a Kubernetes Secret provides them. camel-main 4.18.0
 * documents this form but does not apply it (it compares the upper-case variable names with lower-case
 * prefixes), while properties files and {@code -D} system properties work; so the store applies them itself.
 */
final class KafkaEnvironment {

    static final String PREFIX = "CAMEL_COMPONENT_KAFKA_";

    private KafkaEnvironment() {
    }

    /** Sets the options the environment names on {@code configuration}; an unknown option stops start-up. */
    static void apply(CamelContext context, KafkaConfiguration configuration, Map<String, String> environment) {
        Map<String, Object> options = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                options.put(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-'), value);
            }
        });
        if (options.isEmpty()) {
            return;
        }
        Map<String, Object> unbound = new LinkedHashMap<>(options);
        PropertyBindingSupport.build().withCamelContext(context).withTarget(configuration).withProperties(unbound)
                .withIgnoreCase(true).withRemoveParameters(true).bind();
        if (!unbound.isEmpty()) {
            throw new ConfigException("environment " + String.join(", ", unbound.keySet().stream()
                    .map(option -> PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_')).toList())
                    + ": not an option of Camel's Kafka component (camel.component.kafka.*)");
        }
    }
}
