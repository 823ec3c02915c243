package fusion.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ExactSum}: the exact sum rounded once, whatever the order of the terms. */
class ExactSumTest {
    private static double sum(double... terms) {
        ExactSum s = new ExactSum();
        for (double t : terms) s.add(t);
        return s.value();
    }

    @Test
    void figuresWorkedByHand() {
        assertThat(sum()).isEqualTo(0.0);
        // 1e16 + 1 is not a double (the spacing there is 2): added in order the 1 is lost
        assertThat(1e16 + 1.0 - 1e16).isEqualTo(0.0);
        assertThat(sum(1e16, 1.0, -1e16)).isEqualTo(1.0);
        // the double nearest 0.1 is 0.1000000000000000055511151231257827...; ten of them are
        // 1.000000000000000055511151231257827..., nearer 1 than the next double (1 + 2^-52)
        double[] tenths = new double[10];
        java.util.Arrays.fill(tenths, 0.1);
        double inOrder = 0;
        for (double t : tenths) inOrder += t;
        assertThat(inOrder).isEqualTo(0.9999999999999999);
        assertThat(sum(tenths)).isEqualTo(1.0);
        // 1 + 2^-53 is halfway between 1 and 1 + 2^-52: ties go to the even one, 1; anything
        // more, however small and wherever it comes, rounds up
        assertThat(sum(1.0, 0x1p-53)).isEqualTo(1.0);
        assertThat(sum(1.0, 0x1p-53, 0x1p-80)).isEqualTo(1.0 + 0x1p-52);
        assertThat(sum(0x1p-80, 1.0, 0x1p-53)).isEqualTo(1.0 + 0x1p-52);
        assertThat(sum(-0.5, 0x1p-53, 1.5, 0x1p-80)).isEqualTo(1.0 + 0x1p-52);
        // cents: 0.1 + 0.2 is 0.30000000000000004 in order; the exact sum of those doubles too
        assertThat(sum(0.1, 0.2)).isEqualTo(0.1 + 0.2);
    }

    /**
     * Near the top of the range, where a two-sum of the partials would overflow (found by review,
     * 2026-12-07: it threw on {@code new BigDecimal(Infinity)}): still the exact sum rounded once.
     */
    @Test
    void termsNearTheTopOfTheRange() {
        double m = Double.MAX_VALUE;
        assertThat(sum(m, m, -m)).isEqualTo(m);
        assertThat(sum(m, -m, m, 1.0)).isEqualTo(m);
        assertThat(sum(m, m)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sum(-m, -m, 0.5)).isEqualTo(Double.NEGATIVE_INFINITY);
        // 2^1023 + 2^1023 - 2^1023 + 1: the 1 survives until the end, then rounds away
        assertThat(sum(0x1p1023, 0x1p1023, -0x1p1023, 1.0, -0x1p1023)).isEqualTo(1.0);
    }

    @Test
    void infiniteAndNanTermsGiveWhatAddingThemGives() {
        assertThat(sum(1.0, Double.POSITIVE_INFINITY, -5.0)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sum(Double.POSITIVE_INFINITY, 1.0, Double.NEGATIVE_INFINITY)).isNaN();
        assertThat(sum(2.0, Double.NaN)).isNaN();
    }

    static Stream<Long> seeds() {
        return LongStream.range(1, 41).boxed();
    }

    /**
     * Terms of many magnitudes and signs, with cancellations: the sum equals BigDecimal's exact
     * sum rounded once, and the same in a shuffled order, to the bit.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void theExactSumRoundedOnceInAnyOrder(long seed) {
        Random r = new Random(seed);
        List<Double> terms = new ArrayList<>();
        int n = 1 + r.nextInt(2_000);
        for (int i = 0; i < n; i++) {
            double x = switch (r.nextInt(4)) {
                case 0 -> Math.round(r.nextGaussian() * 10_000) / 100.0; // money in cents
                case 1 -> r.nextGaussian() * Math.pow(2, r.nextInt(120) - 60);
                case 2 -> terms.isEmpty() ? 1.0 : -terms.get(r.nextInt(terms.size())); // cancels one
                default -> Math.scalb(1.0 + r.nextDouble(), r.nextInt(160) - 80);
            };
            terms.add(x);
        }
        BigDecimal exact = BigDecimal.ZERO;
        for (double t : terms) exact = exact.add(new BigDecimal(t));
        double expected = exact.doubleValue();
        assertThat(sum(terms)).as("seed %d, %d terms", seed, n).isEqualTo(expected);
        Collections.shuffle(terms, r);
        assertThat(sum(terms)).as("seed %d shuffled", seed).isEqualTo(expected);
    }

    private static double sum(List<Double> terms) {
        ExactSum s = new ExactSum();
        terms.forEach(s::add);
        return s.value();
    }
}
