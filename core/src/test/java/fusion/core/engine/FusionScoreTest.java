package fusion.core.engine;

import static fusion.core.engine.Events.day;
import static fusion.core.engine.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import fusion.core.model.InvalidInput;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FusionScoreTest {
    private final Engine engine = new Engine(ModelConfig.defaults());

    @Test
    void aNewPairScoresFiftyOnBothMeasures() {
        Score s = engine.score(Relationship.empty("p", "b", day(0)), day(10));
        assertThat(s.fusion()).isEqualTo(50.0);
        assertThat(s.experience()).isEqualTo(50.0);
    }

    @Test
    void fusionIsHighOnlyWhenBothSidesAreHealthy() {
        MapState s = new MapState(engine);
        for (int i = 0; i < 5; i++) {
            // a big spender who is failed every time
            s.apply(event(
                    "spender",
                    "b",
                    Purpose.PURCHASE,
                    day(i),
                    Outcome.builder()
                            .money(400)
                            .need(Need.FAILED)
                            .staff(Politeness.RUDE)
                            .build()));
            // a delighted customer who gives nothing back
            s.apply(event(
                    "taker",
                    "b",
                    Purpose.SERVICE,
                    day(i),
                    Outcome.builder().need(Need.MET).wow(true).build()));
            // both sides healthy
            s.apply(event(
                    "both",
                    "b",
                    Purpose.PURCHASE,
                    day(i),
                    Outcome.builder().money(100).need(Need.MET).wow(true).build()));
        }
        Score spender = s.score("spender", "b", day(5));
        Score taker = s.score("taker", "b", day(5));
        Score both = s.score("both", "b", day(5));
        assertThat(spender.consumerSide()).isGreaterThan(0.7);
        assertThat(taker.brandSide()).isGreaterThan(0.7);
        assertThat(both.fusion()).isGreaterThan(spender.fusion() + 10).isGreaterThan(taker.fusion() + 10);
        assertThat(spender.fusion()).isLessThan(55);
    }

    @Test
    void everyChangeHasALedgerEntryWithItsCause() {
        MapState s = new MapState(engine);
        Step bought = s.apply(event(
                "p",
                "b",
                Purpose.PURCHASE,
                day(0),
                Outcome.builder().money(120).need(Need.MET).build()));
        Step failed = s.apply(event(
                "p",
                "b",
                Purpose.SERVICE,
                day(20),
                Outcome.builder().need(Need.FAILED).waitSeconds(900).build()));
        assertThat(bought.ledger()).singleElement().isSameAs(s.ledger.get(0));
        assertThat(failed.ledger()).singleElement().isSameAs(s.ledger.get(1));
        LedgerEntry first = s.ledger.get(0);
        assertThat(first.kind()).isEqualTo(LedgerEntry.Kind.EVENT);
        assertThat(first.fusionDelta()).isPositive();
        assertThat(first.cause()).startsWith("+").contains("spent 120", "need met", "effortless");
        assertThat(first.contributions()).extracting(Contribution::rule).contains("need", "effort", "purchase");
        LedgerEntry second = s.ledger.get(1);
        assertThat(second.fusionDelta()).isNegative();
        assertThat(second.experienceDelta()).isNegative();
        assertThat(second.cause()).startsWith("-").contains("need not met", "waited 15 min");
        // the entry's change is its own; the fading since the first is reported beside it
        assertThat(second.fusionBefore() - second.faded()).isCloseTo(first.fusionAfter(), within(1e-9));
    }

    @Test
    @DisplayName(
            "issue 13: fading since the last change is reported with the next change, with the amount worked out by hand")
    void fadingSinceTheLastChangeIsReportedWithTheNextChange() {
        MapState s = new MapState(engine);
        s.apply(event(
                "p",
                "b",
                Purpose.PURCHASE,
                day(0),
                Outcome.builder().money(300).need(Need.MET).wow(true).build()));
        s.apply(event("p", "b", Purpose.RESEARCH, day(90), Outcome.NEUTRAL));
        LedgerEntry quiet = s.ledger.get(1);
        // By hand (docs/SCORING.md, defaults): need met 1.0, effortless ease 0.5 and a wow 1.5 give raw
        // 1.0 + 0.6 * 0.5 + 0.8 * 1.5 = 2.5 on the brand side; 300 spent gives ln(1 + 300 / 50) = ln 7
        // on the consumer side. 90 days later experience has halved three times (half-life 30) and
        // what the consumer gave once (half-life 90). Fusion = 100 sqrt(logistic(B / 3) logistic(C / 3)):
        // 67.658 on day 0 and 55.253 on day 90, a fade of -12.405.
        assertThat(quiet.contributions()).isEmpty();
        // the event itself moved nothing: before is the faded score, and the fading is its own line
        assertThat(s.ledger.get(0).fusionAfter()).isCloseTo(67.658041, within(1e-6));
        assertThat(quiet.fusionBefore()).isCloseTo(55.252916, within(1e-6));
        assertThat(quiet.fusionAfter()).isCloseTo(55.252916, within(1e-6));
        assertThat(quiet.faded()).isCloseTo(-12.405125, within(1e-6));
        assertThat(quiet.cause())
                .isEqualTo("+0.0 fusion, +0.0 experience\n-12.4 fusion from fading since the last change");
    }

    @Test
    void theConfigurationIsValidatedOnLoadNamingTheKey() {
        assertThatThrownBy(() -> ModelConfig.of(Map.of("half_life", "3")))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("half_life"))
                .hasMessageStartingWith("half_life: unknown model parameter")
                .hasMessageContaining("experience_half_life_days");
        assertThatThrownBy(() -> ModelConfig.of(Map.of("experience_half_life_days", "-1")))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("experience_half_life_days"))
                .hasMessageStartingWith("experience_half_life_days: expected a value from 0.01 to 3650.0");
        assertThatThrownBy(() -> ModelConfig.of(Map.of("max_propagation", "10001")))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("max_propagation: ");
        assertThatThrownBy(() -> ModelConfig.of(Map.of("wow_points", "lots")))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("wow_points: ")
                .hasMessageContaining("'lots'");
        assertThat(ModelConfig.of(Map.of("wow_points", "3")).get(Parameter.WOW_POINTS))
                .isEqualTo(3.0);
        assertThat(ModelConfig.of(Map.of())).isEqualTo(ModelConfig.defaults());
    }

    @Test
    void mergingTwoStatesEqualsTheStateOfTheMergedHistory() {
        MapState split = new MapState(engine);
        split.apply(event(
                "a",
                "b",
                Purpose.PURCHASE,
                day(0),
                Outcome.builder().money(50).need(Need.MET).build()));
        split.apply(event(
                "c",
                "b",
                Purpose.SERVICE,
                day(5),
                Outcome.builder().wow(true).need(Need.MET).build()));
        MapState together = new MapState(engine);
        together.apply(event(
                "a",
                "b",
                Purpose.PURCHASE,
                day(0),
                Outcome.builder().money(50).need(Need.MET).build()));
        together.apply(event(
                "a",
                "b",
                Purpose.SERVICE,
                day(5),
                Outcome.builder().wow(true).need(Need.MET).build()));

        Relationship merged = engine.merge(
                        split.pair("a", "b"), split.pair("c", "b").forParty("a"), day(6), "m", "merged c")
                .relationships()
                .get(0);
        assertThat(engine.score(merged, day(9)).fusion())
                .isCloseTo(together.score("a", "b", day(9)).fusion(), within(1e-9));
        assertThat(merged.events()).isEqualTo(2);
    }
}
