package fusion.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.models.btyd.BgNbd;
import fusion.models.btyd.GammaGamma;
import org.junit.jupiter.api.Test;

/** A fit that ran to a boundary is reported as such, never used for values. */
class CustomerValueServiceTest {
    @Test
    void parametersAtTheEdgeOfTheirRangeAreNotAnEstimate() {
        GammaGamma spend = new GammaGamma(6.25, 3.74, 15.44);
        assertThat(CustomerValueService.edgeOfRange(new BgNbd(0.243, 4.414, 0.793, 2.426), spend))
                .isNull();
        // what a short demo history gave: b ran off to 8e12, and the lifetime values came out negative
        assertThat(CustomerValueService.edgeOfRange(new BgNbd(9.0e8, 5.0e9, 997, 8.1e12), spend))
                .contains("BG/NBD b")
                .contains("edge of its range");
        assertThat(CustomerValueService.edgeOfRange(
                        new BgNbd(0.243, 4.414, 0.793, 2.426), new GammaGamma(6.25, 3.74, 1e-12)))
                .contains("gamma-gamma gamma");
        // a -> 0 means nobody drops out: a limit the formulas handle (P(alive) -> 1), so it is kept
        assertThat(CustomerValueService.edgeOfRange(new BgNbd(0.243, 4.414, 2e-17, 2.426), spend))
                .isNull();
    }
}
