package io.logsdistributor.queue;

import java.util.Locale;

/**
 * When queued packets and dead letters reach stable storage (contract §8). Every policy hands a packet
 * to the operating system before its 202, so a process crash loses nothing; they differ on power loss.
 */
public enum FsyncPolicy {
    /** flushed to stable storage at least every fsync interval: a power loss loses at most that interval */
    INTERVAL,
    /** a 202 waits for the fsync that covers its packet (group commit): a power loss loses nothing */
    ALWAYS,
    /** left to the operating system */
    NEVER;

    public static FsyncPolicy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
