package fusion.models.special;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogSpaceTest {

    @Test
    void logSumExpDoesNotOverflowWhereTheNaiveSumDoes() {
        assertThat(LogSpace.logSumExp(1000, 1000)).isCloseTo(1000 + Math.log(2), within(1e-12));
        assertThat(LogSpace.logSumExp(-1000, -1000, -1000)).isCloseTo(-1000 + Math.log(3), within(1e-12));
        assertThat(LogSpace.logSumExp(Double.NEGATIVE_INFINITY, 2)).isEqualTo(2);
    }

    @Test
    void logDiffExpKeepsPrecisionForNearlyEqualTerms() {
        assertThat(LogSpace.logDiffExp(Math.log(3), Math.log(2))).isCloseTo(0, within(1e-15));
        assertThat(LogSpace.logDiffExp(0, -1e-12)).isCloseTo(Math.log(1e-12), within(1e-6));
        assertThat(LogSpace.logDiffExp(1, 1)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void logBetaAndLogGammaMatchKnownValues() {
        assertThat(LogSpace.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
        assertThat(LogSpace.logGamma(11)).isCloseTo(Math.log(3628800), within(1e-12));
        assertThat(LogSpace.logBeta(2, 3)).isCloseTo(Math.log(1 / 12.0), within(1e-14));
        assertThat(LogSpace.logBeta(1e-3, 1e3)).isFinite();
    }

    @Test
    void upperIncompleteGammaHandlesNegativeOrders() {
        // Γ(1, z) = e^-z; Γ(0.5, z) = √π erfc(√z); Γ(-0.5, z) = 2 z^-0.5 e^-z - 2 Γ(0.5, z)
        double z = 0.3;
        assertThat(IncompleteGamma.logUpper(1, z)).isCloseTo(-z, within(1e-12));
        double half = Math.sqrt(Math.PI) * org.apache.commons.math3.special.Erf.erfc(Math.sqrt(z));
        assertThat(IncompleteGamma.logUpper(0.5, z)).isCloseTo(Math.log(half), within(1e-12));
        double minusHalf = 2 * Math.pow(z, -0.5) * Math.exp(-z) - 2 * half;
        assertThat(IncompleteGamma.logUpper(-0.5, z)).isCloseTo(Math.log(minusHalf), within(1e-12));
        // E1(0.3) = 0.9056766516758467 (A&S table 5.1)
        assertThat(Math.exp(IncompleteGamma.logUpper(0, z))).isCloseTo(0.9056766516758467, within(1e-6));
    }
}
