package io.logsdistributor.demo;

/**
 * The longest run of consecutive packets accepted by one analyzer, across the demo analyzers that
 * share this tracker: benchmarks use it to check that no analyzer is flooded (contract §5).
 */
public final class RunTracker {

    private String last;
    private long current;
    private long longest;
    private String longestId = "";

    public synchronized void record(String id) {
        current = id.equals(last) ? current + 1 : 1;
        last = id;
        if (current > longest) {
            longest = current;
            longestId = id;
        }
    }

    public synchronized long longest() {
        return longest;
    }

    synchronized String json() {
        return ",\"longest_run\":" + longest + ",\"longest_run_analyzer\":\"" + longestId + "\"";
    }
}
