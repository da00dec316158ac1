package io.logsdistributor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldNamesTest {

    @Test
    void refusesARepeatedNameBeforeAndAfterItOutgrowsTheScan() {
        FieldNames names = new FieldNames();
        for (int i = 0; i < 20; i++) {
            assertThat(names.add("f" + i)).as("first f%d", i).isTrue();
            for (int j = 0; j <= i; j++) {
                assertThat(names.add("f" + j)).as("f%d again after %d names", j, i + 1).isFalse();
            }
        }
    }

    @Test
    void comparesByValueNotByIdentity() {
        FieldNames names = new FieldNames();
        assertThat(names.add(new String("level"))).isTrue();
        assertThat(names.add(new String("level"))).isFalse();
    }
}
