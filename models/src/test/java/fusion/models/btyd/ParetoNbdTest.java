package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two ways of computing the Pareto/NBD death term, and the extremes that need the second. */
class ParetoNbdTest {

    static Stream<Arguments> moderate() {
        Random random = new Random(3);
        return IntStream.range(0, 30).mapToObj(i -> {
            double alpha = 0.5 + 30 * random.nextDouble();
            double beta = 0.5 + 30 * random.nextDouble();
            double age = 5 + 50 * random.nextDouble();
            int x = 1 + random.nextInt(20);
            return Arguments.of(
                    new ParetoNbd(0.1 + 3 * random.nextDouble(), alpha, 0.1 + 3 * random.nextDouble(), beta),
                    new Rfm(x, age * random.nextDouble(), age));
        });
    }

    @ParameterizedTest
    @MethodSource("moderate")
    void quadratureAgreesWithTheHypergeometricClosedForm(ParetoNbd m, Rfm h) {
        assertThat(m.logDiedBeforeTByQuadrature(h)).isCloseTo(m.logDiedBeforeTBySeries(h), within(1e-9));
    }

    static Stream<Arguments> extreme() {
        return Stream.of(
                Arguments.of(new ParetoNbd(0.5, 1000, 2, 0.01), new Rfm(0, 0, 30)),
                Arguments.of(new ParetoNbd(0.5, 1000, 2, 0.01), new Rfm(1, 1e-3, 39)),
                Arguments.of(new ParetoNbd(0.5, 0.01, 0.6, 500), new Rfm(0, 0, 30)),
                Arguments.of(new ParetoNbd(3, 5000, 0.3, 1e-3), new Rfm(5, 0.5, 30)));
    }

    /**
     * Where the series argument is within 1e-5 of 1 (it failed to converge in 2 million terms
     * before the quadrature fallback), the likelihood is finite and P(alive) a probability.
     */
    @ParameterizedTest
    @MethodSource("extreme")
    void farApartScalesStillGiveAFiniteLikelihood(ParetoNbd m, Rfm h) {
        assertThat(m.logLikelihood(h)).isFinite().isNegative();
        assertThat(m.probabilityAlive(h)).isBetween(0.0, 1.0);
    }
}
