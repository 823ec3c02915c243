package fusion.analytics.attribution;

import static fusion.analytics.attribution.Paths.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeuristicAttributionTest {

    @Test
    void linearCreditSplitsEachConversionEquallyOverTheCollapsedTouches() {
        HeuristicAttribution h = new HeuristicAttribution();
        h.add(path("a > a > b > c", 3, "9.3", 2));
        h.add(path("b", 1, "1", 0));
        Map<String, HeuristicAttribution.ExactCredit> credit = h.exact();

        assertThat(credit.get("a").linearConversions()).isEqualTo(Rational.of(1));
        assertThat(credit.get("b").linearConversions()).isEqualTo(Rational.of(2));
        assertThat(credit.get("c").linearValue()).isEqualTo(Rational.of(new BigDecimal("3.1")));
        assertThat(credit.get("a").firstConversions()).isEqualTo(Rational.of(3));
        assertThat(credit.get("c").lastConversions()).isEqualTo(Rational.of(3));
        assertThat(credit.get("b").lastValue()).isEqualTo(Rational.of(1));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    void everyHeuristicCreditsExactlyTheObservedConversionsAndValue(long seed) {
        List<ConversionPath> paths = Paths.random(seed, 1000, 7);
        HeuristicAttribution h = new HeuristicAttribution();
        paths.forEach(h::add);
        Rational conversions =
                paths.stream().map(p -> Rational.of(p.conversions())).reduce(Rational.ZERO, Rational::plus);
        Rational value = paths.stream().map(p -> Rational.of(p.value())).reduce(Rational.ZERO, Rational::plus);

        assertExactSums(h.exact(), conversions, value);
    }

    static void assertExactSums(
            Map<String, HeuristicAttribution.ExactCredit> credit, Rational conversions, Rational value) {
        Rational first = Rational.ZERO, last = Rational.ZERO, linear = Rational.ZERO;
        Rational firstV = Rational.ZERO, lastV = Rational.ZERO, linearV = Rational.ZERO;
        for (HeuristicAttribution.ExactCredit c : credit.values()) {
            first = first.plus(c.firstConversions());
            last = last.plus(c.lastConversions());
            linear = linear.plus(c.linearConversions());
            firstV = firstV.plus(c.firstValue());
            lastV = lastV.plus(c.lastValue());
            linearV = linearV.plus(c.linearValue());
        }
        assertThat(List.of(first, last, linear)).containsOnly(conversions);
        assertThat(List.of(firstV, lastV, linearV)).containsOnly(value);
    }
}
