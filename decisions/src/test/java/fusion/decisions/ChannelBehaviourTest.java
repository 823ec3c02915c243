package fusion.decisions;

import static fusion.decisions.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Channel;
import fusion.core.model.Initiator;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelBehaviourTest {

    @Test
    void startingAContactScoresOneAndAnsweringOurContactScoresTwo() {
        var b = ChannelBehaviour.observe(List.of(
                event("c", Purpose.RESEARCH, Initiator.CONSUMER, Channel.WEB, day(1), Outcome.NEUTRAL, "x"),
                event("c", Purpose.RESEARCH, Initiator.BRAND, Channel.EMAIL, day(2), Outcome.NEUTRAL, "news"),
                event("c", Purpose.RESEARCH, Initiator.CONSUMER, Channel.APP, day(2.5), Outcome.NEUTRAL, "x"),
                event("c", Purpose.RESEARCH, Initiator.BRAND, Channel.MESSAGING, day(5), Outcome.NEUTRAL, "promo"),
                event("c", Purpose.RESEARCH, Initiator.CONSUMER, Channel.WEB, day(9), Outcome.NEUTRAL, "x")));
        assertThat(b.pointsFor(Channel.WEB)).isEqualTo(2);
        assertThat(b.pointsFor(Channel.APP)).isEqualTo(1);
        assertThat(b.pointsFor(Channel.EMAIL)).as("answered within two days").isEqualTo(2);
        assertThat(b.pointsFor(Channel.MESSAGING))
                .as("not answered within two days")
                .isZero();
    }

    @Test
    void statedPreferenceOutranksObservedWhichOutranksTheCatalogue() {
        var spec = Catalogue.defaults().find("plan-b-replacement").orElseThrow(); // messaging, app, email, chat, phone
        var ctx = CustomerContext.builder("c", BRAND)
                .statedChannels(Channel.EMAIL)
                .build();
        var observed = new ChannelBehaviour(java.util.Map.of(Channel.APP, 3));
        assertThat(DecisionService.channelOrder(spec, ctx, observed))
                .containsExactly(Channel.EMAIL, Channel.APP, Channel.MESSAGING, Channel.CHAT, Channel.PHONE);
    }
}
