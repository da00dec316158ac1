package io.logsdistributor.logging;

/**
 * Makes a client-supplied value safe to put in a log line: packet and agent ids, header values and
 * details come from JSON that may escape CR, LF and other control characters, and written as they are
 * they would let a client forge log lines or terminal escapes. Control characters (C0, DEL, C1, and the
 * Unicode line and paragraph separators) become {@code \\uXXXX}, backslashes are doubled so that the
 * escaping cannot be faked, and overlong values are cut.
 */
public final class SafeLog {

    static final int MAX_CHARS = 256;

    private SafeLog() {
    }

    public static String escape(String value) {
        if (value == null) {
            return "null";
        }
        int length = Math.min(value.length(), MAX_CHARS);
        StringBuilder out = null;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\\';
            if (unsafe && out == null) {
                out = new StringBuilder(length + 16).append(value, 0, i);
            }
            if (out != null) {
                if (c == '\\') {
                    out.append("\\\\");
                } else if (unsafe) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        String safe = out == null ? value.substring(0, length) : out.toString();
        return value.length() > MAX_CHARS ? safe + "...(" + value.length() + " chars)" : safe;
    }
}
