package io.logsdistributor.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageShareSelectorTest {

    private static final double[] DEMO = {0.4, 0.3, 0.2, 0.1};
    private static final double[] SKEWED = {0.97, 0.01, 0.01, 0.01};
    private static final boolean[] ALL = {true, true, true, true};

    static List<double[]> weightSets() {
        return List.of(DEMO, SKEWED, new double[] {5, 1}, new double[] {1, 1, 1}, new double[] {3, 2, 7, 1, 9, 4});
    }

    @ParameterizedTest
    @MethodSource("weightSets")
    void randomSizesStayWithinOnePacketOfTheTargetAtEveryStep(double[] weights) {
        Random random = new Random(42);
        Deviation deviation = run(weights, 200_000, i -> 1 + random.nextInt(100));
        // contract §5: less than M ahead; for random sizes also less than M behind
        assertThat(deviation.maxAhead).isLessThan(100);
        assertThat(deviation.maxBehind).isLessThan(100);
    }

    @ParameterizedTest
    @MethodSource("weightSets")
    void adversarialSizesStayWithinTheContractBound(double[] weights) {
        int n = weights.length;
        List<IntUnaryOperator> patterns = List.of(
                i -> i % 2 == 0 ? 100 : 1,                     // alternate largest and smallest
                i -> i % 10 == 9 ? 100 : 1,                    // a large packet after every nine small ones
                i -> (i / 1000) % 2 == 0 ? 1 : 100,            // long runs of each
                i -> i % n == 0 ? 100 : 1,                     // large packets in step with the analyzer count
                i -> 1 + (i * 37) % 100);                      // a sawtooth of every size
        for (IntUnaryOperator sizes : patterns) {
            Deviation deviation = run(weights, 50_000, sizes);
            assertThat(deviation.maxAhead).as("ahead").isLessThan(100);
            assertThat(deviation.maxBehind).as("behind").isLessThanOrEqualTo((n - 1) * 100.0);
        }
    }

    @Test
    void equalSizedPacketsFollowTheWeightsExactlyOverAFullCycle() {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        int[] picks = new int[4];
        for (int i = 0; i < 1000; i++) {
            picks[selector.pick(1, ALL)]++;
        }
        assertThat(picks).containsExactly(400, 300, 200, 100);
    }

    @Test
    void concurrentPickersGetExactTotalsAndTheSameBounds() throws Exception {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        int threads = 32;
        int perThread = 5_000;
        AtomicLongArray received = new AtomicLongArray(4);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        long[] sentByThread = new long[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread worker = new Thread(() -> {
                Random random = new Random(id);
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    int size = 1 + random.nextInt(100);
                    received.addAndGet(selector.pick(size, ALL), size);
                    sentByThread[id] += size;
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long total = Arrays.stream(sentByThread).sum();
        long counted = 0;
        double[] credits = selector.credits();
        for (int i = 0; i < 4; i++) {
            counted += received.get(i);
            // the selector's own ledger agrees with what the pickers were handed
            assertThat(credits[i]).isCloseTo(DEMO[i] * total - received.get(i), org.assertj.core.data.Offset.offset(1e-3));
            assertThat(received.get(i) - DEMO[i] * total).isLessThan(100).isGreaterThan(-100);
        }
        assertThat(counted).isEqualTo(total);
    }

    @Test
    void anAnalyzerThatReturnsStartsLevelWithoutACatchUpBurst() {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            selector.pick(1 + random.nextInt(100), ALL);
        }
        boolean[] withoutFirst = {false, true, true, true};
        for (int i = 0; i < 10_000; i++) {
            assertThat(selector.pick(1 + random.nextInt(100), withoutFirst)).isNotZero();
        }
        // back in: over any window its messages stay within one packet of its share of that window
        long windowMessages = 0;
        long firstMessages = 0;
        int longestRun = 0;
        int run = 0;
        for (int i = 0; i < 2_000; i++) {
            int size = 1 + random.nextInt(100);
            int pick = selector.pick(size, ALL);
            windowMessages += size;
            if (pick == 0) {
                firstMessages += size;
                longestRun = Math.max(longestRun, ++run);
            } else {
                run = 0;
            }
            assertThat(firstMessages - 0.4 * windowMessages).isLessThan(100);
        }
        assertThat((double) firstMessages / windowMessages).isCloseTo(0.4, org.assertj.core.data.Offset.offset(0.02));
        assertThat(longestRun).isLessThanOrEqualTo(4);
    }

    @Test
    void sharesRenormaliseOverTheEligibleAnalyzers() {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        boolean[] firstAndThird = {true, false, true, false};
        long[] received = new long[4];
        for (int i = 0; i < 6_000; i++) {
            received[selector.pick(1, firstAndThird)]++;
        }
        assertThat(selector.shares()).containsExactly(new double[] {2.0 / 3, 0, 1.0 / 3, 0}, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(received).containsExactly(4_000, 0, 2_000, 0);
    }

    @Test
    void aRefundUndoesThePickSoCountsTrackDeliveredMessages() {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        double[] before = selector.credits();
        int pick = selector.pick(40, ALL);
        selector.refund(pick, 40, ALL);
        assertThat(selector.credits()).containsExactly(before, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void refundingAnAnalyzerThatLeftChangesNothingForTheOthers() {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        int pick = selector.pick(40, ALL);
        boolean[] without = ALL.clone();
        without[pick] = false;
        selector.pick(1, without);
        double[] before = selector.credits();
        selector.refund(pick, 40, without);
        assertThat(selector.credits()).containsExactly(before, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Arrays.stream(selector.credits()).sum()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aRetryNeverGoesToAnExcludedAnalyzerAndLeavesTheLedgerBalanced() {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        Random random = new Random(11);
        boolean[] exclude = new boolean[4];
        for (int i = 0; i < 20_000; i++) {
            int size = 1 + random.nextInt(100);
            int first = selector.pick(size, ALL);
            if (i % 10 == 0) {
                // the first attempt failed: refund it and retry elsewhere, as the balancer does
                selector.refund(first, size, ALL);
                exclude[first] = true;
                assertThat(selector.pick(size, ALL, exclude)).isNotEqualTo(first);
                exclude[first] = false;
            }
            assertThat(Arrays.stream(selector.credits()).sum()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(selector.pick(5, ALL, new boolean[] {true, true, true, true})).isEqualTo(-1);
        // exclusions shift single packets, never the shares: every credit stays within the contract's bounds
        for (double credit : selector.credits()) {
            assertThat(credit).isBetween(-100.0, 3 * 100.0);
        }
    }

    @Test
    void noEligibleAnalyzerMeansNoPick() {
        MessageShareSelector selector = new MessageShareSelector(DEMO);
        assertThat(selector.pick(5, new boolean[4])).isEqualTo(-1);
    }

    private static Deviation run(double[] weights, int packets, IntUnaryOperator sizes) {
        MessageShareSelector selector = new MessageShareSelector(weights);
        double total = Arrays.stream(weights).sum();
        boolean[] all = new boolean[weights.length];
        Arrays.fill(all, true);
        long[] received = new long[weights.length];
        long sent = 0;
        Deviation d = new Deviation();
        for (int i = 0; i < packets; i++) {
            int size = sizes.applyAsInt(i);
            received[selector.pick(size, all)] += size;
            sent += size;
            for (int a = 0; a < weights.length; a++) {
                double diff = received[a] - weights[a] / total * sent;
                d.maxAhead = Math.max(d.maxAhead, diff);
                d.maxBehind = Math.max(d.maxBehind, -diff);
            }
        }
        return d;
    }

    private static final class Deviation {
        double maxAhead;
        double maxBehind;
    }
}
