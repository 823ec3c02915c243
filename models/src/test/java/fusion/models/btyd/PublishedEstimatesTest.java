package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import fusion.models.data.DataFiles;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each model's fit on the paper's own data reproduces the published estimates: parameters within 1%
 * relative (the papers print three or four significant figures), log-likelihoods within 0.1.
 */
class PublishedEstimatesTest {
    static final List<Rfm> SAMPLE =
            CdnowTest.SAMPLE.stream().map(CustomerHistory::calibration).toList();

    @Test
    void bgNbdOnCdnowMatchesFaderHardieLee2005() {
        Fitted<BgNbd> fit = BgNbd.fit(SAMPLE);
        BgNbd m = fit.model();
        assertThat(m.r()).isCloseTo(0.243, withinPercentage(1));
        assertThat(m.alpha()).isCloseTo(4.414, withinPercentage(1));
        assertThat(m.a()).isCloseTo(0.793, withinPercentage(1));
        assertThat(m.b()).isCloseTo(2.426, withinPercentage(1));
        assertThat(fit.logLikelihood()).isCloseTo(-9582.4, within(0.1));
        assertThat(fit.customers()).isEqualTo(2357);
    }

    @Test
    void theFittersShortcutLikelihoodsEqualTheSumOverCustomers() {
        BgNbd bg = new BgNbd(0.3, 5, 0.8, 2.5);
        assertThat(bg.logLikelihood(Patterns.of(SAMPLE))).isCloseTo(bg.logLikelihood(SAMPLE), within(1e-8));
        List<GammaGamma.Spend> spend = CdnowTest.SAMPLE.stream()
                .map(CustomerHistory::spend)
                .flatMap(Optional::stream)
                .toList();
        GammaGamma gg = new GammaGamma(6, 4, 15);
        assertThat(gg.logLikelihood(spend))
                .isCloseTo(spend.stream().mapToDouble(gg::logLikelihood).sum(), within(1e-8));
    }

    @Test
    void paretoNbdOnCdnowMatchesThePublishedFit() {
        Fitted<ParetoNbd> fit = ParetoNbd.fit(SAMPLE);
        ParetoNbd m = fit.model();
        assertThat(m.r()).isCloseTo(0.553, withinPercentage(1));
        assertThat(m.alpha()).isCloseTo(10.578, withinPercentage(1));
        assertThat(m.s()).isCloseTo(0.606, withinPercentage(1));
        assertThat(m.beta()).isCloseTo(11.669, withinPercentage(1));
        assertThat(fit.logLikelihood()).isCloseTo(-9595.0, within(0.1));
    }

    @Test
    void gammaGammaOnThe946RepeatBuyersMatchesFaderHardieLee2005() {
        List<GammaGamma.Spend> spend = CdnowTest.SAMPLE.stream()
                .map(CustomerHistory::spend)
                .flatMap(Optional::stream)
                .toList();
        Fitted<GammaGamma> fit = GammaGamma.fit(spend);
        assertThat(fit.customers()).isEqualTo(946);
        assertThat(fit.model().p()).isCloseTo(6.25, withinPercentage(1));
        assertThat(fit.model().q()).isCloseTo(3.74, withinPercentage(1));
        assertThat(fit.model().gamma()).isCloseTo(15.44, withinPercentage(1));
    }

    @Test
    void bgBbOnDonationsMatchesFaderHardieShang2010() {
        Fitted<BgBb> fit = BgBb.fit(ReferenceData.donations(DataFiles.resolve("cdnow/donations.csv")));
        assertThat(fit.customers()).isEqualTo(11104);
        assertThat(fit.model().alpha()).isCloseTo(1.204, withinPercentage(1));
        assertThat(fit.model().beta()).isCloseTo(0.750, withinPercentage(1));
        assertThat(fit.model().gamma()).isCloseTo(0.657, withinPercentage(1));
        assertThat(fit.model().delta()).isCloseTo(2.783, withinPercentage(1));
    }

    @Test
    void shiftedBetaGeometricOnRegularCustomersMatchesFaderHardie2007() {
        long[] alive = {1000, 869, 743, 653, 593, 551, 517, 491};
        Fitted<ShiftedBetaGeometric> fit = ShiftedBetaGeometric.fit(alive);
        assertThat(fit.model().gamma()).isCloseTo(0.668, withinPercentage(1));
        assertThat(fit.model().delta()).isCloseTo(3.806, withinPercentage(1));
    }
}
