package fusion.server.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import fusion.decisions.Catalogue;
import fusion.decisions.ConsentCheck;
import fusion.decisions.CustomerContext;
import fusion.decisions.Decision;
import fusion.decisions.DecisionConfig;
import fusion.decisions.DecisionService;
import fusion.decisions.Holdout;
import fusion.decisions.OutcomeReports;
import fusion.decisions.UpliftEstimate;
import fusion.decisions.UpliftOutcome;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The uplift's interval is calibrated: over 40 seeded scenarios with a known true uplift, decided
 * by the real decision service with a holdout and measured by the same code the API uses
 * ({@link HoldoutUplift#exposures}, {@link HoldoutUplift#report}, {@link HoldoutUplift#yesNo}),
 * the 95% interval covers the truth in about 95% of them.
 */
class HoldoutUpliftPropertyTest {
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final double P1 = 0.30, P0 = 0.22; // true uplift 0.08
    private static final int PEOPLE = 600, DAYS = 14;

    private static final String CATALOGUE = "{\"actions\":[{\"id\":\"plan-b\",\"type\":\"plan_b\","
            + "\"channels\":[\"email\"],\"cooldown\":\"P3D\",\"priority\":1,\"purpose\":\"service\"}]}";

    /** One seeded scenario through the decision service; the holdout's seed varies with it. */
    static HoldoutUplift.Report scenario(long seed) throws java.io.IOException {
        Catalogue read = Catalogue.read(new ByteArrayInputStream(CATALOGUE.getBytes(StandardCharsets.UTF_8)));
        Catalogue catalogue = new Catalogue(List.of(read.actions().get(0).withHoldout(new Holdout(0.3, seed))));
        DecisionService service = new DecisionService(catalogue, DecisionConfig.defaults());
        Random rnd = new Random(seed);
        List<fusion.store.DecisionRecords.DecisionRecord> records = new ArrayList<>();
        Map<String, List<Interaction>> history = new HashMap<>();
        for (int i = 0; i < PEOPLE; i++) {
            String c = "c" + i;
            List<Interaction> mine = new ArrayList<>();
            mine.add(interaction(c, Purpose.SERVICE, T0.minus(Duration.ofHours(1)), "my charger is broken"));
            Decision d = service.decide(
                    CustomerContext.builder(c, "acme")
                            .zone(ZoneId.of("UTC"))
                            .consent(ConsentCheck.ALLOW_ALL)
                            .interaction(mine.get(0))
                            .build(),
                    T0);
            boolean held = d instanceof Decision.Nothing n && n.heldOutOf().equals(Optional.of("plan-b"));
            assertThat(held || d instanceof Decision.Act).as("%s", d.reasons()).isTrue();
            records.add(new fusion.store.DecisionRecords.DecisionRecord(
                    c,
                    c,
                    "acme",
                    T0,
                    "plan-b",
                    null,
                    null,
                    null,
                    null,
                    held ? fusion.store.DecisionRecords.Outcome.NOTHING : fusion.store.DecisionRecords.Outcome.ACT,
                    fusion.store.DecisionRecords.Status.NONE,
                    "[]"));
            if (rnd.nextDouble() < (held ? P0 : P1)) {
                mine.add(interaction(
                        c, Purpose.PURCHASE, T0.plus(Duration.ofHours(1 + rnd.nextInt(13 * 24))), "bought"));
            }
            // noise the outcome must ignore: a purchase after the window, and Fusion's own report
            mine.add(interaction(c, Purpose.PURCHASE, T0.plus(Duration.ofDays(DAYS + 2)), "later"));
            history.put(c, mine);
        }
        var exposures = HoldoutUplift.exposures(records, Optional::of);
        return HoldoutUplift.report(
                "plan-b",
                catalogue.actions().get(0).holdout(),
                UpliftOutcome.PURCHASE,
                DAYS,
                Optional.empty(),
                p -> true,
                T0.plus(Duration.ofDays(DAYS + 3)),
                exposures,
                e -> HoldoutUplift.yesNo(UpliftOutcome.PURCHASE, history.get(e.profile()), e, DAYS));
    }

    private static Interaction interaction(String party, Purpose purpose, Instant at, String description) {
        return new Interaction(
                party + ":" + at + ":" + description,
                party,
                Brand.own("acme"),
                ContactPoint.of(Channel.APP),
                purpose,
                Initiator.CONSUMER,
                at,
                Outcome.NEUTRAL,
                List.of(),
                description);
    }

    @Test
    @DisplayName("issue 16 item 4: over 40 seeded scenarios the 95% interval covers the true uplift in at least 34")
    void theIntervalCoversTheTruthInRoughly95PercentOfSeeds() {
        long covered = LongStream.rangeClosed(1, 40)
                .filter(seed -> {
                    HoldoutUplift.Report r;
                    try {
                        r = scenario(seed);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    assertThat(r.treated() + r.heldOut()).isEqualTo(PEOPLE);
                    UpliftEstimate.Proportions p = (UpliftEstimate.Proportions) r.estimate();
                    return p.uplift().covers(P1 - P0);
                })
                .count();
        // misses ~ binomial(40, 0.05) if the coverage is 95%: P(7 or more misses) = 0.0034 (0.009
        // even at a true coverage of 94%). The seeds are fixed, so the test is deterministic; the
        // bound says a calibrated interval passes it for all but about 1 in 300 choices of seeds.
        assertThat(covered).isGreaterThanOrEqualTo(34);
    }

    @Test
    @DisplayName("issue 16 item 2: Fusion's own report of a decision is not the customer's contact: it does not"
            + " stop a lapse")
    void outcomeReportsAreNotContacts() {
        var e = new HoldoutUplift.Exposure("c", "acme", T0, false);
        Interaction opened = new Interaction(
                "r1",
                "c",
                Brand.own("acme"),
                new ContactPoint(OutcomeReports.contactPoint("plan-b"), Channel.EMAIL),
                Purpose.SERVICE,
                Initiator.CONSUMER,
                T0.plus(Duration.ofDays(1)),
                Outcome.NEUTRAL,
                List.of(),
                "opened: plan-b");
        Interaction call = interaction("c", Purpose.SERVICE, T0.plus(Duration.ofDays(2)), "a call");
        assertThat(HoldoutUplift.yesNo(UpliftOutcome.LAPSE, List.of(opened), e, DAYS))
                .isEqualTo(1);
        assertThat(HoldoutUplift.yesNo(UpliftOutcome.LAPSE, List.of(opened, call), e, DAYS))
                .isEqualTo(0);
        assertThat(HoldoutUplift.yesNo(UpliftOutcome.LAPSE, List.of(call), e, 1))
                .isEqualTo(1);
    }
}
