package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuationTest {
    static final BgNbd BG = new BgNbd(0.243, 4.414, 0.793, 2.426);
    static final ParetoNbd PARETO = new ParetoNbd(0.553, 10.578, 0.606, 11.669);
    static final GammaGamma SPEND = new GammaGamma(6.25, 3.74, 15.44);

    @Test
    void withoutDiscountingValueIsExpectedPurchasesTimesExpectedSpend() {
        Rfm h = new Rfm(3, 30, 38);
        GammaGamma.Spend spend = new GammaGamma.Spend(3, 40);
        Valuation.CustomerValue v = new Valuation(BG, SPEND, 52, 0).value("c", h, Optional.of(spend));
        assertThat(v.expectedPurchases()).isCloseTo(BG.conditionalExpectedTransactions(h, 52), withinPercentage(1e-9));
        assertThat(v.discountedPurchases()).isCloseTo(v.expectedPurchases(), withinPercentage(1e-9));
        assertThat(v.lifetimeValue())
                .isCloseTo(v.expectedPurchases() * SPEND.expectedAverageValue(spend), withinPercentage(1e-9));
        assertThat(v.probabilityAlive()).isEqualTo(BG.probabilityAlive(h));
    }

    @Test
    void discountingLowersValueAndNewBuyersGetThePopulationMeanSpend() {
        Rfm h = new Rfm(0, 0, 20);
        Valuation.CustomerValue plain = new Valuation(BG, SPEND, 104, 0).value("c", h, Optional.empty());
        Valuation.CustomerValue discounted = new Valuation(BG, SPEND, 104, 0.15).value("c", h, Optional.empty());
        assertThat(discounted.lifetimeValue()).isLessThan(plain.lifetimeValue());
        assertThat(plain.expectedAverageValue()).isCloseTo(6.25 * 15.44 / 2.74, withinPercentage(1e-9));
    }

    @Test
    void paretoDertEqualsTheDiscountedSumOfExpectedPurchasesOverAnUnboundedHorizon() {
        Rfm h = new Rfm(4, 25, 36);
        double delta = Math.log(1.15) / 52;
        // ∫ e^{-δt} dE[Y(t)] on a fine grid, far enough out that the remaining tail is negligible
        double sum = 0;
        double previous = 0;
        double step = 0.5;
        for (double t = step; t <= 20_000; t += step) {
            double cumulative = PARETO.conditionalExpectedTransactions(h, t);
            sum += (cumulative - previous) * Math.exp(-delta * (t - step / 2));
            previous = cumulative;
        }
        assertThat(PARETO.discountedExpectedResidualTransactions(h, delta)).isCloseTo(sum, withinPercentage(0.1));
    }
}
