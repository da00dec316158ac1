package io.logsdistributor.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How many messages the generated packets hold: weighted ranges such as {@code 55:1-3,35:4-20,10:21-100}
 * (55 % of packets hold 1 to 3 messages, uniformly, and so on). Weights need not add up to 100.
 */
public final class MessageMix {

    public static final String DEFAULT = "55:1-3,35:4-20,10:21-100";

    /** One weighted range of message counts, bounds inclusive. */
    public record Range(double weight, int min, int max) {
    }

    private final List<Range> ranges;
    private final double[] cumulative;

    private MessageMix(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
        this.cumulative = new double[ranges.size()];
        double total = ranges.stream().mapToDouble(Range::weight).sum();
        double sum = 0;
        for (int i = 0; i < ranges.size(); i++) {
            sum += ranges.get(i).weight() / total;
            cumulative[i] = sum;
        }
        cumulative[ranges.size() - 1] = 1.0;
    }

    /**
     * Parses {@code weight:min-max[,weight:min-max...]}; a single count may be written {@code weight:n}.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static MessageMix parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--mix: empty, expected e.g. " + DEFAULT);
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int colon = p.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--mix: '" + p + "' is not weight:min-max");
            }
            double weight;
            int min;
            int max;
            try {
                weight = Double.parseDouble(p.substring(0, colon).trim());
                String span = p.substring(colon + 1).trim();
                int dash = span.indexOf('-');
                min = Integer.parseInt((dash < 0 ? span : span.substring(0, dash)).trim());
                max = dash < 0 ? min : Integer.parseInt(span.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: '" + p + "' is not weight:min-max");
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("--mix: weight in '" + p + "' must be > 0");
            }
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("--mix: range in '" + p + "' must satisfy 1 <= min <= max");
            }
            ranges.add(new Range(weight, min, max));
        }
        return new MessageMix(ranges);
    }

    public List<Range> ranges() {
        return ranges;
    }

    /** The largest message count the mix can produce. */
    public int maxMessages() {
        return ranges.stream().mapToInt(Range::max).max().orElseThrow();
    }

    /** Mean messages per packet the mix produces in the long run. */
    public double meanMessages() {
        double total = ranges.stream().mapToDouble(Range::weight).sum();
        double mean = 0;
        for (Range r : ranges) {
            mean += r.weight() / total * (r.min() + r.max()) / 2.0;
        }
        return mean;
    }

    /** Draws a message count. */
    public int next(SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                Range r = ranges.get(i);
                return r.min() == r.max() ? r.min() : random.nextInt(r.min(), r.max() + 1);
            }
        }
        Range last = ranges.get(ranges.size() - 1);
        return random.nextInt(last.min(), last.max() + 1);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Range r : ranges) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(r.weight() == Math.rint(r.weight()) ? String.valueOf((long) r.weight()) : String.valueOf(r.weight()))
                    .append(':').append(r.min());
            if (r.max() != r.min()) {
                s.append('-').append(r.max());
            }
        }
        return s.toString();
    }
}
