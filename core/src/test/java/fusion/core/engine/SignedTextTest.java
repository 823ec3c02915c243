package fusion.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ledger's signed numbers read as {@code String.format("%+.Nf")} writes them (with no
 * {@code -0.0}): the witness is the JDK's Formatter itself, over seeded values of every size the
 * ledger shows, the halves where binary and decimal rounding part, and their neighbours.
 */
class SignedTextTest {
    /** The Formatter's text, and a value that rounds to zero reads with a plus. */
    private static String byFormatter(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%+." + decimals + "f", v);
        return s.matches("-[0.]*") ? "+" + s.substring(1) : s;
    }

    private static void assertAllRead(List<Double> values) {
        for (double v : values) {
            for (int decimals = 1; decimals <= 2; decimals++) {
                String expected = byFormatter(v, decimals);
                assertThat(LedgerEntry.signed(v, decimals))
                        .as("%s to %d decimals", Double.toString(v), decimals)
                        .isEqualTo(expected);
                assertThat(LedgerEntry.signed(v, decimals))
                        .as("%s to %d decimals, again (near a half: as kept)", Double.toString(v), decimals)
                        .isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 18, 42, 2026})
    @DisplayName("issue 18: seeded values from 1e-4 to 1e10, either sign, read as the Formatter writes them")
    void seededValuesReadAsTheFormatterWritesThem(long seed) {
        Random r = new Random(seed);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            double magnitude = Math.pow(10, -4 + r.nextInt(15));
            values.add((r.nextDouble() * 2 - 1) * magnitude);
        }
        assertAllRead(values);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 11, 13})
    @DisplayName("issue 18: halves and their nearest neighbours round as the Formatter rounds them, "
            + "the first time and when their text is kept, beyond the most kept")
    void halvesRoundAsTheFormatterRoundsThem(long seed) {
        Random r = new Random(seed);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            double scale = r.nextBoolean() ? 10 : 100;
            double half = (r.nextInt(200_000) - 100_000 + 0.5) / scale;
            values.add(half);
            values.add(Math.nextUp(half));
            values.add(Math.nextDown(half));
            values.add(half + 1e-7);
            values.add(half - 1e-7);
            values.add(half + 2e-6 / scale);
            values.add(half - 2e-6 / scale);
        }
        assertAllRead(values);
    }

    @Test
    @DisplayName("issue 18: zeros, near-zeros, known binary halves and non-finite values read as the Formatter's")
    void edgeValuesReadAsTheFormatters() {
        assertAllRead(List.of(
                0.0,
                -0.0,
                0.04,
                -0.04,
                0.05,
                -0.05,
                -0.049999,
                0.15,
                0.25,
                -0.25,
                0.35,
                1.005,
                2.675,
                9.95,
                99.95,
                -99.95,
                999_999.95,
                99_999_999.95,
                1e15,
                -1e15,
                Double.MIN_VALUE,
                -Double.MIN_VALUE,
                Double.MAX_VALUE,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY));
        assertThat(LedgerEntry.signed(-0.04, 1)).isEqualTo("+0.0");
        assertThat(LedgerEntry.signed(-0.05, 1)).isEqualTo("-0.1");
        assertThat(LedgerEntry.signed(3.14159, 2)).isEqualTo("+3.14");
    }
}
