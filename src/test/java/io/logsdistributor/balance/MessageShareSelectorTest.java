package io.logsdistributor.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntUnaryOperator;
import org.assertj.core.data.Offset;
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
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
        int[] picks = new int[4];
        for (int i = 0; i < 1000; i++) {
            picks[selector.pick(1, ALL)]++;
        }
        assertThat(picks).containsExactly(400, 300, 200, 100);
    }

    @Test
    void concurrentPickersGetExactTotalsAndTheSameBounds() throws Exception {
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
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
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
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
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
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
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
        double[] before = selector.credits();
        int pick = selector.pick(40, ALL);
        selector.refund(pick, 40, ALL);
        assertThat(selector.credits()).containsExactly(before, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void refundingAnAnalyzerThatLeftChangesNothingForTheOthers() {
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
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
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
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
        assertThat(selector.pick(5, ALL, new boolean[] {true, true, true, true})).isEqualTo(MessageShareSelector.ALL_EXCLUDED);
        // exclusions shift single packets, never the shares: every credit stays within the contract's bounds
        for (double credit : selector.credits()) {
            assertThat(credit).isBetween(-100.0, 3 * 100.0);
        }
    }

    @Test
    void noEligibleAnalyzerMeansNoPick() {
        MessageShareSelector selector = MessageShareSelector.of(DEMO);
        assertThat(selector.pick(5, new boolean[4])).isEqualTo(-1);
    }

    /** A settable weight, as analyzers.yaml gives it, and a clock the tests move by hand. */
    private static final class Weighted implements MessageShareSelector.Member {
        volatile double weight;

        Weighted(double weight) {
            this.weight = weight;
        }

        @Override
        public double weight() {
            return weight;
        }
    }

    private static Weighted[] weighted(double... weights) {
        Weighted[] members = new Weighted[weights.length];
        for (int i = 0; i < weights.length; i++) {
            members[i] = new Weighted(weights[i]);
        }
        return members;
    }

    @Test
    void anAnalyzerThatRejoinsRampsFromATenthOfItsWeightToAllOfItOverTheSlowStartWindow() {
        AtomicLong now = new AtomicLong();
        MessageShareSelector<Weighted> selector = new MessageShareSelector<>(weighted(1, 1), 0, Duration.ofSeconds(10),
                now::get);
        boolean[] both = {true, true};
        selector.pick(1, both);
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        selector.pick(1, new boolean[] {true, false});
        // back at t = 60 s: 10 % of its weight, then linear to 100 % at t = 70 s
        selector.pick(1, both);
        assertThat(selector.shares()[1]).isCloseTo(0.1 / 1.1, Offset.offset(1e-9));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(selector.shares()[1]).isCloseTo(0.5 / 1.5, Offset.offset(1e-9));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(selector.shares()[1]).isCloseTo(0.5, Offset.offset(1e-9));

        // and what it receives follows the ramp: no burst when it returns
        long[] received = new long[2];
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        selector.pick(1, new boolean[] {true, false});
        selector.pick(1, both);
        for (int i = 0; i < 1000; i++) {
            received[selector.pick(1, both)]++;
        }
        assertThat(received[1]).isBetween(85L, 100L);
    }

    @Test
    void withoutSlowStartARejoiningAnalyzerGetsItsWholeShareAtOnce() {
        AtomicLong now = new AtomicLong();
        MessageShareSelector<Weighted> selector = new MessageShareSelector<>(weighted(1, 1), 0, Duration.ZERO, now::get);
        selector.pick(1, new boolean[] {true, false});
        selector.pick(1, new boolean[] {true, true});
        assertThat(selector.shares()[1]).isEqualTo(0.5);
    }

    @Test
    void analyzersThatKeepUpAreNeverHeldBackByTheirLimitAndKeepExactShares() {
        // 16 slots all busy, deliveries ending oldest first (equally fast analyzers), the usual mix of sizes:
        // weights count messages, so the light analyzer gets many small packets and needs as many slots
        for (double[] weights : weightSets()) {
            Weighted[] members = weighted(weights);
            MessageShareSelector<Weighted> selector = new MessageShareSelector<>(members, 16, Duration.ZERO,
                    System::nanoTime);
            boolean[] all = new boolean[weights.length];
            Arrays.fill(all, true);
            ArrayDeque<Integer> inFlight = new ArrayDeque<>();
            Random random = new Random(17);
            long[] received = new long[weights.length];
            long sent = 0;
            double total = Arrays.stream(weights).sum();
            for (int i = 0; i < 100_000; i++) {
                if (inFlight.size() == 16) {
                    selector.finished(members[inFlight.removeFirst()]);
                }
                int r = random.nextInt(100);
                int size = r < 55 ? 1 + random.nextInt(3) : r < 90 ? 4 + random.nextInt(17) : 21 + random.nextInt(80);
                int pick = selector.pick(size, all);
                assertThat(pick).isNotNegative();
                inFlight.addLast(pick);
                received[pick] += size;
                sent += size;
            }
            assertThat(selector.forgone()).as("forgone with weights %s", Arrays.toString(weights)).containsOnly(0.0);
            for (int a = 0; a < weights.length; a++) {
                assertThat(received[a] - weights[a] / total * sent).isBetween(-(weights.length - 1) * 100.0, 100.0);
            }
        }
    }

    @Test
    void aStuckAnalyzerHoldsAboutHalfTheSlotsAndNoMore() {
        Weighted[] members = weighted(0.4, 0.3, 0.2, 0.1);
        MessageShareSelector<Weighted> selector = new MessageShareSelector<>(members, 16, Duration.ZERO, System::nanoTime);
        for (int i = 0; i < 20_000; i++) {
            int pick = selector.pick(1 + i % 20, ALL);
            assertThat(pick).isNotNegative();
            if (pick != 0) {
                selector.finished(members[pick]);
            }
        }
        // its deliveries never end: it keeps what its share of the messages gives it, the others the rest
        assertThat(selector.inFlight()[0]).isEqualTo(selector.limits()[0]).isBetween(8, 9);
        assertThat(selector.inFlight()[1] + selector.inFlight()[2] + selector.inFlight()[3]).isZero();
    }

    @Test
    void whenEveryAnalyzerIsAtItsLimitThePickSaysSo() {
        Weighted[] members = weighted(1, 1);
        MessageShareSelector<Weighted> selector = new MessageShareSelector<>(members, 2, Duration.ZERO, System::nanoTime);
        boolean[] both = {true, true};
        int taken = 0;
        while (selector.pick(1, both) >= 0) {
            taken++;
        }
        assertThat(taken).isEqualTo(4);
        assertThat(selector.pick(1, both)).isEqualTo(MessageShareSelector.ALL_BUSY);
        selector.finished(members[1]);
        assertThat(selector.pick(1, both)).isEqualTo(1);
    }

    @Test
    void aSlowAnalyzerForgoesWhatItCannotTakeAndTheOthersKeepExactSharesWithoutACatchUpFlood() {
        Weighted[] members = weighted(0.4, 0.3, 0.2, 0.1);
        MessageShareSelector<Weighted> selector = new MessageShareSelector<>(members, 16, Duration.ZERO, System::nanoTime);
        Random random = new Random(5);
        long[] received = new long[4];
        // analyzer 0 is stuck: its deliveries never finish; the others finish theirs at once
        for (int i = 0; i < 50_000; i++) {
            int size = 1 + random.nextInt(100);
            int pick = selector.pick(size, ALL);
            assertThat(pick).isNotNegative();
            received[pick] += size;
            if (pick != 0) {
                selector.finished(members[pick]);
            }
        }
        long others = received[1] + received[2] + received[3];
        assertThat((double) received[1] / others).isCloseTo(0.5, Offset.offset(0.001));
        assertThat((double) received[2] / others).isCloseTo(1 / 3.0, Offset.offset(0.001));
        assertThat(selector.credits()[0]).isLessThanOrEqualTo(3 * 100.0);
        assertThat(selector.forgone()[0]).isGreaterThan(0.39 * 50_000 * 50);

        // it recovers: owed at most the contract's (N-1) packets, it gets those and then its share; a
        // flood would be hundreds of packets in a row
        for (int i = 0; i < 16; i++) {
            selector.finished(members[0]);
        }
        int run = 0;
        while (selector.pick(100, ALL) == 0) {
            selector.finished(members[0]);
            run++;
        }
        assertThat(run).isLessThanOrEqualTo(6);
    }

    @Test
    void aReloadKeepsTheCreditOfAnalyzersThatStayAndHandsOnTheCreditOfThoseRemoved() {
        AtomicLong now = new AtomicLong();
        Weighted[] before = weighted(0.4, 0.3, 0.2, 0.1);
        MessageShareSelector<Weighted> selector = new MessageShareSelector<>(before, 0, Duration.ofSeconds(10), now::get);
        Random random = new Random(9);
        for (int i = 0; i < 1001; i++) {
            selector.pick(1 + random.nextInt(100), ALL);
            now.addAndGet(Duration.ofMillis(100).toNanos());
        }
        double[] credits = selector.credits();
        Weighted added = new Weighted(0.4);
        Weighted[] after = {before[0], before[1], before[2], added};
        assertThat(selector.pick(after, 5, ALL, null)).isEqualTo(MessageShareSelector.STALE);
        selector.reconfigure(after);
        assertThat(selector.members()).isSameAs(after);
        double[] kept = selector.credits();
        double sum = Arrays.stream(kept).sum();
        assertThat(sum).isCloseTo(0, Offset.offset(1e-6));
        // the removed analyzer's credit went to the three that stay, in proportion to their shares
        assertThat(kept[0]).isCloseTo(credits[0] + credits[3] * 0.4 / 0.9, Offset.offset(1e-6));
        assertThat(kept[3]).isZero();
        // the new one joins at its next pick, with slow start
        now.addAndGet(1);
        selector.pick(after, 1, ALL, null);
        assertThat(selector.shares()[3]).isCloseTo(0.04 / 0.94, Offset.offset(1e-3));
    }

    @Test
    void aWeightChangeAppliesFromTheNextPick() {
        Weighted[] members = weighted(0.4, 0.3, 0.2, 0.1);
        MessageShareSelector<Weighted> selector = new MessageShareSelector<>(members, 0, Duration.ZERO, System::nanoTime);
        long[] received = new long[4];
        for (int i = 0; i < 1000; i++) {
            selector.pick(1, ALL);
        }
        members[0].weight = 0.1;
        members[3].weight = 0.4;
        selector.reconfigure(members);
        for (int i = 0; i < 10_000; i++) {
            received[selector.pick(1, ALL)]++;
        }
        assertThat(received).containsExactly(1000, 3000, 2000, 4000);
    }

    private static Deviation run(double[] weights, int packets, IntUnaryOperator sizes) {
        MessageShareSelector selector = MessageShareSelector.of(weights);
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
