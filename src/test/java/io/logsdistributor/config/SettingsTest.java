package io.logsdistributor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.queue.FsyncPolicy;
import io.logsdistributor.queue.KafkaSettings;
import io.logsdistributor.queue.QueueSettings;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void theBundledDefaultsAreValid() throws Exception {
        Properties defaults = bundled();
        Settings settings = Settings.load(defaults::getProperty);
        assertThat(settings.queue().capacity()).isEqualTo(10_000);
        assertThat(settings.queue().maxBytes()).isEqualTo(128L << 20);
        assertThat(settings.queue().store()).isEqualTo(QueueSettings.Store.DISK);
        assertThat(settings.queue().fsync()).isEqualTo(FsyncPolicy.INTERVAL);
        assertThat(settings.queue().fsyncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.queue().dir()).isEqualTo(Path.of("data", "queue"));
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

    @Test
    void anUnknownQueueStoreOrFsyncPolicyIsRefusedWithTheChoices() throws Exception {
        Properties props = bundled();
        props.setProperty("distributor.queue.store", "tape");
        assertThatThrownBy(() -> Settings.load(props::getProperty)).isInstanceOf(ConfigException.class)
                .hasMessage("property distributor.queue.store (env DISTRIBUTOR_QUEUE_STORE): 'tape' is not one of disk, memory, kafka");
        props.setProperty("distributor.queue.store", "Memory");
        props.setProperty("distributor.queue.fsync", "sometimes");
        assertThatThrownBy(() -> Settings.load(props::getProperty))
                .hasMessage("property distributor.queue.fsync (env DISTRIBUTOR_QUEUE_FSYNC): 'sometimes' is not one of "
                        + "interval, always, never");
        props.setProperty("distributor.queue.fsync", "always");
        props.setProperty("distributor.queue.dir", "/var/spool/queue");
        Settings settings = Settings.load(props::getProperty);
        assertThat(settings.queue().store()).isEqualTo(QueueSettings.Store.MEMORY);
        assertThat(settings.queue().dir()).isEqualTo(Path.of("/var/spool/queue"));
    }

    @Test
    void theKafkaStoreReadsItsSettingsOnlyWhenChosen() throws Exception {
        Properties props = bundled();
        props.setProperty("distributor.kafka.partitions", "none");
        assertThat(Settings.load(props::getProperty).queue().kafka()).as("not read for the disk store").isNull();
        props.setProperty("distributor.queue.store", "kafka");
        assertThatThrownBy(() -> Settings.load(props::getProperty))
                .hasMessage("property distributor.kafka.partitions (env DISTRIBUTOR_KAFKA_PARTITIONS): 'none' is not a whole number");
        props.setProperty("distributor.kafka.partitions", "24");
        props.setProperty("distributor.kafka.bootstrap-servers", "kafka-0:9092,kafka-1:9092");
        KafkaSettings kafka = Settings.load(props::getProperty).queue().kafka();
        assertThat(kafka).isEqualTo(new KafkaSettings("kafka-0:9092,kafka-1:9092", "logs-distributor.packets",
                "logs-distributor", 24, -1, Duration.ofSeconds(5), (1 << 20) + 16 * 1024));
        props.setProperty("distributor.kafka.bootstrap-servers", " ");
        assertThatThrownBy(() -> Settings.load(props::getProperty)).hasMessage(
                "property distributor.kafka.bootstrap-servers (env DISTRIBUTOR_KAFKA_BOOTSTRAP_SERVERS): required");
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
