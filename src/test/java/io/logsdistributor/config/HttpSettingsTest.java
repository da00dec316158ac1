package io.logsdistributor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.http.HttpServerSettings;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The HTTP server's settings as read from the bundled defaults and overrides. */
class HttpSettingsTest {

    @Test
    void theDefaultsBoundMemoryForA512MibHeap() throws Exception {
        HttpServerSettings http = Settings.load(bundled()::getProperty).http();

        assertThat(http.maxConnections()).isEqualTo(4096);
        assertThat(http.maxInflightBodyBytes()).isEqualTo(64L << 20);
        assertThat(http.retryAfterSeconds()).isEqualTo(1);
        assertThat(http.tlsReloadInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBodyBudgetThatCannotHoldOneLargestBodyStopsStartUp() throws Exception {
        Properties props = bundled();
        props.setProperty("distributor.http.max-inflight-body-mib", "1");

        assertThatThrownBy(() -> Settings.load(props::getProperty)).isInstanceOf(ConfigException.class)
                .hasMessage("property distributor.http.max-inflight-body-mib (env DISTRIBUTOR_HTTP_MAX_INFLIGHT_BODY_MIB): 1 MiB "
                        + "is too small for bodies of distributor.max-body-bytes (1048576): large bodies may fill three "
                        + "quarters of it, which must hold at least one");
        props.setProperty("distributor.max-body-bytes", "700000");
        assertThat(Settings.load(props::getProperty).http().maxInflightBodyBytes()).isEqualTo(1L << 20);
    }

    private static Properties bundled() throws Exception {
        Properties props = new Properties();
        try (InputStream in = HttpSettingsTest.class.getResourceAsStream("/application.properties")) {
            props.load(in);
        }
        for (String key : props.stringPropertyNames()) {
            props.setProperty(key, props.getProperty(key).replaceAll("\\{\\{env:[A-Z_]+:([^}]*)}}", "$1"));
        }
        return props;
    }
}
