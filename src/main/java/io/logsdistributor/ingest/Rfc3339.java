package io.logsdistributor.ingest;

/**
 * Checks RFC 3339 date-times without allocating: the validator runs once per message on the hot path,
 * where a {@code DateTimeFormatter} parse would cost more than the rest of the message.
 */
final class Rfc3339 {

    private Rfc3339() {
    }

    /**
     * {@code YYYY-MM-DD(T|t| )hh:mm:ss[.fraction](Z|z|±hh:mm)}, with real calendar ranges, read
     * straight from the parser's buffer.
     */
    static boolean isValid(char[] buffer, int offset, int length) {
        Chars s = new Chars(buffer, offset);
        int n = length;
        if (n < 20) {
            return false;
        }
        int year = digits(s, 0, 4);
        int month = s.charAt(4) == '-' ? digits(s, 5, 2) : -1;
        int day = s.charAt(7) == '-' ? digits(s, 8, 2) : -1;
        char t = s.charAt(10);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)
                || (t != 'T' && t != 't' && t != ' ')) {
            return false;
        }
        int hour = digits(s, 11, 2);
        int minute = s.charAt(13) == ':' ? digits(s, 14, 2) : -1;
        int second = s.charAt(16) == ':' ? digits(s, 17, 2) : -1;
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return false;
        }
        int i = 19;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i >= n) {
                return false;
            }
        }
        char zone = s.charAt(i);
        if (zone == 'Z' || zone == 'z') {
            return i + 1 == n;
        }
        if ((zone != '+' && zone != '-') || i + 6 != n || s.charAt(i + 3) != ':') {
            return false;
        }
        int offsetHour = digits(s, i + 1, 2);
        int offsetMinute = digits(s, i + 4, 2);
        return offsetHour >= 0 && offsetHour <= 23 && offsetMinute >= 0 && offsetMinute <= 59;
    }

    /** A window on the parser's buffer; a record the JIT can scalar-replace, so nothing is allocated. */
    private record Chars(char[] buffer, int offset) {
        char charAt(int i) {
            return buffer[offset + i];
        }
    }

    private static int digits(Chars s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
