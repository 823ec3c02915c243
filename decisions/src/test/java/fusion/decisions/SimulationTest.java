package fusion.decisions;

import static fusion.decisions.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Channel;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void replayCountsActsPerCustomerAndChannelAndWhatStoppedTheRest() {
        Instant lateInRome = Instant.parse("2026-03-10T22:30:00Z");
        var history = List.of(
                broken("alice", day(1), "charger"),
                broken("alice", day(1.01), "charger"), // same matter: Plan B is cooling down
                broken("bob", day(2), "charger"), // bob refused everything
                broken("carol", lateInRome, "phone"), // deferred to carol's morning
                research("dan", day(3), "tent"), // one look is not an intent yet
                purchase("erin", day(4), Channel.WEB, "jeans"));
        var config = Simulation.Config.of(BRAND, DecisionConfig.defaults())
                .withZones(c -> ZoneId.of("Europe/Rome"))
                .withConsent(c -> c.equals("bob") ? ConsentCheck.DENY_ALL : ConsentCheck.ALLOW_ALL);

        SimulationReport r = Simulation.run(history, Catalogue.defaults(), config);

        assertThat(r.decisions()).hasSize(6);
        assertThat(r.actsByCustomer()).containsOnlyKeys("alice", "carol", "erin");
        assertThat(r.actsByAction()).containsEntry("plan-b-replacement", 2L).containsEntry("courier-return-pickup", 1L);
        assertThat(r.consentRefusals()).isEqualTo(1);
        assertThat(r.deferrals()).isEqualTo(1);
        assertThat(r.nothingReasons())
                .containsEntry(ReasonCode.NO_CONSENT, 1L)
                .containsEntry(ReasonCode.NOTHING_RELEVANT, 1L);
        assertThat(r.toMarkdown())
                .contains(
                        "# Decision simulation",
                        "| plan-b-replacement | 2 |",
                        "| no_consent | 1 |",
                        "## Acts per channel");
    }

    @Test
    void aSecondEventInsideTheCooldownIsCountedAsSuchAndTheCapsHitAreCounted() {
        var history = List.of(
                broken("alice", day(1), "charger"),
                broken("alice", day(1.01), "charger"),
                complaint("alice", day(1.02), "still broken"));
        var config = Simulation.Config.of(
                BRAND, DecisionConfig.defaults().withCaps(FrequencyCaps.overall(1, java.time.Duration.ofDays(7))));
        SimulationReport r = Simulation.run(history, Catalogue.defaults(), config);
        assertThat(r.acts()).hasSize(1);
        assertThat(r.capsHit()).isEqualTo(1);
        assertThat(r.nothingReasons())
                .containsEntry(ReasonCode.UNMET_NEED_NO_FIX, 1L)
                .containsEntry(ReasonCode.CAPPED_OVERALL, 1L);
    }
}
