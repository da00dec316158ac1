package io.logsdistributor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayOptionsTest {

    @Test
    void defaultsAndEveryOption() {
        ReplayOptions defaults = ReplayOptions.parse(new String[] {"dl.jsonl"});
        assertThat(defaults).isEqualTo(new ReplayOptions(Path.of("dl.jsonl"), URI.create("http://127.0.0.1:8080/ingest"),
                java.util.List.of(), Duration.ofSeconds(60)));

        ReplayOptions all = ReplayOptions.parse(new String[] {"dl.jsonl", "--url", "https://d.example:8443/ingest",
            "--header", "X-API-Key: k:1", "--header", "X-Tenant:t", "--max-wait-s", "5"});
        assertThat(all.url()).isEqualTo(URI.create("https://d.example:8443/ingest"));
        assertThat(all.headers()).containsExactly(new ReplayOptions.Header("X-API-Key", "k:1"),
                new ReplayOptions.Header("X-Tenant", "t"));
        assertThat(all.maxWait()).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--url                               | usage: replay FILE",
        "dl.jsonl --url                      | replay: --url needs a value",
        "dl.jsonl --wait 5                   | replay: unknown option --wait",
        "dl.jsonl --max-wait-s -1            | replay: --max-wait-s -1: must be a whole number of seconds from 0 to 86400",
        "dl.jsonl --max-wait-s soon          | replay: --max-wait-s soon: must be a whole number",
        "dl.jsonl --url ftp://h/ingest       | replay: --url ftp://h/ingest: must be an http:// or https:// URL",
        "dl.jsonl --header novalue           | replay: --header must look like 'Name: value'",
        "dl.jsonl --header Host:x            | replay: --header Host: restricted header name",
    })
    void aBadCommandLineIsOneClearLine(String args, String message) {
        assertThatThrownBy(() -> ReplayOptions.parse(args.split(" ")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }
}
