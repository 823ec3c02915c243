package fusion.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-written timestamp reader against {@code OffsetDateTime.parse}/{@code Instant.parse}. */
class TimestampsTest {
    static IntStream seeds() {
        return IntStream.range(0, 30);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("issue 18 request side: random timestamps, offsets and fractions read as DateTimeFormatter reads them")
    void randomTimestampsReadAsTheFormatterReadsThem(int seed) {
        Random r = new Random(seed);
        int fast = 0;
        for (int i = 0; i < 700; i++) {
            String s = timestamp(r);
            assertThat(outcome(() -> Timestamps.parse(s))).as(s).isEqualTo(outcome(() -> Timestamps.slow(s)));
            if (Timestamps.fast(s) != null) fast++;
        }
        assertThat(fast).as("most of them take the fast path").isGreaterThan(350);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("issue 18 request side: a damaged timestamp is refused or read exactly as the formatter does")
    void damagedTimestampsAreRefusedOrReadAsTheFormatterDoes(int seed) {
        Random r = new Random(10_000 + seed);
        String alphabet = "0123456789-:T.Z+zt ";
        for (int i = 0; i < 700; i++) {
            StringBuilder s = new StringBuilder(timestamp(r));
            int edits = 1 + r.nextInt(2);
            for (int e = 0; e < edits && s.length() > 0; e++) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(3)) {
                    case 0 -> s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 1 -> s.deleteCharAt(at);
                    default -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            String t = s.toString();
            assertThat(outcome(() -> Timestamps.parse(t))).as(t).isEqualTo(outcome(() -> Timestamps.slow(t)));
        }
    }

    /** A time of any day from year 0 to 9999, with 0-9 fraction digits and Z or an offset. */
    private static String timestamp(Random r) {
        long second = r.nextInt(4) == 0
                ? Math.floorMod(r.nextLong(), 253_402_300_800L) - 62_167_219_200L // 0000-01-01 to 9999-12-31
                : 1_600_000_000L + r.nextInt(200_000_000);
        Instant t = Instant.ofEpochSecond(second);
        ZoneOffset offset = switch (r.nextInt(4)) {
            case 0 -> ZoneOffset.UTC;
            case 1 -> ZoneOffset.ofHoursMinutes(r.nextInt(18), r.nextInt(60));
            case 2 -> ZoneOffset.ofHoursMinutes(-r.nextInt(18), -r.nextInt(60));
            default -> ZoneOffset.ofHours(r.nextInt(37) - 18);
        };
        var local = t.atOffset(offset).toLocalDateTime();
        StringBuilder s = new StringBuilder(String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d",
                local.getYear(),
                local.getMonthValue(),
                local.getDayOfMonth(),
                local.getHour(),
                local.getMinute(),
                local.getSecond()));
        int digits = r.nextInt(10);
        if (digits > 0) {
            s.append('.');
            for (int d = 0; d < digits; d++) s.append((char) ('0' + r.nextInt(10)));
        }
        if (offset.getTotalSeconds() == 0 && r.nextBoolean()) {
            s.append(r.nextInt(8) == 0 ? "-00:00" : r.nextBoolean() ? "Z" : "+00:00");
        } else {
            s.append(offset.getId().equals("Z") ? "+00:00" : offset.getId());
        }
        return s.toString();
    }

    private static String outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get().toString();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }
}
