package fusion.decisions;

import static fusion.decisions.Events.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.Channel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("issue 16 holdouts")
class HoldoutTest {

    @Test
    @DisplayName(
            "issue 16 item 5: a holdout takes its share of people, stably per person, and another seed draws others")
    void shareAndStability() {
        Holdout h = new Holdout(0.2, 11);
        int n = 20_000, held = 0, same = 0, heldByOther = 0;
        for (int i = 0; i < n; i++) {
            boolean in = h.holdsOut("plan-b", "c" + i);
            if (in) held++;
            if (in == new Holdout(0.2, 11).holdsOut("plan-b", "c" + i)) same++;
            if (in && new Holdout(0.2, 12).holdsOut("plan-b", "c" + i)) heldByOther++;
        }
        double sd = Math.sqrt(n * 0.2 * 0.8); // binomial: 4 standard deviations either side
        assertThat((double) held).isBetween(n * 0.2 - 4 * sd, n * 0.2 + 4 * sd);
        assertThat(same).isEqualTo(n);
        // independent draws overlap in about 0.2 x 0.2 of people, not in all the held-out ones
        assertThat((double) heldByOther)
                .isBetween(n * 0.04 - 4 * Math.sqrt(n * 0.04), n * 0.04 + 4 * Math.sqrt(n * 0.04));
        assertThatThrownBy(() -> new Holdout(0.7, 1)).hasMessageContaining("holdout.share");
    }

