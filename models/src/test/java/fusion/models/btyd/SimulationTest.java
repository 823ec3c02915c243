package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

/**
 * Customers simulated from each model's own story, with a seed: the closed-form P(alive) and
 * conditional expectations must add up to what the simulated customers actually did. This checks
 * the predictive formulas independently of the likelihood and of any data set, so a holdout miss
 * on real data can be read as the model's, not the code's.
 */
class SimulationTest {
    private static final int CUSTOMERS = 60_000;
    private static final double HORIZON = 39;

    @Test
    void bgNbdPredictionsMatchSimulatedCustomers() {
        check(new BgNbd(0.243, 4.414, 0.793, 2.426), 11);
    }

    @Test
    void paretoNbdPredictionsMatchSimulatedCustomers() {
        check(new ParetoNbd(0.553, 10.578, 0.606, 11.669), 12);
    }

    private static void check(TransactionModel model, long seed) {
        RandomGenerator random = new Well19937c(seed);
        double alive = 0;
        double predictedAlive = 0;
        double holdout = 0;
        double predictedHoldout = 0;
        for (int i = 0; i < CUSTOMERS; i++) {
            double age = 27 + 12 * random.nextDouble(); // a 12-week acquisition cohort, as CDNOW's
            Simulated c = model instanceof BgNbd m ? bgNbd(m, age, random) : paretoNbd((ParetoNbd) model, age, random);
            Rfm h = new Rfm(c.x, c.x == 0 ? 0 : c.tx, age);
            alive += c.aliveAtT ? 1 : 0;
            predictedAlive += model.probabilityAlive(h);
            holdout += c.holdout;
            predictedHoldout += model.conditionalExpectedTransactions(h, HORIZON);
        }
        assertThat(predictedAlive).isCloseTo(alive, withinPercentage(1.5));
        assertThat(predictedHoldout).isCloseTo(holdout, withinPercentage(3));
    }

    private record Simulated(int x, double tx, boolean aliveAtT, int holdout) {}

    /** FHL 2005: Poisson(λ) purchases; after each repeat purchase, dropout with probability p. */
    private static Simulated bgNbd(BgNbd m, double age, RandomGenerator random) {
        double lambda = gamma(random, m.r(), m.alpha());
        double p = beta(random, m.a(), m.b());
        int x = 0;
        int holdout = 0;
        double tx = 0;
        double t = 0;
        boolean aliveAtT = true;
        while (true) {
            t += -Math.log(random.nextDouble()) / lambda;
            if (t > age + HORIZON) {
                break;
            }
            if (t <= age) {
                x++;
                tx = t;
            } else {
                holdout++;
            }
            if (random.nextDouble() < p) {
                aliveAtT = t > age;
                break;
            }
        }
        return new Simulated(x, tx, aliveAtT, holdout);
    }

    /** Schmittlein et al. 1987: Poisson(λ) purchases over an exponential(μ) lifetime. */
    private static Simulated paretoNbd(ParetoNbd m, double age, RandomGenerator random) {
        double lambda = gamma(random, m.r(), m.alpha());
        double mu = gamma(random, m.s(), m.beta());
        double death = -Math.log(random.nextDouble()) / mu;
        int x = 0;
        int holdout = 0;
        double tx = 0;
        double t = 0;
        while (true) {
            t += -Math.log(random.nextDouble()) / lambda;
            if (t > Math.min(death, age + HORIZON)) {
                break;
            }
            if (t <= age) {
                x++;
                tx = t;
            } else {
                holdout++;
            }
        }
        return new Simulated(x, tx, death > age, holdout);
    }

    private static double gamma(RandomGenerator random, double shape, double rate) {
        return new GammaDistribution(random, shape, 1 / rate).sample();
    }

    private static double beta(RandomGenerator random, double a, double b) {
        double ga = new GammaDistribution(random, a, 1).sample();
        return ga / (ga + new GammaDistribution(random, b, 1).sample());
    }
}
