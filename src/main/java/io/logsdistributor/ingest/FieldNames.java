package io.logsdistributor.ingest;

import java.util.HashSet;
import java.util.Set;

/**
 * The field names met so far in one JSON object, to refuse a duplicate. Jackson's own detection
 * allocates a hash set for every object of three fields or more, which was 7 % of the distributor's
 * CPU; objects in packets are small, so a short array scanned linearly does, until one grows large.
 */
final class FieldNames {

    private static final int SCAN_LIMIT = 8;

    private final String[] few = new String[SCAN_LIMIT];
    private int count;
    private Set<String> many;

    /** @return false if the name was already there */
    boolean add(String name) {
        if (many != null) {
            return many.add(name);
        }
        for (int i = 0; i < count; i++) {
            if (few[i].equals(name)) {
                return false;
            }
        }
        if (count < SCAN_LIMIT) {
            few[count++] = name;
            return true;
        }
        many = new HashSet<>();
        for (String seen : few) {
            many.add(seen);
        }
        return many.add(name);
    }
}
