package fusion.core.engine;

import static fusion.core.engine.Events.day;
import static fusion.core.engine.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.InvalidInput;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusionScoreTest {
    private final Engine engine = new Engine(ModelConfig.defaults());

    @Test
    void aNewPairIsNeutral() {
        Score s = engine.score(Relationship.empty("p", "b", day(0)), day(10));
        assertThat(s.fusion()).isEqualTo(50.0);
        assertThat(s.experience()).isEqualTo(50.0);
    }

    @Test
    void fusionIsHighOnlyWhenBothSidesAreHealthy() {
        MapState s = new MapState(engine);
        for (int i = 0; i < 5; i++) {
            // a big spender who is failed every time
            s.apply(event("spender", "b", Purpose.PURCHASE, day(i), Outcome.builder().money(400)
                    .need(Need.FAILED).staff(Politeness.RUDE).build()));
            // a delighted customer who gives nothing back
            s.apply(event("taker", "b", Purpose.SERVICE, day(i), Outcome.builder().need(Need.MET).wow(true).build()));
            // both sides healthy
            s.apply(event("both", "b", Purpose.PURCHASE, day(i), Outcome.builder().money(100)
                    .need(Need.MET).wow(true).build()));
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
        s.apply(event("p", "b", Purpose.PURCHASE, day(0), Outcome.builder().money(120).need(Need.MET).build()));
        s.apply(event("p", "b", Purpose.SERVICE, day(20), Outcome.builder().need(Need.FAILED).waitSeconds(900).build()));
        assertThat(s.ledger).hasSize(2);
        LedgerEntry first = s.ledger.get(0);
        assertThat(first.fusionDelta()).isPositive();
        assertThat(first.cause()).startsWith("+").contains("spent 120", "need met");
        LedgerEntry second = s.ledger.get(1);
        assertThat(second.fusionDelta()).isNegative();
        assertThat(second.faded()).isNegative();
        assertThat(second.cause()).contains("need not met", "waited 15 min", "from fading");
        assertThat(second.fusionBefore()).isEqualTo(first.fusionAfter());
    }

    @Test
    void theConfigurationIsValidatedOnLoadNamingTheKey() {
        assertThatThrownBy(() -> ModelConfig.of(Map.of("half_life", "3")))
                .isInstanceOf(InvalidInput.class).hasMessageStartingWith("half_life: unknown model parameter");
        assertThatThrownBy(() -> ModelConfig.of(Map.of("experience_half_life_days", "-1")))
                .isInstanceOf(InvalidInput.class).hasMessageStartingWith("experience_half_life_days: expected");
        assertThatThrownBy(() -> ModelConfig.of(Map.of("wow_points", "lots")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("'lots'");
        assertThat(ModelConfig.of(Map.of("wow_points", "3")).get(Parameter.WOW_POINTS)).isEqualTo(3.0);
    }

    @Test
    void mergingTwoStatesEqualsTheStateOfTheMergedHistory() {
        MapState split = new MapState(engine);
        split.apply(event("a", "b", Purpose.PURCHASE, day(0), Outcome.builder().money(50).need(Need.MET).build()));
        split.apply(event("c", "b", Purpose.SERVICE, day(5), Outcome.builder().wow(true).need(Need.MET).build()));
        MapState together = new MapState(engine);
        together.apply(event("a", "b", Purpose.PURCHASE, day(0), Outcome.builder().money(50).need(Need.MET).build()));
        together.apply(event("a", "b", Purpose.SERVICE, day(5), Outcome.builder().wow(true).need(Need.MET).build()));

        Relationship merged = engine.merge(split.pair("a", "b"), split.pair("c", "b").forParty("a"), day(6), "m",
                "merged c").relationships().get(0);
        assertThat(engine.score(merged, day(9)).fusion())
                .isCloseTo(together.score("a", "b", day(9)).fusion(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(merged.events()).isEqualTo(2);
    }
}
