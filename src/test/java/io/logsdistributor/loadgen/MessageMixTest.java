package io.logsdistributor.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MessageMixTest {

    @Test
    void parsesTheDefaultMix() {
        MessageMix mix = MessageMix.parse(MessageMix.DEFAULT);
        assertThat(mix.ranges()).containsExactly(
                new MessageMix.Range(55, 1, 3), new MessageMix.Range(35, 4, 20), new MessageMix.Range(10, 21, 100));
        assertThat(mix.maxMessages()).isEqualTo(100);
        assertThat(mix.meanMessages()).isCloseTo(0.55 * 2 + 0.35 * 12 + 0.10 * 60.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(mix).hasToString(MessageMix.DEFAULT);
    }

    @Test
    void acceptsSingleCountsSpacesAndUnnormalisedWeights() {
        MessageMix mix = MessageMix.parse(" 1:5 , 3 : 7-9 ");
        assertThat(mix.ranges()).containsExactly(new MessageMix.Range(1, 5, 5), new MessageMix.Range(3, 7, 9));
        assertThat(mix).hasToString("1:5,3:7-9");
    }

    @Test
    void rejectsMalformedSpecsNamingThePart() {
        assertThatThrownBy(() -> MessageMix.parse("")).hasMessageContaining("--mix");
        assertThatThrownBy(() -> MessageMix.parse("55")).hasMessageContaining("'55'");
        assertThatThrownBy(() -> MessageMix.parse("55:1-3,x:4-5")).hasMessageContaining("'x:4-5'");
        assertThatThrownBy(() -> MessageMix.parse("0:1-3")).hasMessageContaining("weight");
        assertThatThrownBy(() -> MessageMix.parse("-1:1-3")).hasMessageContaining("weight");
        assertThatThrownBy(() -> MessageMix.parse("1:0-3")).hasMessageContaining("1 <= min <= max");
        assertThatThrownBy(() -> MessageMix.parse("1:5-3")).hasMessageContaining("1 <= min <= max");
        assertThatThrownBy(() -> MessageMix.parse("1:a-b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void drawsFollowTheWeightsAndStayInTheirRanges() {
        MessageMix mix = MessageMix.parse(MessageMix.DEFAULT);
        SplittableRandom random = new SplittableRandom(7);
        int draws = 200_000;
        int[] byRange = new int[3];
        long total = 0;
        int[] seen = new int[101];
        for (int i = 0; i < draws; i++) {
            int n = mix.next(random);
            assertThat(n).isBetween(1, 100);
            seen[n]++;
            total += n;
            byRange[n <= 3 ? 0 : n <= 20 ? 1 : 2]++;
        }
        // binomial standard deviation at these sizes is ~0.1 point: 1 point of slack is far outside chance
        assertThat(byRange[0] / (double) draws).isBetween(0.54, 0.56);
        assertThat(byRange[1] / (double) draws).isBetween(0.34, 0.36);
        assertThat(byRange[2] / (double) draws).isBetween(0.09, 0.11);
        assertThat(total / (double) draws).isBetween(mix.meanMessages() * 0.97, mix.meanMessages() * 1.03);
        // every value of every range comes up, including both bounds
        for (int n = 1; n <= 100; n++) {
            assertThat(seen[n]).as("count %d drawn", n).isPositive();
        }
    }

    @Test
    void aSingleCountRangeAlwaysGivesThatCount() {
        MessageMix mix = MessageMix.parse("1:42");
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(mix.next(random)).isEqualTo(42);
        }
    }
}