    @Test
    @DisplayName("issue 16 item 5: a held-out person gets nothing with reason holdout, the others get the action")
    void heldOutPeopleGetNothing() throws Exception {
        String json =
                "{\"actions\":[{\"id\":\"plan-b\",\"type\":\"plan_b\",\"channels\":[\"email\"],\"cooldown\":\"P1D\","
                        + "\"priority\":1,\"purpose\":\"service\",\"holdout\":{\"share\":0.5,\"seed\":3}}]}";
        Catalogue catalogue = Catalogue.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        DecisionService service = new DecisionService(catalogue, DecisionConfig.defaults());
        Holdout h = catalogue.find("plan-b").orElseThrow().holdout();
        int acts = 0, holdouts = 0;
        for (int i = 0; i < 40; i++) {
            String c = "c" + i;
            Decision d = service.decide(
                    CustomerContext.builder(c, BRAND)
                            .zone(ZoneId.of("Europe/Rome"))
                            .consent(ConsentCheck.ALLOW_ALL)
                            .statedChannels(Channel.EMAIL)
                            .interaction(broken(c, day(19.9), "charger"))
                            .build(),
                    day(20));
            if (h.holdsOut("plan-b", c)) {
                assertThat(d).isInstanceOf(Decision.Nothing.class);
                assertThat(d.primary().code()).isEqualTo(ReasonCode.HOLDOUT);
                assertThat(d.primary().toString()).contains("plan-b").contains("50%");
                assertThat(((Decision.Nothing) d).heldOutOf()).contains("plan-b");
                holdouts++;
            } else {
                assertThat(d).as("%s", d.reasons()).isInstanceOf(Decision.Act.class);
                acts++;
            }
        }
        assertThat(acts).isPositive();
        assertThat(holdouts).isPositive();
        String bad = json.replace("0.5", "0.9");
        assertThatThrownBy(() -> Catalogue.read(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidCatalogue.class)
                .hasMessageContaining("holdout.share");
    }

    /** People eligible for an action with a 20% holdout; the outcome rate is 10%, 15% when treated: true uplift 0.05. */
    private static Uplift scenario(long seed, int people) {
        Holdout h = new Holdout(0.2, seed);
        Random rnd = new Random(seed);
        long treated = 0, treatedYes = 0, held = 0, heldYes = 0;
        for (int i = 0; i < people; i++) {
            boolean out = h.holdsOut("win-back", "p" + i);
            boolean yes = rnd.nextDouble() < (out ? 0.10 : 0.15);
            if (out) {
                held++;
                if (yes) heldYes++;
            } else {
                treated++;
                if (yes) treatedYes++;
            }
        }
        return Uplift.of(treated, treatedYes, held, heldYes);
    }

    @Test
    @DisplayName("issue 16 item 5: on a seeded scenario with a true uplift of 0.05 the 95% interval covers it")
    void intervalCoversTheTrueUplift() {
        Uplift u = scenario(42, 20_000);
        assertThat(u.covers(0.05)).as("%s", u).isTrue();
        assertThat(u.low())
                .as("the effect is detected: the interval excludes 0")
                .isPositive();
        assertThat(u.high() - u.low()).as("width").isLessThan(0.04);
    }

    @Test
    @DisplayName(
            "issue 16 item 5: over 300 seeded scenarios the 95% interval covers the true uplift about 95% of the time")
    void intervalIsCalibrated() {
        List<Boolean> covered = new ArrayList<>();
        for (long seed = 1; seed <= 300; seed++)
            covered.add(scenario(seed, 3_000).covers(0.05));
        double rate = covered.stream().filter(b -> b).count() / 300.0;
        // binomial(300, 0.95): standard deviation 0.0126; 4 of them either side
        assertThat(rate).isBetween(0.95 - 0.05, 0.95 + 0.05);
    }

    @Test
    @DisplayName("issue 16 item 5: the uplift of a hand-worked example: 30 of 100 treated against 20 of 100 held out")
    void handWorked() {
        Uplift u = Uplift.of(100, 30, 100, 20);
        // d = 0.10; se = sqrt(0.3*0.7/100 + 0.2*0.8/100) = sqrt(0.0037) = 0.060828; 1.96 se = 0.119221
        assertThat(u.uplift()).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(u.low()).isCloseTo(0.10 - 0.119221, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(u.high()).isCloseTo(0.10 + 0.119221, org.assertj.core.data.Offset.offset(1e-5));
    }

    private static Catalogue catalogue(String holdout) {
        String json = "{\"actions\":[{\"id\":\"plan-b\",\"type\":\"plan_b\",\"channels\":[\"email\"],"
                + "\"cooldown\":\"P1D\",\"priority\":1,\"purpose\":\"marketing\",\"holdout\":" + holdout + "}]}";
        try {
            return Catalogue.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("issue 16 item 1: consent is checked first: a person without consent is neither treated nor held"
            + " out, and the nothing says no_consent")
    void consentComesBeforeTheHoldout() {
        DecisionService service =
                new DecisionService(catalogue("{\"share\":0.5,\"seed\":3}"), DecisionConfig.defaults());
        Holdout h = new Holdout(0.5, 3);
        int heldOutWithoutConsent = 0;
        for (int i = 0; i < 40; i++) {
            String c = "n" + i;
            Decision d = service.decide(
                    CustomerContext.builder(c, BRAND)
                            .consent((purpose, channel, at) -> new ConsentVerdict(false, "never granted"))
                            .interaction(broken(c, day(19.9), "charger"))
                            .build(),
                    day(20));
            assertThat(d).isInstanceOf(Decision.Nothing.class);
            assertThat(d.primary().code()).isEqualTo(ReasonCode.NO_CONSENT);
            assertThat(d.hasReason(ReasonCode.HOLDOUT)).isFalse();
            assertThat(((Decision.Nothing) d).heldOutOf()).isEmpty();
            if (h.holdsOut("plan-b", c)) heldOutWithoutConsent++;
        }
        assertThat(heldOutWithoutConsent)
                .as("the draw would have held some of them out")
                .isPositive();
    }

    @Test
    @DisplayName("issue 16 item 1: a bad holdout in the catalogue is refused naming its JSON path")
    void badHoldoutsAreNamed() {
        for (String[] bad : new String[][] {
            {"{\"share\":-0.1}", "$.actions[0].holdout.share"},
            {"{\"share\":\"10%\"}", "$.actions[0].holdout.share"},
            {"{\"share\":0.1,\"seed\":\"x\"}", "$.actions[0].holdout.seed"},
            {"{\"share\":0.1,\"seed\":1.5}", "$.actions[0].holdout.seed"},
            {"{\"shares\":0.1}", "$.actions[0].holdout.shares"},
            {"{\"seed\":1}", "$.actions[0].holdout.share"}
        }) {
            assertThatThrownBy(() -> catalogue(bad[0]))
                    .as(bad[0])
                    .isInstanceOf(InvalidCatalogue.class)
                    .hasMessageContaining(bad[1]);
        }
        assertThat(catalogue("{\"share\":0}")
                        .find("plan-b")
                        .orElseThrow()
                        .holdout()
                        .share())
                .isZero();
    }

    @Test
    @DisplayName("issue 16 item 2: the uplift of a score change, hand-worked: means 3 and 2, equal variances 2.5,"
            + " Welch's 8 degrees of freedom and t = 2.306004 from the published table")
    void meanUpliftHandWorked() {
        MeanUplift u = MeanUplift.of(new double[] {1, 2, 3, 4, 5}, new double[] {0, 1, 2, 3, 4});
        // se = sqrt(2.5/5 + 2.5/5) = 1; df = (0.5 + 0.5)^2 / (0.25/4 + 0.25/4) = 8; t(0.975, 8) = 2.306004
        assertThat(u.uplift()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(u.degreesOfFreedom()).isCloseTo(8.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(u.low()).isCloseTo(1 - 2.306004, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(u.high()).isCloseTo(1 + 2.306004, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    @DisplayName("issue 16 item 2: fewer than 30 people in an arm, or fewer than 5 with or without a yes/no outcome,"
            + " gives 'too few people' and no interval")
    void tooFewPeople() {
        List<Double> thirty = java.util.Collections.nCopies(30, 0.0);
        List<Double> mixed = new ArrayList<>();
        for (int i = 0; i < 30; i++) mixed.add(i < 10 ? 1.0 : 0.0);
        assertThat(UpliftEstimate.of(UpliftOutcome.PURCHASE, mixed, mixed.subList(0, 29)))
                .isInstanceOf(UpliftEstimate.TooFew.class)
                .extracting(UpliftEstimate::sentence)
                .asString()
                .startsWith("too few people: the held-out arm has 29 people");
        assertThat(UpliftEstimate.of(UpliftOutcome.PURCHASE, mixed, thirty).sentence())
                .startsWith("too few people: the held-out arm has 0 of 30 people with the outcome");
        assertThat(UpliftEstimate.of(UpliftOutcome.PURCHASE, mixed, mixed))
                .isInstanceOf(UpliftEstimate.Proportions.class);
        assertThat(UpliftEstimate.of(UpliftOutcome.EXPERIENCE, mixed, thirty)).isInstanceOf(UpliftEstimate.Means.class);
    }
}
