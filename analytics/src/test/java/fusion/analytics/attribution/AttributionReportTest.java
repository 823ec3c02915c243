package fusion.analytics.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.DataFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures of {@code docs/reports/attribution-paths.md}, checked on the real ChannelAttribution data. */
class AttributionReportTest {

    @Test
    void everyHeuristicCreditsExactlyTheConversionsAndValueOfTheRealPaths() {
        List<ConversionPath> rows = PathsFile.read(DataFiles.resolve("journeys/paths.csv"));
        Attribution attribution = new Attribution();
        rows.forEach(attribution::add);

        assertThat(rows).hasSize(10_000);
        HeuristicAttributionTest.assertExactSums(attribution.heuristics().exact(),
                Rational.of(19_785),
                rows.stream().map(p -> Rational.of(p.value())).reduce(Rational.ZERO, Rational::plus));
        assertThat(attribution.heuristics().exact()).hasSize(12);
    }

    @Test
    void markovCreditOfEveryOrderSumsToTheConversionsAndValueOfTheRealPaths() {
        Attribution.AttributionResult result =
                Attribution.ofFile(DataFiles.resolve("journeys/paths.csv"), AttributionReport.ORDERS);

        assertThat(result.conversions()).isEqualTo(19_785);
        assertThat(result.nulls()).isEqualTo(68_602);
        for (MarkovAttribution.MarkovCredit m : result.markov()) {
            assertThat(m.channels()).hasSize(12);
            assertThat(m.channels().stream().mapToDouble(MarkovAttribution.ChannelRemoval::conversions).sum())
                    .isCloseTo(19_785, within(1e-8));
            assertThat(m.channels().stream().mapToDouble(MarkovAttribution.ChannelRemoval::value).sum())
                    .isCloseTo(result.conversionValue(), within(1e-8));
            assertThat(m.worstResidual()).isLessThan(AbsorptionSolver.RESIDUAL_TOLERANCE);
            // A maximum-likelihood chain conserves flow, so the start converts at the observed rate.
            assertThat(m.conversionProbability()).isCloseTo(result.observedConversionRate(), within(1e-12));
        }
    }

    @Test
    void theCommittedReportIsWhatTheReportClassRendersFromTheRealPaths() throws Exception {
        Path paths = DataFiles.resolve("journeys/paths.csv");
        Path committed = DataFiles.projectRoot().resolve("docs/reports/attribution-paths.md");

        assertThat(Files.readString(committed, StandardCharsets.UTF_8)).isEqualTo(AttributionReport.render(paths));
    }
}
