package io.logsdistributor.balance;

import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Smooth weighted selection by message count: the deterministic heart of the balancer.
 *
 * <p>Each analyzer keeps a credit equal to the messages it is owed: {@code share × messages sent −
 * messages received}. A pick credits every eligible analyzer its share of the packet and charges the
 * one with the most credit the whole packet, so credits always sum to zero over the eligible set and
 * no analyzer drifts more than one packet ahead or (N−1) packets behind its target.
 *
 * <p>Membership is passed in with every call and compared with the last one seen. An analyzer that
 * leaves hands its credit to the others (keeping the sum at zero) and returns with zero credit, so it
 * starts level instead of being flooded to catch up; and it returns at a fraction of its weight that
 * grows to the whole over the slow-start window (contract §5), as nginx's slow_start does.
 *
 * <p>Each analyzer may have only so many deliveries in flight (a share of the delivery slots, the queue's
 * consumers), so that a slow analyzer cannot hold the consumers hostage. The limit follows its share of
 * the packets, not of the messages: weights count messages, so an analyzer of small weight often gets
 * the small packets, and as many packets as the others. It is one and a half times that share of the
 * slots, plus one (never below its share of the messages plus one): an analyzer that keeps up does not
 * reach it, a slow one holds about half the slots at most (16 consumers, 4 analyzers). One that cannot take a packet (at its limit, or excluded
 * because it just failed this packet) keeps being credited, but never beyond (N−1) largest packets, the
 * contract's bound: what it is owed beyond that goes to the analyzers that can take traffic, and is
 * counted as forgone. Shares thus stay exact among the analyzers that keep up, and a slow one that
 * recovers catches up by at most a few packets, never with a flood.
 *
 * <p>The set of analyzers can change at run time ({@link #reconfigure}): analyzers are matched by
 * identity, so one that stays keeps its credit; a new one joins with slow start. All methods are atomic.
 */
public final class MessageShareSelector<M extends MessageShareSelector.Member> {

    /** An analyzer as the selector sees it: its weight may change between picks (a reload). */
    public interface Member {
        double weight();
    }

    /** No analyzer can take traffic. */
    public static final int NONE_ELIGIBLE = -1;
    /** The configuration passed in is not the current one (a reload happened): read it again. */
    public static final int STALE = -2;
    /** Every eligible analyzer is excluded for this packet (it failed there). */
    public static final int ALL_EXCLUDED = -3;
    /** Every eligible analyzer not excluded is at its limit of deliveries in flight. */
    public static final int ALL_BUSY = -4;

    /** Share of its weight an analyzer rejoins with under slow start (Envoy's default minimum). */
    static final double SLOW_START_FLOOR = 0.1;
    /** Weight of the latest pick in each analyzer's moving share of the packets (about the last 500). */
    private static final double PICK_SMOOTHING = 1.0 / 512;
    /**
     * How far above its usual share of the slots an analyzer's deliveries in flight may go before it counts
     * as busy: measured so that analyzers that keep up are never held back, with every weight set of the
     * tests and the benchmark's mix of sizes (MessageShareSelectorTest).
     */
    private static final double PACKET_SHARE_HEADROOM = 1.5;

    private final int slots;
    private final long slowStartNanos;
    private final LongSupplier clock;
    private M[] members;
    private Map<M, Integer> index;
    private double[] credit;
    private boolean[] member;
    private double[] share;
    private long[] joinedAt;
    private int[] inFlight;
    private double[] forgone;
    private double[] packetShare;
    private boolean ramping;
    private double largestPacket = 1;

    /**
     * @param slots deliveries that can be in flight at once (the queue's consumers); 0 for no limit
     * @param slowStart how long a rejoining analyzer takes to reach its full weight; zero for none
     */
    public MessageShareSelector(M[] members, int slots, Duration slowStart, LongSupplier nanoClock) {
        this.slots = slots;
        this.slowStartNanos = slowStart.toNanos();
        this.clock = nanoClock;
        install(members, Arrays.copyOf(members, 0));
    }

    /** Fixed weights, no limit on deliveries in flight and no slow start: the algorithm alone. */
    public static MessageShareSelector<Member> of(double[] weights) {
        return new MessageShareSelector<>(fixed(weights), 0, Duration.ZERO, System::nanoTime);
    }

    private static Member[] fixed(double[] weights) {
        Member[] fixed = new Member[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double weight = weights[i];
            fixed[i] = () -> weight;
        }
        return fixed;
    }

    public synchronized int size() {
        return members.length;
    }

    /** The analyzers in the order the index-based methods use. */
    public synchronized M[] members() {
        return members;
    }

    /** As {@link #pick(int, boolean[], boolean[])} with nothing excluded. */
    public int pick(int messages, boolean[] eligible) {
        return pick(messages, eligible, null);
    }

    /**
     * Chooses the analyzer for a packet of {@code messages} among the eligible ones, charges it, and
     * takes one of its delivery slots ({@link #finished} gives it back). Excluded analyzers stay members
     * and are credited as usual (up to one largest packet), so a failover does not disturb the shares.
     *
     * @return the analyzer's index, or {@link #NONE_ELIGIBLE}, {@link #ALL_EXCLUDED}, {@link #ALL_BUSY}
     *     (nothing is charged then)
     */
    public synchronized int pick(int messages, boolean[] eligible, boolean[] exclude) {
        if (!updateMembership(eligible)) {
            return NONE_ELIGIBLE;
        }
        if (ramping) {
            updateShares();
        }
        largestPacket = Math.max(largestPacket, messages);
        int best = -1;
        double bestCredit = 0;
        boolean anyOpen = false;
        for (int i = 0; i < credit.length; i++) {
            if (!member[i] || (exclude != null && exclude[i])) {
                continue;
            }
            anyOpen = true;
            if (slots > 0 && inFlight[i] >= limit(i)) {
                continue;
            }
            double c = credit[i] + share[i] * messages;
            // ties go to the heavier analyzer, then the lower index, so the order is stable
            if (best < 0 || c > bestCredit || (c == bestCredit && members[i].weight() > members[best].weight())) {
                best = i;
                bestCredit = c;
            }
        }
        if (best < 0) {
            return anyOpen ? ALL_BUSY : ALL_EXCLUDED;
        }
        for (int i = 0; i < credit.length; i++) {
            if (member[i]) {
                credit[i] += share[i] * messages;
            }
        }
        credit[best] -= messages;
        inFlight[best]++;
        for (int i = 0; i < packetShare.length; i++) {
            packetShare[i] += ((i == best ? 1 : 0) - packetShare[i]) * PICK_SMOOTHING;
        }
        capUnavailable(best, exclude);
        return best;
    }

    /**
     * As {@link #pick(int, boolean[], boolean[])} for the analyzers of {@code configuration}, which must
     * be the current one ({@link #members()}): a reload in between gives {@link #STALE}.
     */
    public synchronized int pick(M[] configuration, int messages, boolean[] eligible, boolean[] exclude) {
        return configuration == members ? pick(messages, eligible, exclude) : STALE;
    }

    /** Deliveries an analyzer may have in flight: 1.5 times its share of the packets, of the slots, plus one. */
    private int limit(int i) {
        double packets = Math.max(share[i], PACKET_SHARE_HEADROOM * packetShare[i]);
        return (int) Math.min(slots, Math.ceil(slots * packets) + 1);
    }

    /** Members that cannot take this packet keep at most (N−1) largest packets of credit; the rest is forgone. */
    private void capUnavailable(int picked, boolean[] exclude) {
        double cap = Math.max(1, memberCount() - 1) * largestPacket;
        double overflow = 0;
        double openShare = 0;
        for (int i = 0; i < credit.length; i++) {
            if (!member[i]) {
                continue;
            }
            boolean unavailable = (exclude != null && exclude[i]) || (slots > 0 && inFlight[i] >= limit(i) && i != picked);
            if (unavailable && credit[i] > cap) {
                double excess = credit[i] - cap;
                credit[i] = cap;
                forgone[i] += excess;
                overflow += excess;
            } else if (!unavailable) {
                openShare += share[i];
            }
        }
        if (overflow > 0 && openShare > 0) {
            for (int i = 0; i < credit.length; i++) {
                boolean unavailable = !member[i] || (exclude != null && exclude[i])
                        || (slots > 0 && inFlight[i] >= limit(i) && i != picked);
                if (!unavailable) {
                    credit[i] += overflow * share[i] / openShare;
                }
            }
        }
    }

    /** The delivery to this analyzer ended: its slot is free again. */
    public synchronized void finished(M analyzer) {
        Integer i = index.get(analyzer);
        if (i != null && inFlight[i] > 0) {
            inFlight[i]--;
            notifyAll();
        }
    }

    /**
     * Undoes a pick whose delivery failed, so counts track what was delivered, and frees its slot. If the
     * analyzer has left meanwhile its credit was already handed on and reset, and undoing would only
     * shift credit among the others, so only the slot is given back.
     */
    public synchronized void refund(M analyzer, int messages) {
        Integer i = index.get(analyzer);
        if (i != null) {
            refundAt(i, messages);
        }
        finished(analyzer);
    }

    /** Index-based {@link #refund(Member, int)}, after applying {@code eligible}; for tests. */
    public synchronized void refund(int analyzer, int messages, boolean[] eligible) {
        updateMembership(eligible);
        refundAt(analyzer, messages);
        if (inFlight[analyzer] > 0) {
            inFlight[analyzer]--;
        }
    }

    private void refundAt(int analyzer, int messages) {
        if (!member[analyzer]) {
            return;
        }
        for (int i = 0; i < credit.length; i++) {
            if (member[i]) {
                credit[i] -= share[i] * messages;
            }
        }
        credit[analyzer] += messages;
    }

    /** Waits up to {@code max} for a delivery slot to free up; returns at once if one is free. */
    public synchronized void awaitSlot(Duration max) throws InterruptedException {
        wait(Math.max(1, max.toMillis()));
    }

    /**
     * Installs a new set of analyzers (a reload). Those present before, by identity, keep their credit,
     * membership, slow-start and deliveries in flight; new ones join when first eligible, with slow
     * start; the credit of those removed goes to the remaining members, as when an analyzer leaves.
     */
    public synchronized void reconfigure(M[] next) {
        install(next, members);
    }

    private void install(M[] next, M[] previous) {
        Map<M, Integer> nextIndex = new IdentityHashMap<>();
        for (int i = 0; i < next.length; i++) {
            nextIndex.put(next[i], i);
        }
        double[] nextCredit = new double[next.length];
        boolean[] nextMember = new boolean[next.length];
        long[] nextJoined = new long[next.length];
        int[] nextInFlight = new int[next.length];
        double[] nextForgone = new double[next.length];
        double[] nextPacketShare = new double[next.length];
        double leftover = 0;
        for (int old = 0; old < previous.length; old++) {
            Integer i = nextIndex.get(previous[old]);
            if (i == null) {
                leftover += member[old] ? credit[old] : 0;
                continue;
            }
            nextCredit[i] = credit[old];
            nextMember[i] = member[old];
            nextJoined[i] = joinedAt[old];
            nextInFlight[i] = inFlight[old];
            nextForgone[i] = forgone[old];
            nextPacketShare[i] = packetShare[old];
        }
        members = next;
        index = nextIndex;
        credit = nextCredit;
        member = nextMember;
        joinedAt = nextJoined;
        inFlight = nextInFlight;
        forgone = nextForgone;
        packetShare = nextPacketShare;
        share = new double[next.length];
        updateShares();
        spread(leftover);
    }

    /** The selector's view of every analyzer at one moment, for /stats. */
    public record Snapshot<M>(M[] members, double[] shares, double[] credits, double[] forgone, int[] inFlight,
            int[] limits) {
    }

    /**
     * Applies the analyzers' eligibility now (as the next pick would) and returns the state of each: the
     * target shares then follow health and breakers even while no packet flows.
     */
    public synchronized Snapshot<M> snapshot(java.util.function.Predicate<M> eligible) {
        boolean[] now = new boolean[members.length];
        for (int i = 0; i < now.length; i++) {
            now[i] = eligible.test(members[i]);
        }
        updateMembership(now);
        if (ramping) {
            updateShares();
        }
        return new Snapshot<>(members, share.clone(), credit.clone(), forgone.clone(), inFlight.clone(), limits());
    }

    /** Messages each analyzer is owed (negative: ahead of its share); for stats and tests. */
    public synchronized double[] credits() {
        return credit.clone();
    }

    /** The target share of each analyzer among the current members (0 for non-members), slow start included. */
    public synchronized double[] shares() {
        if (ramping) {
            updateShares();
        }
        return share.clone();
    }

    /** Messages each analyzer could not take (busy or failing) and were given to the others. */
    public synchronized double[] forgone() {
        return forgone.clone();
    }

    /** Deliveries in flight per analyzer. */
    public synchronized int[] inFlight() {
        return inFlight.clone();
    }

    /** Deliveries each analyzer may have in flight at once (0: no limit). */
    public synchronized int[] limits() {
        int[] limits = new int[members.length];
        for (int i = 0; i < limits.length; i++) {
            limits[i] = slots > 0 && member[i] ? limit(i) : 0;
        }
        return limits;
    }

    private boolean updateMembership(boolean[] eligible) {
        if (eligible.length != members.length) {
            throw new IllegalArgumentException("eligibility has " + eligible.length + " entries, expected " + members.length);
        }
        if (Arrays.equals(eligible, member)) {
            return anyMember();
        }
        double leftover = 0;
        long now = clock.getAsLong();
        for (int i = 0; i < member.length; i++) {
            if (member[i] && !eligible[i]) {
                leftover += credit[i];
                credit[i] = 0;
            } else if (!member[i] && eligible[i]) {
                credit[i] = 0;
                joinedAt[i] = now;
                // until its picks say otherwise, its share of the packets is taken to be an equal split
                packetShare[i] = 1.0 / eligible.length;
            }
            member[i] = eligible[i];
        }
        updateShares();
        spread(leftover);
        return anyMember();
    }

    /** Hands credit that left with an analyzer to the members, keeping the sum at zero. */
    private void spread(double leftover) {
        for (int i = 0; i < share.length; i++) {
            if (member[i]) {
                credit[i] += share[i] * leftover;
            }
        }
    }

    private void updateShares() {
        long now = clock.getAsLong();
        boolean stillRamping = false;
        double total = 0;
        double[] effective = new double[members.length];
        for (int i = 0; i < members.length; i++) {
            if (!member[i]) {
                continue;
            }
            double ramp = 1;
            if (slowStartNanos > 0) {
                double progress = (double) (now - joinedAt[i]) / slowStartNanos;
                if (progress < 1) {
                    ramp = Math.max(SLOW_START_FLOOR, progress);
                    stillRamping = true;
                }
            }
            effective[i] = members[i].weight() * ramp;
            total += effective[i];
        }
        for (int i = 0; i < members.length; i++) {
            share[i] = member[i] && total > 0 ? effective[i] / total : 0;
        }
        ramping = stillRamping;
    }

    private int memberCount() {
        int n = 0;
        for (boolean m : member) {
            n += m ? 1 : 0;
        }
        return n;
    }

    private boolean anyMember() {
        for (boolean m : member) {
            if (m) {
                return true;
            }
        }
        return false;
    }
}
