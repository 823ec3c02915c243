package fusion.core.engine;

import static fusion.core.engine.Events.day;
import static fusion.core.engine.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import fusion.core.segment.Mapped;
import fusion.core.segment.SegmentCall;
import fusion.core.segment.SegmentMapping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An incident spreads along public ties only (docs/SCORING.md): a brand endorsed in public, a
 * sponsor, a shared public event, a product worn on stage. What the party buys in private ties
 * her to nobody in the public's eye, so it is not hit. The expected hits are worked out by hand
 * from the documented defaults: advocacy 0.075, rudeness 1.85, association scale 1.25 and an
 * association half-life of 180 days.
 */
class PublicAssociationsTest {
    private final Engine engine = new Engine(ModelConfig.defaults());
    private final MapState world = new MapState(engine);

    /** Her history before the incident on day 14, private and public. */
    private void history() {
        Outcome bought = Outcome.builder().need(Need.MET).money(30).build();
        world.apply(event(
                "popstar", "brewline", Purpose.PURCHASE, Channel.STORE, day(0), bought, List.of(), "coffee beans"));
        world.apply(event(
                "popstar", "brewline", Purpose.PURCHASE, Channel.WEB, day(10), bought, List.of(), "more coffee beans"));
        world.apply(event(
                "popstar",
                "glitter",
                Purpose.PURCHASE,
                Channel.STORE,
                day(0),
                Outcome.builder().need(Need.MET).money(90).build(),
                List.of(),
                "a sweater"));
        // endorsed in public: a post to her followers
        world.apply(event(
                "popstar",
                "beanhouse",
                Purpose.ADVOCACY,
                Channel.SOCIAL,
                day(5),
                Outcome.builder().sentiment(0.5).reach(1_150_000).build(),
                List.of(),
                "her morning latte"));
        // sponsored: announced
        world.apply(event(
                "popstar",
                "fizz",
                Purpose.ADVOCACY,
                Channel.EVENT,
                day(8),
                Outcome.NEUTRAL,
                List.of(),
                "fizz sponsors her tour"));
        // a shared public event, where she wore glitter's sweater on stage
        world.apply(event(
                "popstar",
                "arena",
                Purpose.USAGE,
                Channel.EVENT,
                day(10),
                Outcome.NEUTRAL,
                List.of("glitter"),
                "performed at arena's festival in glitter's sweater"));
    }

    private Step incident() {
        return world.apply(event(
                "popstar",
                "salmonella",
                Purpose.COMPLAINT,
                Channel.SOCIAL,
                day(14),
                Outcome.builder()
                        .sentiment(-0.9)
                        .consumer(Politeness.RUDE)
                        .reach(1_300_000)
                        .build(),
                List.of(),
                "tweeted blaming the waitstaff"));
    }

    /** One public tie {@code days} old: 1 - exp(-2^(-days/180) / 1.25). */
    private static double oneTie(double days) {
        return 1 - Math.exp(-Math.pow(2, -days / 180) / 1.25);
    }

    @Test
    @DisplayName(
            "issue 15 item 2: an incident hits the brands she endorsed in public, her sponsor, a shared public event and the sweater she wore on stage, each by its public tie")
    void anIncidentSpreadsAlongPublicTies() {
        history();
        Step step = incident();

        // advocacy 0.075 * -0.9 * (1 + log10(1 + 1.3M)) and rude in public -1.85
        double spread = 0.075 * -0.9 * (1 + Math.log10(1 + 1_300_000)) - 1.85;
        Map<String, Double> strength =
                Map.of("arena", oneTie(4), "glitter", oneTie(4), "fizz", oneTie(6), "beanhouse", oneTie(9));
        // strongest first, ties by name
        assertThat(step.ledger())
                .extracting(LedgerEntry::brand)
                .containsExactly("salmonella", "arena", "glitter", "fizz", "beanhouse");
        for (LedgerEntry e : step.ledger().subList(1, step.ledger().size())) {
            assertThat(e.kind()).isEqualTo(LedgerEntry.Kind.PROPAGATED);
            assertThat(e.contributions())
                    .singleElement()
                    .satisfies(c -> assertThat(c.points())
                            .as(e.brand())
                            .isCloseTo(spread * strength.get(e.brand()), within(1e-9)));
        }
        // glitter: bought from in private (counts nothing) and worn on stage once (counts one tie)
        assertThat(engine.score(world.pair("popstar", "glitter"), day(14)).association())
                .isCloseTo(oneTie(4), within(1e-12));
    }

    @Test
    @DisplayName(
            "issue 15 item 2: a brand she only bought from in private is not hit by her incident, and has no association with her")
    void aBrandSheOnlyBoughtFromIsNotHit() {
        history();
        Relationship before = world.pair("popstar", "brewline");
        Step step = incident();

        assertThat(step.ledger()).extracting(LedgerEntry::brand).doesNotContain("brewline");
        assertThat(world.pair("popstar", "brewline")).isEqualTo(before);
        assertThat(engine.score(before, day(14)).association()).isZero();
    }

    @Test
    @DisplayName("issue 15 item 2: a private purchase with a co-party associates nobody; a public one associates both")
    void onlyPublicCoInvolvementAssociates() {
        world.apply(event(
                "demo-alice",
                "salmonella",
                Purpose.PURCHASE,
                Channel.STORE,
                day(0),
                Outcome.builder().need(Need.MET).money(78).build(),
                List.of("demo-bruno"),
                "dinner together"));
        assertThat(world.relationship("demo-alice", "demo-bruno")).isEmpty();

        world.apply(event(
                "demo-alice",
                "glitter",
                Purpose.USAGE,
                Channel.EVENT,
                day(1),
                Outcome.NEUTRAL,
                List.of("demo-bruno"),
                "the concert together"));
        assertThat(engine.score(world.pair("demo-alice", "demo-bruno"), day(1)).association())
                .isCloseTo(1 - Math.exp(-1 / 1.25), within(1e-12));
    }

    @Test
    @DisplayName("issue 15 item 2: a sponsorship maps to a public event and the standard mapping knows it")
    void aSponsorshipIsPublic() {
        SegmentCall call = new SegmentCall(
                SegmentCall.Type.TRACK,
                "m1",
                "popstar",
                null,
                "Sponsorship Started",
                null,
                null,
                null,
                Map.of("brand", "fizz"),
                Map.of(),
                Map.of(),
                day(0),
                day(0));
        Interaction i = ((Mapped.Scored) SegmentMapping.standard("glitter").map(call, "popstar")).interaction();
        assertThat(i.contactPoint().channel()).isEqualTo(Channel.EVENT);
        assertThat(Engine.inPublic(i)).isTrue();
    }
}
