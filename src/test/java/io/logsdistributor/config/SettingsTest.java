package io.logsdistributor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void theBundledDefaultsAreValid() throws Exception {
        Properties defaults = bundled();
        Settings settings = Settings.load(defaults::getProperty);
        assertThat(settings.queueCapacity()).isEqualTo(10_000);
        assertThat(settings.queueMaxBytes()).isEqualTo(128L << 20);
        assertThat(settings.healthInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.healthTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.unhealthyAfter()).isEqualTo(2);
        assertThat(settings.healthyAfter()).isEqualTo(1);
        assertThat(settings.maxMessagesPerPacket()).isEqualTo(10_000);
        assertThat(settings.maxBodyBytes()).isEqualTo(1 << 20);
    }

    @Test
    void aBadValueNamesThePropertyAndItsEnvironmentVariable() throws Exception {
        Properties props = bundled();
        props.setProperty("distributor.queue.capacity", "lots");
        assertThatThrownBy(() -> Settings.load(props::getProperty)).isInstanceOf(ConfigException.class)
                .hasMessage("property distributor.queue.capacity (env DISTRIBUTOR_QUEUE_CAPACITY): 'lots' is not a whole number");
        props.setProperty("distributor.queue.capacity", "0");
        assertThatThrownBy(() -> Settings.load(props::getProperty))
                .hasMessageContaining("0 is out of range 1..10000000");
    }

    private static Properties bundled() throws Exception {
        Properties props = new Properties();
        try (InputStream in = SettingsTest.class.getResourceAsStream("/application.properties")) {
            props.load(in);
        }
        // resolve Camel's {{env:NAME:default}} placeholders as Camel does when the variable is unset
        for (String key : props.stringPropertyNames()) {
            props.setProperty(key, props.getProperty(key).replaceAll("\\{\\{env:[A-Z_]+:([^}]*)}}", "$1"));
        }
        return props;
    }
}
