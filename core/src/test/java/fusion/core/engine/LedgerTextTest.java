package fusion.core.engine;

import static fusion.core.engine.Events.day;
import static fusion.core.engine.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Channel;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The ledger reads true (issue 15): each expected text is written by hand from docs/SCORING.md.
 */
class LedgerTextTest {
    private final MapState world = new MapState(new Engine(ModelConfig.defaults()));

    @Test
    @DisplayName(
            "issue 15 item 3: a product viewed 90 days after a purchase moved nothing itself; the fading is its own line")
    void fadingIsItsOwnLine() {
        world.apply(event(
                "p",
                "b",
                Purpose.PURCHASE,
                Channel.WEB,
                day(0),
                Outcome.builder().money(300).need(Need.MET).wow(true).build(),
                List.of(),
                "bought a coat"));
        Step viewed = world.apply(
                event("p", "b", Purpose.RESEARCH, Channel.WEB, day(90), Outcome.NEUTRAL, List.of(), "Product Viewed"));
        // fusion 67.658 on day 0, 55.253 on day 90 (FusionScoreTest works both out by hand): -12.4 of fading
        assertThat(viewed.ledger())
                .singleElement()
                .extracting(LedgerEntry::cause)
                .isEqualTo(
                        "+0.0 fusion, +0.0 experience: Product Viewed\n-12.4 fusion from fading since the last change");
    }

    @Test
    @DisplayName("issue 15 item 3: a wow moment while needs are failing is shown as gated, not as +1.50")
    void aGatedWowIsShownAsGated() {
        world.apply(event(
                "p",
                "b",
                Purpose.SERVICE,
                Channel.COURIER,
                day(0),
                Outcome.builder().need(Need.FAILED).build(),
                List.of(),
                "delivery failed"));
        // needs failed 2.0 > met 0: the gate is closed, the wow adds nothing to either score
        Step wow = world.apply(event(
                "p",
                "b",
                Purpose.SERVICE,
                Channel.MESSAGING,
                day(0),
                Outcome.builder().wow(true).build(),
                List.of(),
                "a handwritten note"));
        assertThat(wow.ledger())
                .singleElement()
                .extracting(LedgerEntry::cause)
                .isEqualTo("+0.0 fusion, +0.0 experience: a handwritten note (wow: gated, needs failing)");
    }

    @Test
    @DisplayName("issue 15 item 3: once needs are met again the same wow reads with its points")
    void anOpenGateShowsTheWowsPoints() {
        Step wow = world.apply(event(
                "p",
                "b",
                Purpose.SERVICE,
                Channel.MESSAGING,
                day(0),
                Outcome.builder().wow(true).build(),
                List.of(),
                "a handwritten note"));
        // raw 0.8 * 1.5 = 1.2: experience 50 + 50 tanh(1.2 / 4) = 64.57, +14.6; fusion
        // 100 sqrt(logistic(1.2 / 3) * 0.5) = 100 sqrt(0.59869 * 0.5) = 54.71, +4.7
        assertThat(wow.ledger())
                .singleElement()
                .extracting(LedgerEntry::cause)
                .isEqualTo("+4.7 fusion, +14.6 experience: a handwritten note (wow +1.50: wow moment)");
    }

    @Test
    @DisplayName("issue 15 item 3: a change too small to show reads +0.0, never -0.0")
    void noMinusZero() {
        Step shrug = world.apply(event(
                "p",
                "b",
                Purpose.SERVICE,
                Channel.WEB,
                day(0),
                Outcome.builder().sentiment(-0.004).build(),
                List.of(),
                "a shrug"));
        // ease bad 0.004: raw -0.0024, experience -0.03, fusion -0.01
        assertThat(shrug.ledger())
                .singleElement()
                .extracting(LedgerEntry::cause)
                .isEqualTo("+0.0 fusion, +0.0 experience: a shrug (sentiment +0.00: felt bad (+0.00))");
    }
}
