package io.logsdistributor.ingest;

/** The log levels of contract §3, matched case-insensitively straight from the parser's buffer. */
final class Levels {

    private static final char[][] KNOWN = {
        "TRACE".toCharArray(), "DEBUG".toCharArray(), "INFO".toCharArray(), "WARN".toCharArray(),
        "WARNING".toCharArray(), "ERROR".toCharArray(), "CRITICAL".toCharArray(), "FATAL".toCharArray(),
    };

    private Levels() {
    }

    static boolean isKnown(char[] buffer, int offset, int length) {
        for (char[] level : KNOWN) {
            if (level.length == length && matches(level, buffer, offset)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(char[] level, char[] buffer, int offset) {
        for (int i = 0; i < level.length; i++) {
            char c = buffer[offset + i];
            // ASCII upper-casing only: a non-ASCII letter can never match a level name
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != level[i]) {
                return false;
            }
        }
        return true;
    }
}
