package fusion.decisions.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    /** A random source that always draws the same number, so a wait can be worked out by hand. */
    private static Random fixed(double draw) {
        return new Random() {
            @Override
            public double nextDouble() {
                return draw;
            }
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void everyWaitIsWithinZeroAndTheCappedExponentialCeiling(long seed) {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(seed));
        for (int n = 1; n <= 12; n++) {
            long ceiling = Math.min(2_000, 100L << (n - 1));
            for (int k = 0; k < 50; k++) {
                assertThat(b.after(n).toMillis()).isBetween(0L, ceiling);
            }
        }
    }

    @ParameterizedTest(name = "after failure {0} a draw of {1} waits {2} ms")
    @DisplayName("issue 13: the wait is the draw times min(2 s, 100 ms * 2^(n-1)), worked out by hand")
    @CsvSource({
        "1, 0.5, 50", // 0.5 * 100
        "2, 0.5, 100", // 0.5 * 200
        "3, 0.25, 100", // 0.25 * 400
        "5, 0.75, 1200", // 0.75 * 1600
        "6, 0.75, 1500", // 0.75 * min(2000, 3200)
        "40, 0.5, 1000", // the cap holds however many failures (no overflow)
        "1, 0.0, 0",
    })
    void theWaitIsTheDrawTimesTheCappedExponentialCeiling(int failures, double draw, long millis) {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), fixed(draw));
        assertThat(b.after(failures)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    @DisplayName("issue 13: full jitter spreads waits uniformly: mean half the ceiling, the ceiling nearly reached")
    void waitsAreSpreadUniformlyBelowTheCeiling() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(5));
        int n = 20_000;
        double sum = 0;
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            long w = b.after(3).toNanos(); // ceiling 400 ms
            sum += w;
            max = Math.max(max, w);
            min = Math.min(min, w);
        }
        // uniform on [0, 400 ms): mean 200 ms, standard error 400 / sqrt(12 n) = 0.82 ms
        assertThat(sum / n / 1e6).isCloseTo(200, within(4.0));
        assertThat(max / 1e6).isGreaterThan(398);
        assertThat(min / 1e6).isLessThan(2);
    }
}
