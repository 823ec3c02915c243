package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import fusion.models.btyd.CustomerBase.Purchase;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerBaseTest {
    static final LocalDate END = LocalDate.of(2025, 3, 31);

    @Test
    void aPurchaseLogIsSummarisedByDistinctDaysUpToTheEnd() {
        List<Purchase> log = List.of(
                new Purchase("ann", LocalDate.of(2025, 1, 1), 10),
                new Purchase("ann", LocalDate.of(2025, 1, 15), 20),
                new Purchase("ann", LocalDate.of(2025, 1, 15), 5),
                new Purchase("bob", LocalDate.of(2025, 3, 3), 7),
                new Purchase("ann", LocalDate.of(2025, 4, 2), 99),
                new Purchase("cat", LocalDate.of(2025, 4, 5), 1));
        List<CustomerHistory> histories = CustomerBase.summarise(log, END);
        assertThat(histories).extracting(CustomerHistory::id).containsExactly("ann", "bob");
        CustomerHistory ann = histories.get(0);
        assertThat(ann.calibration()).isEqualTo(new Rfm(1, 14 / 7.0, 89 / 7.0));
        assertThat(ann.averageRepeatValue()).isEqualTo(25);
        assertThat(ann.holdoutTransactions()).isZero();
        assertThat(histories.get(1).spend()).isEmpty();
    }

    @Test
    void fittingACustomerBaseValuesEveryCustomer() {
        CustomerBase base = CustomerBase.fit(CdnowTest.SAMPLE, CustomerBase.Kind.BG_NBD);
        assertThat(((BgNbd) base.purchases().model()).r()).isCloseTo(0.243, withinPercentage(1));
        assertThat(base.spend().customers()).isEqualTo(946);
        Valuation valuation = base.valuation(52, 0.15);
        for (CustomerHistory c : CdnowTest.SAMPLE) {
            Valuation.CustomerValue v = valuation.value(c);
            assertThat(v.probabilityAlive()).isBetween(0.0, 1.0);
            assertThat(v.lifetimeValue()).isBetween(0.0, v.expectedPurchases() * v.expectedAverageValue());
        }
        assertThat(valuation.value(CdnowTest.SAMPLE.get(0)).id()).isEqualTo("00004");
        assertThat(base.purchases().logLikelihood()).isCloseTo(-9582.4, within(0.1));
    }
}
