package fusion.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import fusion.core.model.InvalidInput;
import fusion.core.model.Need;
import fusion.core.model.Purpose;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentMappingTest {
    private final SegmentMapping mapping = SegmentMapping.standard("own");
    private static final Instant T = Instant.parse("2026-05-01T10:00:00Z");

    private static SegmentCall track(String event, Map<String, Object> properties, Map<String, Object> context) {
        return new SegmentCall(SegmentCall.Type.TRACK, "m1", "u1", null, event, null, null, null, properties, Map.of(),
                context, T, T);
    }

    private Interaction scored(SegmentCall call) {
        Mapped m = mapping.map(call, "p1");
        assertThat(m).isInstanceOf(Mapped.Scored.class);
        return ((Mapped.Scored) m).interaction();
    }

    @Test
    void anOrderCompletedIsAPurchaseWithItsRevenueAndANeedMet() {
        Interaction i = scored(track("Order Completed", Map.of("revenue", 120, "brand", "glitter"), Map.of()));
        assertThat(i.purpose()).isEqualTo(Purpose.PURCHASE);
        assertThat(i.outcome().money()).isEqualTo(120.0);
        assertThat(i.outcome().need()).isEqualTo(Need.MET);
        assertThat(i.brand().id()).isEqualTo("glitter");
        assertThat(i.party()).isEqualTo("p1");
        assertThat(i.time()).isEqualTo(T);
    }

    @Test
    void aRefundCountsAsMoneyReturned() {
        assertThat(scored(track("Order Refunded", Map.of("total", 40), Map.of())).outcome().money()).isEqualTo(-40.0);
    }

    @Test
    void propertiesOverrideEveryDefault() {
        Interaction i = scored(track("Product Viewed", Map.of("purpose", "complaint", "channel", "social",
                "brand", "rivalwear", "competitor", true, "initiator", "brand", "co_parties", List.of("glitter")),
                Map.of()));
        assertThat(i.purpose()).isEqualTo(Purpose.COMPLAINT);
        assertThat(i.contactPoint().channel()).isEqualTo(Channel.SOCIAL);
        assertThat(i.brand().competitor()).isTrue();
        assertThat(i.coParties()).containsExactly("glitter");
    }

    @Test
    void anUnknownEventIsKeptAndFlaggedUnlessItStatesItsPurpose() {
        Mapped kept = mapping.map(track("Wishlist Synced", Map.of(), Map.of()), "p1");
        assertThat(kept).isEqualTo(new Mapped.Kept("unknown event 'Wishlist Synced'", true));
        assertThat(scored(track("Wishlist Synced", Map.of("purpose", "research"), Map.of())).purpose())
                .isEqualTo(Purpose.RESEARCH);
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> mapping.map(track("Order Completed", Map.of("revenue", "ten"), Map.of()), "p1"))
                .isInstanceOf(InvalidInput.class)
                .satisfies(e -> assertThat(((InvalidInput) e).field()).isEqualTo("properties.revenue"))
                .hasMessageContaining("'ten'");
        assertThatThrownBy(() -> mapping.map(track("Product Viewed", Map.of("channel", "fax"), Map.of()), "p1"))
                .isInstanceOf(InvalidInput.class).hasMessageStartingWith("properties.channel: expected one of");
        assertThatThrownBy(() -> mapping.map(track("Product Viewed", Map.of("sentiment", 3), Map.of()), "p1"))
                .isInstanceOf(InvalidInput.class).hasMessageStartingWith("properties.sentiment: expected a number from -1 to 1");
    }

    @Test
    void aRatingBecomesSentiment() {
        assertThat(scored(track("Product Reviewed", Map.of("rating", 5), Map.of())).outcome().sentiment()).isEqualTo(1.0);
        assertThat(scored(track("Product Reviewed", Map.of("rating", 2), Map.of())).outcome().sentiment()).isEqualTo(-0.5);
    }

    @Test
    void pagesAreResearchOnTheWebAndTheContextGivesTheChannel() {
        SegmentCall page = new SegmentCall(SegmentCall.Type.PAGE, "m2", null, "a1", null, "Home", null, null,
                Map.of("path", "/glitter"), Map.of(), Map.of(), T, T);
        Interaction i = scored(page);
        assertThat(i.purpose()).isEqualTo(Purpose.RESEARCH);
        assertThat(i.contactPoint().channel()).isEqualTo(Channel.WEB);
        assertThat(i.contactPoint().id()).isEqualTo("/glitter");
        Interaction fromApp = scored(track("Product Viewed", Map.of(), Map.of("device", Map.of("type", "ios"))));
        assertThat(fromApp.contactPoint().channel()).isEqualTo(Channel.APP);
    }

    @Test
    void identifyGroupAndAliasAreKeptWithoutAnInteraction() {
        SegmentCall identify = new SegmentCall(SegmentCall.Type.IDENTIFY, "m3", "u1", null, null, null, null, null,
                Map.of(), Map.of("name", "Ana"), Map.of(), T, T);
        assertThat(mapping.map(identify, "p1")).isEqualTo(new Mapped.Kept("identify call", false));
    }
}
