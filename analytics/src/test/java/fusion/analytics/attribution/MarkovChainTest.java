package fusion.analytics.attribution;

import static fusion.analytics.attribution.Paths.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkovChainTest {

    @Test
    void theReadmeToyChainConvertsOneThirdWithTheReadmeRemovalEffects() {
        MarkovAttribution.MarkovCredit credit = MarkovAttribution.attribute(MarkovChain.fit(Paths.toy(), 1), 1, 5);

        assertThat(credit.conversionProbability()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(credit.channels())
                .extracting(MarkovAttribution.ChannelRemoval::channel)
                .containsExactly("C1", "C2", "C3");
        assertThat(credit.channels().get(0).removalEffect()).isCloseTo(0.5, within(1e-15));
        assertThat(credit.channels().get(1).removalEffect()).isCloseTo(1.0, within(1e-15));
        assertThat(credit.channels().get(2).removalEffect()).isCloseTo(1.0, within(1e-15));
        // shares 0.5 : 1 : 1 of one conversion worth 5
        assertThat(credit.channels().get(0).conversions()).isCloseTo(0.2, within(1e-15));
        assertThat(credit.channels().get(2).value()).isCloseTo(2.0, within(1e-14));
    }

    @Test
    void aChainWithALoopMatchesTheProbabilitySolvedByHand() {
        // a -> b 2/3, a -> null 1/3 (paths a>b and a>b>a>b start at a; a alone ends in null)
        // Counts: start->a 3; a->b 3, a->null 1; b->a 1, b->conv 2, b->null 0... built below.
        List<ConversionPath> paths =
                List.of(path("a > b", 1, "1", 0), path("a > b > a > b", 1, "1", 0), path("a", 0, "0", 1));
        // start->a: 3. a: ->b 3, ->null 1 => 3/4, 1/4. b: ->a 1, ->conv 2 => 1/3, 2/3.
        // x_b = 2/3 + 1/3 x_a ; x_a = 3/4 x_b  =>  x_a = 1/2 + 1/4 x_a  =>  x_a = 2/3.
        assertThat(MarkovChain.fit(paths, 1).conversionProbability()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void aSecondOrderChainRemembersWhereTheWalkCameFrom() {
        // After a>c, c converts; after b>c, c never does. Order 1 blurs them, order 2 does not.
        List<ConversionPath> paths = List.of(path("a > c", 1, "1", 0), path("b > c", 0, "0", 1));
        MarkovChain second = MarkovChain.fit(paths, 2);

        assertThat(second.conversionProbability()).isCloseTo(0.5, within(1e-15));
        assertThat(second.conversionProbabilityWithout("a")).isCloseTo(0.0, within(1e-15));
        assertThat(second.conversionProbabilityWithout("b")).isCloseTo(0.5, within(1e-15));
        assertThat(MarkovChain.fit(paths, 1).conversionProbabilityWithout("b")).isCloseTo(0.25, within(1e-15));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void theExactSolveAgreesWithASeededMonteCarloWalk(long seed) {
        MarkovChain chain = MarkovChain.fit(Paths.random(seed, 300, 5), 2);
        boolean[] removed = chain.statesHolding("c1");
        double exact = AbsorptionSolver.solve(chain, removed).probabilities()[0];
        double exactAll =
                AbsorptionSolver.solve(chain, new boolean[chain.states()]).probabilities()[0];

        int walks = 200_000;
        double simulated = simulate(chain, removed, walks, new Random(seed));
        double simulatedAll = simulate(chain, new boolean[chain.states()], walks, new Random(seed + 100));

        // 5 standard errors of a proportion near 1/2 over 200k walks is about 0.0056
        double tolerance = 5 * Math.sqrt(0.25 / walks);
        assertThat(simulated).isCloseTo(exact, within(tolerance));
        assertThat(simulatedAll).isCloseTo(exactAll, within(tolerance));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5, 6})
    void gaussSeidelAndLuDecompositionAgreeToTheStatedTolerance(long seed) {
        MarkovChain chain = MarkovChain.fit(Paths.random(seed, 2000, 8), 3);
        for (String channel : List.of("c0", "c3", "none")) {
            boolean[] removed = chain.statesHolding(channel);
            double[] lu = AbsorptionSolver.direct(chain, removed).probabilities();
            AbsorptionSolver.Solution gs = AbsorptionSolver.iterative(chain, removed);
            assertThat(gs.residual()).isLessThan(AbsorptionSolver.RESIDUAL_TOLERANCE);
            for (int s = 0; s < lu.length; s++) {
                assertThat(gs.probabilities()[s]).isCloseTo(lu[s], within(1e-11));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void markovCreditSumsToTheObservedConversionsAndValue(long seed) {
        List<ConversionPath> paths = Paths.random(seed, 500, 6);
        Attribution.AttributionResult result = Attribution.of(paths, 1, 2, 3);
        for (MarkovAttribution.MarkovCredit credit : result.markov()) {
            double conversions = credit.channels().stream()
                    .mapToDouble(MarkovAttribution.ChannelRemoval::conversions)
                    .sum();
            double value = credit.channels().stream()
                    .mapToDouble(MarkovAttribution.ChannelRemoval::value)
                    .sum();
            assertThat(conversions).isCloseTo(result.conversions(), within(1e-9));
            assertThat(value).isCloseTo(result.conversionValue(), within(1e-6));
            assertThat(credit.channels())
                    .allSatisfy(c -> assertThat(c.removalEffect()).isBetween(-1e-12, 1.0 + 1e-12));
        }
    }

    /** Walks from the start, sampling each step from the fitted probabilities. */
    private static double simulate(MarkovChain chain, boolean[] removed, int walks, Random rng) {
        int converted = 0;
        for (int w = 0; w < walks; w++) {
            int s = 0;
            while (true) {
                if (removed[s]) {
                    break;
                }
                double u = rng.nextDouble();
                if (u < chain.toConversion[s]) {
                    converted++;
                    break;
                }
                u -= chain.toConversion[s];
                if (u < chain.toNull[s]) {
                    break;
                }
                u -= chain.toNull[s];
                int next = -1;
                for (int e = chain.rowStart[s]; e < chain.rowStart[s + 1]; e++) {
                    next = chain.target[e];
                    if (u < chain.probability[e]) {
                        break;
                    }
                    u -= chain.probability[e];
                }
                s = next;
            }
        }
        return (double) converted / walks;
    }
}
