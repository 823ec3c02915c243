package fusion.analytics.journey;

import static fusion.analytics.journey.Events.ACME;
import static fusion.analytics.journey.Events.T0;
import static fusion.analytics.journey.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.analytics.attribution.ConversionPath;
import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JourneyNextStepTest {

    private static final JourneySettings SETTINGS =
            new JourneySettings(Duration.ofDays(7), Duration.ofDays(3), 5, JourneySettings.ALL);

    /** Three customers research on the web then buy in store; one researches then asks the chat and leaves. */
    private static List<Interaction> history() {
        List<Interaction> events = new ArrayList<>();
        for (String party : List.of("a", "b", "c")) {
            events.add(at(party, ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO));
            events.add(at(party, ACME, Channel.STORE, Purpose.PURCHASE, Duration.ofHours(3)));
            events.add(at(party, ACME, Channel.APP, Purpose.USAGE, Duration.ofHours(4)));
        }
        events.add(at("d", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO));
        events.add(at("d", ACME, Channel.CHAT, Purpose.SERVICE, Duration.ofHours(1)));
        events.add(at("e", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ofDays(29)));
        return events;
    }

    @Test
    void journeysBecomePathsUpToTheFirstPurchaseOrEndInNullOnceIdleAndOpenOnesAreLeftOut() {
        List<ConversionPath> paths = JourneyNextStep.paths(
                history(),
                SETTINGS,
                T0.plus(Duration.ofDays(30)),
                i -> i.contactPoint().channel().label());

        assertThat(paths)
                .extracting(ConversionPath::channels, ConversionPath::conversions, ConversionPath::nulls)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(List.of("web", "store"), 3L, 0L),
                        org.assertj.core.groups.Tuple.tuple(List.of("web", "chat"), 0L, 1L));
    }

    @Test
    @DisplayName(
            "issue 15 item 1: after web research a purchase comes next 3 times in 4 and the chat once, summing to one")
    void afterWebResearchThePurchaseIsTheConversion() {
        JourneyNextStep model = JourneyNextStep.fit(history(), SETTINGS, T0.plus(Duration.ofDays(30)), 2);
        JourneyNextStep.Prediction next =
                model.predict(List.of(at("z", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO)));
        // by hand: four ended journeys began with web research; a, b, c bought next (3/4), d asked the
        // chat (1/4) and then left; nobody left right after the research (0/4)
        assertThat(next.channel().conversion()).isCloseTo(0.75, within(1e-15));
        assertThat(next.channel().dropOut()).isZero();
        assertThat(next.channel().nextChannel()).containsOnlyKeys("chat");
        assertThat(next.channel().nextChannel().get("chat")).isCloseTo(0.25, within(1e-15));
        assertThat(next.purpose().conversion()).isCloseTo(0.75, within(1e-15));
        assertThat(next.purpose().nextPurpose()).containsOnlyKeys("service");
        assertThat(next.purpose().nextPurpose().get("service")).isCloseTo(0.25, within(1e-15));
        // and after the chat d left: the eventual conversion from web research is 3/4 + 1/4 * 0
        assertThat(next.purpose().eventualConversion()).isCloseTo(0.75, within(1e-15));
    }

    @Test
    @DisplayName(
            "issue 15 item 1: right after a purchase the card predicts the next journey, never converts next 100% with nothing next")
    void rightAfterAPurchaseTheNextJourneyIsPredicted() {
        JourneyNextStep model = JourneyNextStep.fit(history(), SETTINGS, T0.plus(Duration.ofDays(30)), 2);
        JourneyNextStep.Prediction next = model.predict(List.of(
                at("z", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                at("z", ACME, Channel.STORE, Purpose.PURCHASE, Duration.ofHours(1))));
        // by hand: seven ended journeys, four began on the web with research (a, b, c, d), three in the
        // app with usage (what a, b, c did after buying, a journey of its own that ended idle)
        assertThat(next.channel().conversion()).isZero();
        assertThat(next.channel().dropOut()).isZero();
        assertThat(next.channel().nextChannel().get("web")).isCloseTo(4.0 / 7, within(1e-15));
        assertThat(next.channel().nextChannel().get("app")).isCloseTo(3.0 / 7, within(1e-15));
        assertThat(next.purpose().conversion()).isZero();
        assertThat(next.purpose().nextPurpose().get("research")).isCloseTo(4.0 / 7, within(1e-15));
        assertThat(next.purpose().mostLikelyPurpose()).isEqualTo("research");
    }

    @Test
    @DisplayName("issue 15 item 1: every answer's next touches, conversion and drop-out add up to one")
    void everyAnswerSumsToOne() {
        JourneyNextStep model = JourneyNextStep.fit(history(), SETTINGS, T0.plus(Duration.ofDays(30)), 2);
        List<List<Interaction>> trajectories = List.of(
                List.of(),
                List.of(at("z", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO)),
                List.of(
                        at("z", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                        at("z", ACME, Channel.CHAT, Purpose.SERVICE, Duration.ofHours(1))),
                List.of(at("z", ACME, Channel.STORE, Purpose.PURCHASE, Duration.ZERO)),
                List.of(at("z", ACME, Channel.APP, Purpose.USAGE, Duration.ZERO)));
        for (List<Interaction> t : trajectories) {
            JourneyNextStep.Prediction p = model.predict(t);
            double channel = p.channel().conversion()
                    + p.channel().dropOut()
                    + p.channel().nextChannel().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum();
            double purpose = p.purpose().conversion()
                    + p.purpose().dropOut()
                    + p.purpose().nextPurpose().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum();
            assertThat(channel).as("channel answer after %s", t).isCloseTo(1, within(1e-12));
            assertThat(purpose).as("purpose answer after %s", t).isCloseTo(1, within(1e-12));
            assertThat(p.purpose().nextPurpose())
                    .as("a purchase is the conversion, never a next purpose")
                    .doesNotContainKey("purchase");
        }
    }

    @Test
    @DisplayName("issue 15 item 4: the next-step answer labels channels as channels and purposes as purposes")
    void theAnswerLabelsChannelsAndPurposes() {
        JourneyNextStep model = JourneyNextStep.fit(history(), SETTINGS, T0.plus(Duration.ofDays(30)), 2);
        JourneyNextStep.Prediction next = model.predict(List.of(
                at("z", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO),
                at("z", ACME, Channel.STORE, Purpose.PURCHASE, Duration.ofHours(1))));
        // the first step of the next journey: web or app, research or usage
        assertThat(next.channel().nextChannel()).containsOnlyKeys("web", "app");
        assertThat(next.channel().mostLikelyChannel()).isEqualTo("web");
        assertThat(next.purpose().nextPurpose()).containsOnlyKeys("research", "usage");
        assertThat(next.purpose().mostLikelyPurpose()).isEqualTo("research");
    }
}
