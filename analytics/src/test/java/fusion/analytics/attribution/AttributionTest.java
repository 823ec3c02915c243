package fusion.analytics.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttributionTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void splittingRowsIntoSingleJourneysChangesNoCredit(long seed) {
        List<ConversionPath> rows = Paths.random(seed, 300, 6);
        List<ConversionPath> single = new ArrayList<>();
        for (ConversionPath row : rows) {
            for (long c = 0; c < row.conversions(); c++) {
                BigDecimal share = c == 0 ? row.value() : BigDecimal.ZERO;
                single.add(new ConversionPath(row.channels(), 1, share, 0));
            }
            for (long n = 0; n < row.nulls(); n++) {
                single.add(new ConversionPath(row.channels(), 0, BigDecimal.ZERO, 1));
            }
        }
        Attribution aggregated = new Attribution();
        rows.forEach(aggregated::add);
        Attribution split = new Attribution();
        single.forEach(split::add);

        assertThat(split.heuristics().exact()).isEqualTo(aggregated.heuristics().exact());
        List<MarkovAttribution.MarkovCredit> a = Attribution.of(rows, 1, 2).markov();
        List<MarkovAttribution.MarkovCredit> b = Attribution.of(single, 1, 2).markov();
        for (int order = 0; order < 2; order++) {
            for (int c = 0; c < a.get(order).channels().size(); c++) {
                assertThat(b.get(order).channels().get(c).removalEffect())
                        .isCloseTo(a.get(order).channels().get(c).removalEffect(), within(1e-12));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32})
    void aStreamedSyntheticFileGivesTheSameCreditAsTheRowsInMemory(long seed, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("paths.csv");
        SyntheticPaths.write(file, 5_000, 8, seed);
        List<ConversionPath> rows = PathsFile.read(file);

        assertThat(Files.size(file)).isPositive();
        assertThat(Attribution.ofFile(file, 1, 3)).isEqualTo(Attribution.of(rows, 1, 3));
        assertThat(rows).hasSize(5_000).allSatisfy(r -> assertThat(r.journeys()).isEqualTo(1));
    }
}
