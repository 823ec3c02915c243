package fusion.models.special;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HypergeometricTest {

    /** Closed forms (Abramowitz & Stegun 15.1), over both branches: z in [0, 1) and z below -1/2. */
    static Stream<Arguments> closedForms() {
        return Stream.of(
                Arguments.of(1, 1, 2, 0.5, -Math.log(0.5) / 0.5),
                Arguments.of(1, 1, 2, 0.99, -Math.log(0.01) / 0.99),
                Arguments.of(1, 1, 2, -3, Math.log(4) / 3), // ln(1+z)/z, z = 3
                Arguments.of(1, 1, 2, -0.7, Math.log(1.7) / 0.7),
                Arguments.of(0.5, 1, 1.5, -4, Math.atan(2) / 2), // arctan(z)/z, z = 2
                Arguments.of(0.5, 0.5, 1.5, 0.25, Math.asin(0.5) / 0.5), // arcsin(z)/z, z = 1/2
                Arguments.of(2.7, 1.3, 1.3, 0.6, Math.pow(0.4, -2.7)), // (1-z)^-a
                Arguments.of(2.7, 1.3, 1.3, -9, Math.pow(10, -2.7)),
                Arguments.of(
                        -3,
                        2,
                        5,
                        0.9, // a polynomial
                        1 - 6 / 5.0 * 0.9 + 36 / 60.0 * 0.81 - 144 / 1260.0 * 0.729));
    }

    @ParameterizedTest(name = "2F1({0}, {1}; {2}; {3}) = {4}")
    @MethodSource("closedForms")
    void matchesClosedForms(double a, double b, double c, double z, double expected) {
        assertThat(Hypergeometric.f21(a, b, c, z)).isCloseTo(expected, withinPercentage(1e-10));
    }

    /**
     * Seeded cases: the Pfaff branch must agree with the plain series where both converge. The plain
     * series alternates for negative z and loses digits to cancellation when the sum is small, so
     * the comparison is absolute.
     */
    static Stream<Arguments> randomNegativeArguments() {
        Random random = new Random(42);
        return IntStream.range(0, 25)
                .mapToObj(i -> Arguments.of(
                        0.1 + 5 * random.nextDouble(),
                        0.1 + 5 * random.nextDouble(),
                        0.1 + 5 * random.nextDouble(),
                        -0.5 - 0.45 * random.nextDouble()));
    }

    @ParameterizedTest
    @MethodSource("randomNegativeArguments")
    void pfaffTransformationAgreesWithTheDirectSeries(double a, double b, double c, double z) {
        double direct = directSeries(a, b, c, z);
        assertThat(Hypergeometric.f21(a, b, c, z)).isCloseTo(direct, within(1e-9));
    }

    @Test
    void logF21IsTheLogOfF21() {
        assertThat(Hypergeometric.logF21(1.5, 2.5, 3.5, -5))
                .isCloseTo(Math.log(Hypergeometric.f21(1.5, 2.5, 3.5, -5)), withinPercentage(1e-10));
    }

    @Test
    void rejectsArgumentsAtOrAboveOne() {
        assertThatThrownBy(() -> Hypergeometric.f21(1, 1, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("z must be below 1");
    }

    private static double directSeries(double a, double b, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int k = 0; k < 100_000; k++) {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
        }
        return sum;
    }
}
