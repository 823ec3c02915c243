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
    void afterWebResearchTheNextStepIsStoreAndPurchaseThreeTimesInFour() {
        JourneyNextStep model = JourneyNextStep.fit(history(), SETTINGS, T0.plus(Duration.ofDays(30)), 2);
        JourneyNextStep.Prediction next =
                model.predict(List.of(at("z", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO)));

        assertThat(next.channel().nextChannel().get("store")).isCloseTo(0.75, within(1e-15));
        assertThat(next.channel().mostLikelyChannel()).isEqualTo("store");
        assertThat(next.purpose().nextPurpose().get("purchase")).isCloseTo(0.75, within(1e-15));
        assertThat(next.purpose().eventualConversion()).isCloseTo(0.75, within(1e-15));
    }

    @Test
    @DisplayName("issue 15 item 4: the next-step answer labels channels as channels and purposes as purposes")
    void theAnswerLabelsChannelsAndPurposes() {
        JourneyNextStep model = JourneyNextStep.fit(history(), SETTINGS, T0.plus(Duration.ofDays(30)), 2);
        JourneyNextStep.Prediction next =
                model.predict(List.of(at("z", ACME, Channel.WEB, Purpose.RESEARCH, Duration.ZERO)));
        // store 3 of 4 after web (a, b, c bought in store; d went to chat); purchase 3 of 4 after research
        assertThat(next.channel().nextChannel()).containsOnlyKeys("store", "chat");
        assertThat(next.purpose().nextPurpose()).containsOnlyKeys("purchase", "service");
        assertThat(next.purpose().mostLikelyPurpose()).isEqualTo("purchase");
    }
}
