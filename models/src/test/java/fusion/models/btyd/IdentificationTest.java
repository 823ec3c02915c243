package fusion.models.btyd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A fit is only used when the data identify it: interior parameters and a P(alive) that varies. */
class IdentificationTest {
    private static final LocalDate END = LocalDate.of(2026, 12, 1);

    @Test
    @DisplayName("issue 15: the CDNOW sample, whose published fit is interior, is identified")
    void theCdnowSampleIsIdentified() {
        CustomerBase base = CustomerBase.fit(CdnowTest.SAMPLE, CustomerBase.Kind.BG_NBD);
        Identification id = Identification.of(base, CdnowTest.SAMPLE);
        assertThat(id.identified()).as(id.reason()).isTrue();
        assertThat(id.reason()).contains("P(alive) ranges from");
    }

    /**
     * Every customer buys exactly once a week from their first purchase to the end, at a price of
     * their own, and nobody ever leaves. There is no spread of purchase rates and no drop-out to
     * estimate, so the likelihood rises all the way to a boundary (r and alpha to infinity, or the
     * drop-out probability to zero): whatever numbers the optimiser stops at are not estimates.
     */
    @Test
    @DisplayName("issue 15: a base where everyone buys weekly and nobody leaves runs to a boundary and is refused")
    void aDegenerateBaseIsRefused() {
        Random rnd = new Random(15);
        List<CustomerBase.Purchase> log = new ArrayList<>();
        for (int c = 0; c < 120; c++) {
            double price = 10 + 40 * rnd.nextDouble();
            for (LocalDate d = END.minusDays(200 + rnd.nextInt(7)); !d.isAfter(END); d = d.plusDays(7)) {
                log.add(new CustomerBase.Purchase("c" + c, d, price * (0.8 + 0.4 * rnd.nextDouble())));
            }
        }
        List<CustomerHistory> histories = CustomerBase.summarise(log, END);
        CustomerBase base = CustomerBase.fit(histories, CustomerBase.Kind.BG_NBD);
        Identification id = Identification.of(base, histories);
        assertThat(id.identified()).as(base.purchases().model().toString()).isFalse();
        assertThat(id.reason()).containsAnyOf("BG/NBD r", "BG/NBD alpha", "BG/NBD a", "BG/NBD b", "P(alive)");
    }

    /**
     * BG/NBD's own story with one drop-out probability for everyone (0.25 after each purchase) and
     * purchase rates spread over 0.01 to 0.09 a day: the beta of drop-out probabilities collapses to
     * a point, so a and b run off together with a/(a+b) near 0.25. That is a limit the model keeps
     * its meaning in, not a failure to identify it.
     */
    @Test
    @DisplayName("issue 15: a common drop-out probability (a and b large together) is a limit the fit is used in")
    void aCommonDropOutProbabilityIsIdentified() {
        LocalDate end = END;
        Random rnd = new Random(7);
        List<CustomerBase.Purchase> log = new ArrayList<>();
        for (int c = 0; c < 150; c++) {
            double rate = 0.01 + 0.08 * rnd.nextDouble();
            LocalDate day = end.minusDays(60 + rnd.nextInt(240));
            while (!day.isAfter(end)) {
                log.add(new CustomerBase.Purchase("c" + c, day, 20 + 60 * rnd.nextDouble()));
                if (rnd.nextDouble() < 0.25) break;
                day = day.plusDays(1 + (long) (-Math.log(1 - rnd.nextDouble()) / rate));
            }
        }
        List<CustomerHistory> histories = CustomerBase.summarise(log, end);
        CustomerBase base = CustomerBase.fit(histories, CustomerBase.Kind.BG_NBD);
        BgNbd m = (BgNbd) base.purchases().model();
        Identification id = Identification.of(base, histories);
        assertThat(id.identified()).as(id.reason()).isTrue();
        assertThat(m.a() / (m.a() + m.b())).isBetween(0.15, 0.35);
    }

    @Test
    @DisplayName("issue 15: the demo's fit (a = 2e-5, b = 1.1e6) is refused, naming a as below its bound")
    void theDemosFitIsRefused() {
        CustomerBase demo = new CustomerBase(
                new Fitted<>(new BgNbd(0.9, 3.0, 2e-5, 1.1e6), -1, CdnowTest.SAMPLE.size()),
                new Fitted<>(new GammaGamma(6.25, 3.74, 15.44), -1, 946));
        Identification id = Identification.of(demo, CdnowTest.SAMPLE);
        assertThat(id.identified()).isFalse();
        assertThat(id.reason()).startsWith("BG/NBD a = 2.00e-05 is below 1e-03");
    }

    @Test
    @DisplayName("issue 15: interior parameters under which P(alive) is the same for everyone are not identified")
    void aFlatProbabilityAliveIsRefused() {
        // nobody has bought twice: by FHL 2005 eq. 13, P(alive) is exactly 1 for each of them
        List<CustomerHistory> once = new ArrayList<>();
        for (int c = 0; c < 50; c++) once.add(new CustomerHistory("c" + c, new Rfm(0, 0, 1 + c / 2.0), 0, Double.NaN));
        CustomerBase base = new CustomerBase(
                new Fitted<>(new BgNbd(0.243, 4.414, 0.793, 2.426), -1, once.size()),
                new Fitted<>(new GammaGamma(6.25, 3.74, 15.44), -1, 946));
        Identification id = Identification.of(base, once);
        assertThat(id.identified()).isFalse();
        assertThat(id.reason())
                .isEqualTo("P(alive) is 1.0000 to 1.0000 across all 50 customers (a range under 0.01), so the "
                        + "purchases cannot tell who has left");
    }
}
