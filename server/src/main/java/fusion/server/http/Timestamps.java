package fusion.server.http;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 times as Segment's libraries send them ({@code 2026-11-24T09:59:30.123Z}, or with an
 * offset such as {@code +01:00}), read without {@link java.time.format.DateTimeFormatter} on the
 * common path. Three reads per call through the formatter cost about a microsecond; this reads
 * the digits in place. Anything outside the fast path's exact shape ({@code yyyy-MM-ddTHH:mm:ss},
 * an optional fraction of 1 to 9 digits, then {@code Z} or {@code ±HH:MM}) or out of its ranges is
 * handed to {@link OffsetDateTime#parse} and then {@link Instant#parse}, which decide as before;
 * a seeded property test (TimestampsTest) holds the two to the same answers.
 */
final class Timestamps {
    private Timestamps() {}

    /** The instant {@code s} names; throws {@link DateTimeParseException} when it is not ISO-8601. */
    static Instant parse(String s) {
        Instant fast = fast(s);
        return fast != null ? fast : slow(s);
    }

    /** The reference: what the parser did before the fast path (and still does off it). */
    static Instant slow(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.parse(s);
        }
    }

    /** The instant, or null when {@code s} is not of the fast path's shape or ranges. */
    static Instant fast(String s) {
        int n = s.length();
        if (n < 20 || n > 35) return null;
        int year = digits(s, 0, 4);
        if (year < 0 || s.charAt(4) != '-') return null;
        int month = digits(s, 5, 2);
        if (month < 1 || month > 12 || s.charAt(7) != '-') return null;
        int day = digits(s, 8, 2);
        if (day < 1 || day > 28 && day > lengthOfMonth(year, month) || s.charAt(10) != 'T') return null;
        int hour = digits(s, 11, 2);
        if (hour < 0 || hour > 23 || s.charAt(13) != ':') return null;
        int minute = digits(s, 14, 2);
        if (minute < 0 || minute > 59 || s.charAt(16) != ':') return null;
        int second = digits(s, 17, 2);
        if (second < 0 || second > 59) return null;
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) nanos = nanos * 10 + (s.charAt(i++) - '0');
            int width = i - start;
            if (width == 0 || i < n && isDigit(s.charAt(i))) return null; // no digit, or more than 9
            for (int w = width; w < 9; w++) nanos *= 10;
        }
        if (i >= n) return null;
        int offsetSeconds;
        char sign = s.charAt(i);
        if (sign == 'Z') {
            if (i + 1 != n) return null;
            offsetSeconds = 0;
        } else if (sign == '+' || sign == '-') {
            if (i + 6 != n || s.charAt(i + 3) != ':') return null;
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 17 || om < 0 || om > 59) return null;
            offsetSeconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The decimal value of {@code count} ASCII digits at {@code at}, or -1 if one is not a digit. */
    private static int digits(String s, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (as {@code LocalDate.toEpochDay}). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367L * month - 362) / 12;
        total += day - 1;
        if (month > 2) total -= (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 1 : 2;
        return total - 719_528; // days from year 0 to 1970
    }
}
