package fusion.decisions.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

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

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 99})
    void theSameSeedGivesTheSameWaits(long seed) {
        Backoff a = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(seed));
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(seed));
        for (int n = 1; n <= 8; n++) {
            assertThat(a.after(n)).isEqualTo(b.after(n));
        }
    }
}
