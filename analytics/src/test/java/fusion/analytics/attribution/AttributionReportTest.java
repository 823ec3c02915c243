package fusion.analytics.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.DataFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The figures of {@code docs/reports/attribution-paths.md}, checked on the real ChannelAttribution data:
 * sums that must hold by construction, and the committed report against a hand count of the file.
 */
class AttributionReportTest {

    @Test
    void everyHeuristicCreditsExactlyTheConversionsAndValueOfTheRealPaths() {
        List<ConversionPath> rows = PathsFile.read(DataFiles.resolve("journeys/paths.csv"));
        Attribution attribution = new Attribution();
        rows.forEach(attribution::add);

        assertThat(rows).hasSize(10_000);
        HeuristicAttributionTest.assertExactSums(
                attribution.heuristics().exact(),
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
            assertThat(m.channels().stream()
                            .mapToDouble(MarkovAttribution.ChannelRemoval::conversions)
                            .sum())
                    .isCloseTo(19_785, within(1e-8));
            assertThat(m.channels().stream()
                            .mapToDouble(MarkovAttribution.ChannelRemoval::value)
                            .sum())
                    .isCloseTo(result.conversionValue(), within(1e-8));
            assertThat(m.worstResidual()).isLessThan(AbsorptionSolver.RESIDUAL_TOLERANCE);
            // A maximum-likelihood chain conserves flow, so the start converts at the observed rate.
            assertThat(m.conversionProbability()).isCloseTo(result.observedConversionRate(), within(1e-12));
        }
    }

    @Test
    @DisplayName(
            "issue 13: the committed report's totals and heuristic table are what a hand count of the paths file gives")
    void theCommittedReportAgreesWithAHandCountOfThePathsFile() throws Exception {
        // An independent count: split each line on ';' and ' > ', collapse repeated consecutive
        // channels, credit a row's conversions (and value) to its first channel, its last, and
        // equally to each of its touches.
        Map<String, double[]> credit = new TreeMap<>(); // first, first value, last, last value, linear, linear value
        long journeys = 0;
        long conversions = 0;
        long nulls = 0;
        List<String> lines = Files.readAllLines(DataFiles.resolve("journeys/paths.csv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(";");
            List<String> touches = new ArrayList<>();
            for (String c : f[0].split(" > ")) {
                if (touches.isEmpty() || !touches.get(touches.size() - 1).equals(c.trim())) {
                    touches.add(c.trim());
                }
            }
            long conv = Long.parseLong(f[1]);
            double value = Double.parseDouble(f[2]);
            long nul = Long.parseLong(f[3]);
            conversions += conv;
            nulls += nul;
            journeys += conv + nul;
            credit.computeIfAbsent(touches.get(0), k -> new double[6])[0] += conv;
            credit.get(touches.get(0))[1] += value;
            credit.computeIfAbsent(touches.get(touches.size() - 1), k -> new double[6])[2] += conv;
            credit.get(touches.get(touches.size() - 1))[3] += value;
            for (String c : touches) {
                credit.computeIfAbsent(c, k -> new double[6])[4] += (double) conv / touches.size();
                credit.get(c)[5] += value / touches.size();
            }
        }
        String report = Files.readString(
                DataFiles.projectRoot().resolve("docs/reports/attribution-paths.md"), StandardCharsets.UTF_8);

        assertThat(report)
                .contains("| distinct paths | " + (lines.size() - 1) + " |")
                .contains("| journeys | " + journeys + " |")
                .contains("| conversions | " + conversions + " |")
                .contains("| null journeys | " + nulls + " |");
        for (Map.Entry<String, double[]> e : credit.entrySet()) {
            double[] c = e.getValue();
            String row = report.lines()
                    .filter(l -> l.startsWith("| " + e.getKey() + " | "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no heuristic row for " + e.getKey()));
            String[] cells = row.split("\\|");
            for (int i = 0; i < 6; i++) {
                // whole conversions print exactly; linear credit to 4 decimals, values to 3
                double tolerance = i == 4 ? 0.5e-4 : i % 2 == 1 ? 0.5e-3 + 1e-9 : 0;
                assertThat(Double.parseDouble(cells[i + 2].trim()))
                        .as(e.getKey() + " column " + (i + 1))
                        .isCloseTo(c[i], within(tolerance + 1e-9));
            }
        }
        assertThat(credit).hasSize(12);
    }
}
