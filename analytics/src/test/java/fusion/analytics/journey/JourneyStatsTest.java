package fusion.analytics.journey;

import static fusion.analytics.journey.Events.ACME;
import static fusion.analytics.journey.Events.GLOBEX;
import static fusion.analytics.journey.Events.T0;
import static fusion.analytics.journey.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JourneyStatsTest {

    private static final JourneySettings SETTINGS = new JourneySettings(
            Duration.ofDays(7), Duration.ofDays(3), 5, party -> party.hashCode() % 2 == 0 ? "even" : "odd");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theIncrementalStatsEqualTheBatchRebuildOnASeededStream(long seed) {
        List<Interaction> stream = Events.randomStream(seed, 3_000, 40);
        Instant asOf = stream.get(stream.size() - 1).time().plus(Duration.ofDays(new Random(seed).nextInt(10)));
        JourneyStats incremental = new JourneyStats(SETTINGS);
        stream.forEach(incremental::add);

        JourneyReport batch = JourneyStats.rebuild(stream, SETTINGS, asOf);

        JourneyReport live = incremental.report(asOf);
        assertThat(live.lateEvents()).isZero();
        assertThat(live).isEqualTo(batch);
        assertThat(live.brands()).isNotEmpty();
        assertThat(live.leakage()).isNotEmpty();
        // The batch sorts per party itself, so a shuffled history gives the same trajectories.
        List<Interaction> shuffled = new ArrayList<>(stream);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(JourneyStats.rebuild(shuffled, SETTINGS, asOf).brands()).isEqualTo(batch.brands());
    }

    @Test
    void transitionsCountEachStepWithinAJourneyAndNotAcrossTheGap() {
        List<Interaction> events = List.of(
                at("ann", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                at("ann", ACME, Channel.STORE, Purpose.PURCHASE, Duration.ofHours(2)),
                at("ann", ACME, Channel.WEB, Purpose.SERVICE, Duration.ofDays(20)),
                at("ann", ACME, Channel.CHAT, Purpose.COMPLAINT, Duration.ofDays(21)),
                at("bob", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ofHours(1)),
                at("bob", ACME, Channel.CHAT, Purpose.SERVICE, Duration.ofHours(5)));
        JourneyReport.BrandJourneys acme = single(report(events, T0.plus(Duration.ofDays(40))));

        assertThat(acme.journeys()).isEqualTo(3);
        assertThat(acme.endedJourneys()).isEqualTo(3);
        assertThat(acme.channelTransitions())
                .containsExactly(
                        new JourneyReport.Transition("web", "chat", 2, 2.0 / 3),
                        new JourneyReport.Transition("web", "store", 1, 1.0 / 3));
        assertThat(acme.topPaths())
                .containsExactly(
                        new JourneyReport.PathCount(List.of("web", "chat"), 2),
                        new JourneyReport.PathCount(List.of("web", "store"), 1));
        // ann's first journey ended on a purchase; the other two stalled at the chat
        assertThat(acme.stalledJourneys()).isEqualTo(2);
        assertThat(acme.stalls())
                .containsExactly(
                        new JourneyReport.Stall("acme-chat", "complaint", 1),
                        new JourneyReport.Stall("acme-chat", "service", 1));
        // steps of 2h, 1 day, 4h: median 4h, p90 1 day
        assertThat(acme.stepTimes()).isEqualTo(new JourneyReport.StepTimes(3, 4 * 3600, 86_400));
    }

    @Test
    void aJourneyStillWithinTheGapIsNeitherEndedNorStalled() {
        List<Interaction> events = List.of(at("ann", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO));

        assertThat(single(report(events, T0.plus(Duration.ofDays(6)))).stalledJourneys())
                .isZero();
        assertThat(single(report(events, T0.plus(Duration.ofDays(8)))).stalledJourneys())
                .isEqualTo(1);
    }

    @Test
    void researchHereFollowedByAPurchaseThereWithinTheWindowIsLeakage() {
        List<Interaction> events = List.of(
                at("ann", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                at("ann", GLOBEX, Channel.STORE, Purpose.PURCHASE, Duration.ofDays(2)),
                at("bob", ACME, Channel.APP, Purpose.RESEARCH, Duration.ZERO),
                at("bob", ACME, Channel.STORE, Purpose.PURCHASE, Duration.ofDays(1)),
                at("cid", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                at("cid", GLOBEX, Channel.WEB, Purpose.PURCHASE, Duration.ofDays(4)));
        JourneyReport report = report(events, T0);

        assertThat(report.leakage()).containsExactly(new JourneyReport.Leakage("acme", "acme-web", "globex", 1));
        assertThat(report.researchKept()).containsExactly(new JourneyReport.ResearchKept("acme", 1, 1, 0.5));
    }

    @Test
    void shareOfOrbitAndContactPointRatesComeFromEveryInteraction() {
        Outcome wowMet = Outcome.builder().wow(true).need(Need.MET).money(30).build();
        Outcome failed = Outcome.builder().need(Need.FAILED).build();
        List<Interaction> events = List.of(
                at("ann", ACME, Channel.STORE, Purpose.PURCHASE, Duration.ZERO, wowMet),
                at("ann", ACME, Channel.STORE, Purpose.SERVICE, Duration.ofHours(1), failed),
                at("ann", ACME, Channel.STORE, Purpose.USAGE, Duration.ofHours(2)),
                at(
                        "ann",
                        GLOBEX,
                        Channel.WEB,
                        Purpose.PURCHASE,
                        Duration.ofHours(3),
                        Outcome.builder().money(10).build()));
        JourneyStats stats = new JourneyStats(JourneySettings.defaults());
        events.forEach(stats::add);
        JourneyReport report = stats.report(T0);

        assertThat(report.orbit())
                .containsExactly(
                        new JourneyReport.OrbitShare("all", "acme", false, 3, 0.75, 30, 0.75),
                        new JourneyReport.OrbitShare("all", "globex", true, 1, 0.25, 10, 0.25));
        JourneyReport.ContactPointRates store = report.contactPoints().get(0);
        assertThat(store.contactPoint()).isEqualTo("acme-store");
        assertThat(store.delightRate()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(store.failedNeedRate()).isCloseTo(0.5, within(1e-15));
    }

    @Test
    @DisplayName("issue 15 item 4: journey statistics count customer-started and brand-started contact apart")
    void customerStartedAndBrandStartedContactAreCountedApart() {
        Interaction email = new Interaction(
                "e1",
                "bob",
                ACME,
                new fusion.core.model.ContactPoint("acme-email", Channel.EMAIL),
                Purpose.SERVICE,
                fusion.core.model.Initiator.BRAND,
                T0,
                Outcome.NEUTRAL,
                List.of(),
                "");
        List<Interaction> events = List.of(
                // ann comes by herself: a journey she started, two steps of hers
                at("ann", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                at("ann", ACME, Channel.STORE, Purpose.PURCHASE, Duration.ofHours(1)),
                // the brand writes to bob first, then bob looks: a journey the brand started
                email,
                at("bob", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ofHours(2)));
        JourneyReport.BrandJourneys acme =
                report(events, T0.plus(Duration.ofDays(1))).brands().get(0);
        // by hand: 4 interactions, 3 started by a customer, 1 by the brand; 2 journeys, one each
        assertThat(acme.interactions()).isEqualTo(4);
        assertThat(acme.customerStartedInteractions()).isEqualTo(3);
        assertThat(acme.brandStartedInteractions()).isEqualTo(1);
        assertThat(acme.journeys()).isEqualTo(2);
        assertThat(acme.customerStartedJourneys()).isEqualTo(1);
        assertThat(acme.brandStartedJourneys()).isEqualTo(1);
    }

    @Test
    @DisplayName("issue 15 item 3: a contact point where no need has a known outcome has no failed-need rate, not 0%")
    void aFailedNeedRateNeedsANeedWithAKnownOutcome() {
        Outcome met = Outcome.builder().need(Need.MET).build();
        Outcome failed = Outcome.builder().need(Need.FAILED).build();
        List<Interaction> events = List.of(
                // three page views on the web: nothing was asked, so nothing could fail
                at("ann", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                at("ann", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ofMinutes(5)),
                at("bob", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ofMinutes(9)),
                // the phone: one need met, one failed, one call of unknown outcome
                at("ann", ACME, Channel.PHONE, Purpose.SERVICE, Duration.ofHours(1), met),
                at("bob", ACME, Channel.PHONE, Purpose.SERVICE, Duration.ofHours(2), failed),
                at("cid", ACME, Channel.PHONE, Purpose.SERVICE, Duration.ofHours(3)));
        JourneyReport report = report(events, T0.plus(Duration.ofDays(1)));

        JourneyReport.ContactPointRates web = report.contactPoints().stream()
                .filter(c -> c.contactPoint().equals("acme-web"))
                .findFirst()
                .orElseThrow();
        JourneyReport.ContactPointRates phone = report.contactPoints().stream()
                .filter(c -> c.contactPoint().equals("acme-phone"))
                .findFirst()
                .orElseThrow();
        assertThat(web.needsKnown()).isZero();
        assertThat(web.failedNeedRate()).isNull();
        assertThat(web.delightRate()).isZero(); // 0 delights in 3 interactions is a rate, and it is 0
        assertThat(phone.needsKnown()).isEqualTo(2);
        assertThat(phone.failedNeedRate()).isCloseTo(0.5, within(1e-15)); // 1 failed of 2 known
    }

    @Test
    void anEventOlderThanItsPartysLatestIsKeptOutOfTrajectoriesAndReported() {
        JourneyStats stats = new JourneyStats(SETTINGS);
        stats.add(at("ann", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ofHours(5)));
        stats.add(at("ann", ACME, Channel.CHAT, Purpose.SERVICE, Duration.ofHours(1)));

        JourneyReport report = stats.report(T0);
        assertThat(report.lateEvents()).isEqualTo(1);
        assertThat(single(report).channelTransitions()).isEmpty();
        assertThat(single(report).interactions()).isEqualTo(2);
    }

    private static JourneyReport report(List<Interaction> events, Instant asOf) {
        JourneySettings settings = new JourneySettings(Duration.ofDays(7), Duration.ofDays(3), 5, JourneySettings.ALL);
        JourneyStats stats = new JourneyStats(settings);
        events.stream()
                .sorted(java.util.Comparator.comparing(Interaction::time))
                .forEach(stats::add);
        JourneyReport live = stats.report(asOf);
        assertThat(live).isEqualTo(JourneyStats.rebuild(events, settings, asOf));
        return live;
    }

    private static JourneyReport.BrandJourneys single(JourneyReport report) {
        assertThat(report.brands()).hasSize(1);
        return report.brands().get(0);
    }
}
