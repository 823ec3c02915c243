package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.data.DataFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class CdnowTest {
    static final List<CustomerHistory> SAMPLE = Cdnow.load(DataFiles.resolve("cdnow/CDNOW_sample.txt"));

    @Test
    void theSampleHas2357CustomersOf946RepeatBuyers() {
        assertThat(SAMPLE).hasSize(2357);
        assertThat(SAMPLE.stream().filter(c -> c.spend().isPresent())).hasSize(946);
    }

    @Test
    void aCustomerIsSummarisedByDistinctDaysInWeeks() {
        // 00004: 1997-01-01, 01-18, 08-02 in calibration; 1997-12-12 in the holdout
        CustomerHistory c = SAMPLE.get(0);
        assertThat(c.id()).isEqualTo("00004");
        assertThat(c.calibration().frequency()).isEqualTo(2);
        assertThat(c.calibration().recency()).isCloseTo(213 / 7.0, within(1e-12));
        assertThat(c.calibration().age()).isCloseTo(272 / 7.0, within(1e-12));
        assertThat(c.holdoutTransactions()).isEqualTo(1);
        assertThat(c.averageRepeatValue()).isCloseTo((29.73 + 14.96) / 2, within(1e-9));
    }

    @Test
    void totalsMatchTheFileAtDayResolution() {
        int repeat = SAMPLE.stream().mapToInt(c -> c.calibration().frequency()).sum();
        int holdout =
                SAMPLE.stream().mapToInt(CustomerHistory::holdoutTransactions).sum();
        // Counted from the file under the README's conventions (not a published figure): a change
        // here means the loader's day-merging or period boundaries moved.
        assertThat(holdout).isEqualTo(1882);
        assertThat(repeat).isEqualTo(2457);
    }
}
