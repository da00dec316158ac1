package io.logsdistributor.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.config.ConfigException;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.junit.jupiter.api.Test;

class KafkaEnvironmentTest {

    @Test
    void camelKafkaOptionsComeFromTheEnvironmentAsASecretSetsThem() {
        KafkaConfiguration configuration = new KafkaConfiguration();
        KafkaEnvironment.apply(new DefaultCamelContext(), configuration, Map.of(
                "CAMEL_COMPONENT_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "CAMEL_COMPONENT_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "CAMEL_COMPONENT_KAFKA_SESSIONTIMEOUTMS", "6000",
                "PATH", "/usr/bin"));
        assertThat(configuration.getSecurityProtocol()).isEqualTo("SASL_SSL");
        assertThat(configuration.getSaslJaasConfig()).startsWith("org.apache.kafka.common.security.scram");
        assertThat(configuration.getSessionTimeoutMs()).isEqualTo(6000);
        assertThat(configuration.createConsumerProperties().get("session.timeout.ms")).hasToString("6000");
    }

    @Test
    void anUnknownOptionStopsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> KafkaEnvironment.apply(new DefaultCamelContext(), new KafkaConfiguration(),
                Map.of("CAMEL_COMPONENT_KAFKA_SESION_TIMEOUT_MS", "6000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CAMEL_COMPONENT_KAFKA_SESION_TIMEOUT_MS: not an option");
    }
}
