package io.logsdistributor.analyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalyzersFileTest {

    @Test
    void readsTheBundledFile() {
        List<AnalyzerSpec> specs = AnalyzersFile.load(Path.of("analyzers.yaml"));
        assertThat(specs).extracting(AnalyzerSpec::id).containsExactly("analyzer-1", "analyzer-2", "analyzer-3", "analyzer-4");
        assertThat(specs).extracting(AnalyzerSpec::weight).containsExactly(0.4, 0.3, 0.2, 0.1);
        assertThat(specs.get(0).healthUrl()).isEqualTo(URI.create("http://127.0.0.1:9001/health"));
    }

    @Test
    void keepsAnExplicitHealthUrlAndIntegerWeights() {
        List<AnalyzerSpec> specs = AnalyzersFile.parse("""
                analyzers:
                  - id: a
                    url: https://analyzer.example:8443/v1/ingest
                    weight: 3
                    health-url: https://analyzer.example:8443/v1/ready
                """, "t.yaml");
        assertThat(specs.get(0).weight()).isEqualTo(3.0);
        assertThat(specs.get(0).healthUrl()).hasPath("/v1/ready");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "analyzers: []                                                 | t.yaml: analyzers: must be a non-empty list",
        "analyzer: []                                                  | t.yaml: analyzer: unknown key",
        "analyzers: [{id: a, url: 'http://h/i', weight: 0}]            | t.yaml: analyzers[0].weight: 0 must be a finite number > 0",
        "analyzers: [{id: a, url: 'http://h/i', weight: -1}]           | t.yaml: analyzers[0].weight: -1 must be",
        "analyzers: [{id: a, url: 'http://h/i', weight: heavy}]        | t.yaml: analyzers[0].weight: 'heavy' is not a number",
        "analyzers: [{id: a, url: 'http://h/i'}]                       | t.yaml: analyzers[0].weight: required",
        "analyzers: [{id: a, url: 'ftp://h/i', weight: 1}]             | t.yaml: analyzers[0].url: 'ftp://h/i' must be an http:// or https:// URL",
        "analyzers: [{id: A_1, url: 'http://h/i', weight: 1}]          | t.yaml: analyzers[0].id: 'A_1' must be 1-64 characters of [a-z0-9-]",
        "analyzers: [{id: a, url: 'http://h/i', weight: 1, wieght: 2}] | t.yaml: analyzers[0].wieght: unknown key",
        "analyzers: [{id: a, url: 'http://h/i', weight: 1}, {id: a, url: 'http://h/j', weight: 1}] | t.yaml: analyzers[1].id: duplicate id 'a'",
        "analyzers: [{id: a, url: 'http://h/i', weight: .nan}]         | t.yaml: analyzers[0].weight: NaN must be",
        "'analyzers: [ {'                                              | t.yaml: not valid YAML",
    })
    void rejectsWithOneLineNamingFileFieldAndProblem(String yaml, String expected) {
        assertThatThrownBy(() -> AnalyzersFile.parse(yaml, "t.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> AnalyzersFile.load(Path.of("no-such-analyzers.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("no-such-analyzers.yaml: cannot read analyzers file");
    }
}
