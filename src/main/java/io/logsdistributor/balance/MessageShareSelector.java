package io.logsdistributor.balance;

import java.util.Arrays;

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
 * starts level instead of being flooded to catch up. All methods are atomic.
 */
public final class MessageShareSelector {

    private final double[] weights;
    private final double[] credit;
    private final boolean[] member;
    private final double[] share;

    public MessageShareSelector(double[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("at least one weight is required");
        }
        for (double w : weights) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and > 0: " + Arrays.toString(weights));
            }
        }
        this.weights = weights.clone();
        this.credit = new double[weights.length];
        this.member = new boolean[weights.length];
        this.share = new double[weights.length];
    }

    public int size() {
        return weights.length;
    }

    /**
     * Chooses the analyzer for a packet of {@code messages} among the eligible ones and charges it.
     *
     * @return the analyzer's index, or -1 when none is eligible
     */
    public int pick(int messages, boolean[] eligible) {
        return pick(messages, eligible, null);
    }

    /**
     * As {@link #pick(int, boolean[])}, but never choosing an analyzer marked in {@code exclude}: a
     * retry goes to another analyzer than the ones that just failed it. The excluded analyzers stay
     * members and are credited as usual, so a failover does not disturb the shares.
     *
     * @return the analyzer's index, or -1 when every eligible analyzer is excluded (nothing is charged)
     */
    public synchronized int pick(int messages, boolean[] eligible, boolean[] exclude) {
        if (!updateMembership(eligible)) {
            return -1;
        }
        int best = -1;
        double bestCredit = 0;
        for (int i = 0; i < credit.length; i++) {
            if (member[i] && (exclude == null || !exclude[i])) {
                double c = credit[i] + share[i] * messages;
                // ties go to the heavier analyzer, then the lower index, so the order is stable
                if (best < 0 || c > bestCredit || (c == bestCredit && weights[i] > weights[best])) {
                    best = i;
                    bestCredit = c;
                }
            }
        }
        if (best < 0) {
            return -1;
        }
        for (int i = 0; i < credit.length; i++) {
            if (member[i]) {
                credit[i] += share[i] * messages;
            }
        }
        credit[best] -= messages;
        return best;
    }

    /**
     * Undoes a pick whose delivery failed, so counts track what was delivered. If the analyzer has left
     * meanwhile its credit was already handed on and reset, and undoing would only shift credit among the
     * others, so nothing changes.
     */
    public synchronized void refund(int analyzer, int messages, boolean[] eligible) {
        updateMembership(eligible);
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

    /** Messages each analyzer is owed (negative: ahead of its share); for stats and tests. */
    public synchronized double[] credits() {
        return credit.clone();
    }

    /** The target share of each analyzer among the current members (0 for non-members). */
    public synchronized double[] shares() {
        return share.clone();
    }

    private boolean updateMembership(boolean[] eligible) {
        if (eligible.length != weights.length) {
            throw new IllegalArgumentException("eligibility has " + eligible.length + " entries, expected " + weights.length);
        }
        if (Arrays.equals(eligible, member)) {
            return anyMember();
        }
        double leftover = 0;
        for (int i = 0; i < member.length; i++) {
            if (member[i] && !eligible[i]) {
                leftover += credit[i];
                credit[i] = 0;
            } else if (!member[i] && eligible[i]) {
                credit[i] = 0;
            }
            member[i] = eligible[i];
        }
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            total += member[i] ? weights[i] : 0;
        }
        for (int i = 0; i < weights.length; i++) {
            share[i] = member[i] ? weights[i] / total : 0;
            if (member[i]) {
                credit[i] += share[i] * leftover;
            }
        }
        return total > 0;
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
