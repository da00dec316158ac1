package io.logsdistributor.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaults() {
        LoadOptions o = LoadOptions.parse(new String[0]);
        assertThat(o.url()).hasToString("http://127.0.0.1:8080/ingest");
        assertThat(o.rateLimited()).isFalse();
        assertThat(o.connections()).isEqualTo(32);
        assertThat(o.packets()).isEqualTo(10_000);
        assertThat(o.byDuration()).isFalse();
        assertThat(o.warmupPackets()).isZero();
        assertThat(o.warmupSeconds()).isZero();
        assertThat(o.mix()).hasToString(MessageMix.DEFAULT);
        assertThat(o.messageBytes()).isEqualTo(200);
        assertThat(o.headers()).isEmpty();
        assertThat(o.forwardHeaders()).isFalse();
        assertThat(o.json()).isFalse();
        assertThat(o.afterWarmup()).isNull();
    }

    @Test
    void parsesEveryOptionInBothSpellings() {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--url", "https://logs.example.com:8443/ingest", "--rate=2500", "--connections", "8",
            "--duration", "2m", "--warmup", "10s", "--mix", "1:5", "--message-bytes", "300", "--pool=64",
            "--agents", "3", "--header", "Authorization: Bearer abc:def", "--header", "X-Tenant:t1",
            "--forward-headers", "--json", "--event-loops", "3", "--timeout", "500ms", "--seed", "9",
            "--after-warmup", "sleep 1"});
        assertThat(o.url().getPort()).isEqualTo(8443);
        assertThat(o.rate()).isEqualTo(2500);
        assertThat(o.rateLimited()).isTrue();
        assertThat(o.connections()).isEqualTo(8);
        assertThat(o.byDuration()).isTrue();
        assertThat(o.durationSeconds()).isEqualTo(120);
        assertThat(o.warmupSeconds()).isEqualTo(10);
        assertThat(o.warmupPackets()).isZero();
        assertThat(o.mix()).hasToString("1:5");
        assertThat(o.messageBytes()).isEqualTo(300);
        assertThat(o.poolSize()).isEqualTo(64);
        assertThat(o.agents()).isEqualTo(3);
        assertThat(o.headers()).hasSize(2);
        assertThat(o.headers().get(0)).containsExactly("Authorization", "Bearer abc:def");
        assertThat(o.headers().get(1)).containsExactly("X-Tenant", "t1");
        assertThat(o.forwardHeaders()).isTrue();
        assertThat(o.json()).isTrue();
        assertThat(o.eventLoops()).isEqualTo(3);
        assertThat(o.timeoutSeconds()).isEqualTo(0.5);
        assertThat(o.seed()).isEqualTo(9);
        assertThat(o.afterWarmup()).isEqualTo("sleep 1");
    }

    @Test
    void warmupIsPacketsUnlessGivenAsTime() {
        assertThat(LoadOptions.parse(new String[] {"--warmup", "5000"}).warmupPackets()).isEqualTo(5000);
        assertThat(LoadOptions.parse(new String[] {"--warmup", "5000"}).warmupSeconds()).isZero();
        assertThat(LoadOptions.parse(new String[] {"--warmup", "1.5s"}).warmupSeconds()).isEqualTo(1.5);
        assertThat(LoadOptions.parse(new String[] {"--warmup", "1m"}).warmupSeconds()).isEqualTo(60);
    }

    @Test
    void durations() {
        assertThat(LoadOptions.seconds("--x", "30", false)).isEqualTo(30);
        assertThat(LoadOptions.seconds("--x", "30s", false)).isEqualTo(30);
        assertThat(LoadOptions.seconds("--x", "250ms", false)).isEqualTo(0.25);
        assertThat(LoadOptions.seconds("--x", "1h", false)).isEqualTo(3600);
        assertThatThrownBy(() -> LoadOptions.seconds("--x", "0s", false)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> LoadOptions.seconds("--x", "soon", false)).hasMessageContaining("not a duration");
    }

    @Test
    void rejectsBadInputNamingTheOption() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--packets", "10", "--duration", "5s"}))
                .hasMessageContaining("--packets and --duration");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--bogus", "1"})).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rate"})).hasMessageContaining("--rate: missing value");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--rate", "-5"})).hasMessageContaining("--rate");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--connections", "0"})).hasMessageContaining("--connections");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--packets", "many"})).hasMessageContaining("--packets");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "ftp://x/y"})).hasMessageContaining("--url");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--header", "NoColon"})).hasMessageContaining("--header");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--mix", "1:0"})).hasMessageContaining("--mix");
    }
}
