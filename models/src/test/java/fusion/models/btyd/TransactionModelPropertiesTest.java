package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Identities every fitted BG/NBD and Pareto/NBD must satisfy, over seeded random cases. */
class TransactionModelPropertiesTest {

    static Stream<Arguments> cases() {
        Random random = new Random(7);
        return IntStream.range(0, 40).mapToObj(i -> {
            double r = 0.1 + 2 * random.nextDouble();
            double alpha = 0.5 + 20 * random.nextDouble();
            double third = 0.2 + 3 * random.nextDouble();
            double fourth = 0.5 + 20 * random.nextDouble();
            TransactionModel model =
                    i % 2 == 0 ? new BgNbd(r, alpha, third, fourth) : new ParetoNbd(r, alpha, third, fourth);
            double age = 1 + 60 * random.nextDouble();
            int x = random.nextInt(15);
            double recency = x == 0 ? 0 : age * random.nextDouble();
            return Arguments.of(model, new Rfm(x, recency, age));
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aBrandNewCustomerExpectsWhatTheCohortExpects(TransactionModel model, Rfm ignored) {
        Rfm justArrived = new Rfm(0, 0, 0);
        for (double t : new double[] {1, 10, 39, 100}) {
            assertThat(model.conditionalExpectedTransactions(justArrived, t))
                    .isCloseTo(model.expectedTransactions(t), withinPercentage(1e-8));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void probabilityAliveIsAProbabilityAndExpectationsGrowWithTime(TransactionModel model, Rfm h) {
        double alive = model.probabilityAlive(h);
        assertThat(alive).isBetween(0.0, 1.0);
        double previous = 0;
        for (double t = 5; t <= 100; t += 5) {
            double e = model.conditionalExpectedTransactions(h, t);
            assertThat(e).isGreaterThanOrEqualTo(previous);
            previous = e;
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void logLikelihoodMatchesTheIntegralItSummarises(TransactionModel model, Rfm h) {
        assertThat(model.logLikelihood(h)).isCloseTo(Math.log(integratedLikelihood(model, h)), within(1e-6));
    }

    /**
     * Both models' likelihoods written as "alive at T" plus a one-dimensional integral over the death
     * time in (t_x, T], evaluated by Simpson's rule: an independent check of the hypergeometric
     * closed form (and its two branches) for Pareto/NBD, and of the beta-function form for BG/NBD.
     */
    private static double integratedLikelihood(TransactionModel model, Rfm h) {
        int x = h.frequency();
        if (model instanceof ParetoNbd m) {
            double g = Math.exp(fusion.models.special.LogSpace.logGamma(m.r() + x)
                    - fusion.models.special.LogSpace.logGamma(m.r())
                    + m.r() * Math.log(m.alpha())
                    + m.s() * Math.log(m.beta()));
            double aliveAtT = Math.pow(m.alpha() + h.age(), -(m.r() + x)) * Math.pow(m.beta() + h.age(), -m.s());
            double died = simpson(
                    tau -> m.s() * Math.pow(m.alpha() + tau, -(m.r() + x)) * Math.pow(m.beta() + tau, -(m.s() + 1)),
                    h.recency(),
                    h.age());
            return g * (aliveAtT + died);
        }
        BgNbd m = (BgNbd) model;
        // BG/NBD has no death-time integral; its eq. (6) is checked against the direct (non-log) form.
        double a1 = Math.exp(fusion.models.special.LogSpace.logGamma(m.r() + x)
                - fusion.models.special.LogSpace.logGamma(m.r())
                + m.r() * Math.log(m.alpha()));
        double b0 = Math.exp(fusion.models.special.LogSpace.logBeta(m.a(), m.b()));
        double a2 = Math.exp(fusion.models.special.LogSpace.logBeta(m.a(), m.b() + x))
                / b0
                * Math.pow(m.alpha() + h.age(), -(m.r() + x));
        double a3 = x == 0
                ? 0
                : Math.exp(fusion.models.special.LogSpace.logBeta(m.a() + 1, m.b() + x - 1))
                        / b0
                        * Math.pow(m.alpha() + h.recency(), -(m.r() + x));
        return a1 * (a2 + a3);
    }

    private static double simpson(java.util.function.DoubleUnaryOperator f, double from, double to) {
        int n = 20_000;
        double step = (to - from) / n;
        double sum = f.applyAsDouble(from) + f.applyAsDouble(to);
        for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(from + i * step);
        }
        return sum * step / 3;
    }
}
