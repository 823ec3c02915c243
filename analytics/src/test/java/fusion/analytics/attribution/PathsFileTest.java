package fusion.analytics.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathsFileTest {

    @Test
    void columnsAreFoundByTheirHeaderNamesInAnyOrder() throws Exception {
        String csv = "total_null;path;total_conversion_value;total_conversions\n"
                + "3;eta > iota > alpha;0.244;1\n\n2;beta;0;0\n";
        List<ConversionPath> rows = new ArrayList<>();
        PathsFile.stream(new BufferedReader(new StringReader(csv)), "test", rows::add);

        assertThat(rows)
                .containsExactly(
                        new ConversionPath(List.of("eta", "iota", "alpha"), 1, new BigDecimal("0.244"), 3),
                        new ConversionPath(List.of("beta"), 0, new BigDecimal("0"), 2));
    }

    @Test
    void aBadRowIsReportedWithItsLineNumber() {
        String csv = "path;total_conversions\na > b;1\na > > b;1\n";
        assertThatThrownBy(() -> PathsFile.stream(new BufferedReader(new StringReader(csv)), "test", p -> {}))
                .hasMessageContaining("test line 3")
                .hasMessageContaining("empty channel name");
    }
}
