package io.logsdistributor.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunTrackerTest {

    @Test
    void keepsTheLongestRunOfOneAnalyzerAcrossTheFleet() {
        RunTracker runs = new RunTracker();
        for (String id : new String[] {"a", "a", "b", "a", "a", "a", "b", "b"}) {
            runs.record(id);
        }
        assertThat(runs.longest()).isEqualTo(3);
        assertThat(runs.json()).isEqualTo(",\"longest_run\":3,\"longest_run_analyzer\":\"a\"");
    }
}
