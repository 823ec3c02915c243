package fusion.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
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
        return new SegmentCall(
                SegmentCall.Type.TRACK, "m1", "u1", null, event, null, null, null, properties, Map.of(), context, T, T);
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
        Interaction refund = scored(track("Order Refunded", Map.of("revenue", 40), Map.of()));
        assertThat(refund.outcome().money()).isEqualTo(-40.0);
        assertThat(refund.purpose()).isEqualTo(Purpose.SERVICE);
        assertThat(scored(track("Order Refunded", Map.of("total", -25.5), Map.of()))
                        .outcome()
                        .money())
                .isEqualTo(-25.5);
    }

    @Test
    void propertiesOverrideEveryDefault() {
        Interaction i = scored(track(
                "Product Viewed",
                Map.of(
                        "purpose",
                        "complaint",
                        "channel",
                        "social",
                        "brand",
                        "rivalwear",
                        "competitor",
                        true,
                        "initiator",
                        "brand",
                        "co_parties",
                        List.of("glitter")),
                Map.of()));
        assertThat(i.purpose()).isEqualTo(Purpose.COMPLAINT);
        assertThat(i.contactPoint().channel()).isEqualTo(Channel.SOCIAL);
        assertThat(i.brand()).isEqualTo(Brand.competitor("rivalwear"));
        assertThat(i.initiator()).isEqualTo(Initiator.BRAND);
        assertThat(i.coParties()).containsExactly("glitter");

        Interaction completed = scored(track("Order Completed", Map.of("need_met", false, "revenue", 10), Map.of()));
        assertThat(completed.outcome().need()).isEqualTo(Need.FAILED);
        assertThat(completed.brand()).isEqualTo(Brand.own("own"));
    }

    @Test
    void standardEventsCarryTheirDefaultMeaning() {
        Interaction concert = scored(track("event attended", Map.of(), Map.of()));
        assertThat(concert.purpose()).isEqualTo(Purpose.USAGE);
        assertThat(concert.contactPoint().channel()).isEqualTo(Channel.EVENT);
        assertThat(concert.outcome().valueReceived()).isEqualTo(1.0);
        Interaction failed = scored(track("Delivery Failed", Map.of(), Map.of()));
        assertThat(failed.initiator()).isEqualTo(Initiator.BRAND);
        assertThat(failed.contactPoint().channel()).isEqualTo(Channel.COURIER);
        assertThat(failed.outcome().need()).isEqualTo(Need.FAILED);
    }

    @Test
    void anUnknownEventIsKeptAndFlaggedUnlessItStatesItsPurpose() {
        Mapped kept = mapping.map(track("Wishlist Synced", Map.of(), Map.of()), "p1");
        assertThat(kept).isEqualTo(new Mapped.Kept("unknown event 'Wishlist Synced'", true));
        Interaction stated = scored(track("Wishlist Synced", Map.of("purpose", "advocacy"), Map.of()));
        assertThat(stated.purpose()).isEqualTo(Purpose.ADVOCACY);
        assertThat(stated.description()).isEqualTo("Wishlist Synced");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> mapping.map(track("Order Completed", Map.of("revenue", "ten"), Map.of()), "p1"))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("properties.revenue"))
                .hasMessage("properties.revenue: expected a number but was 'ten'");
        assertThatThrownBy(() ->
                        mapping.map(track("Order Completed", Map.of("revenue", "-3", "reach", 1.5), Map.of()), "p1"))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("properties.reach"));
        assertThatThrownBy(() -> mapping.map(track("Product Viewed", Map.of("channel", "fax"), Map.of()), "p1"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("properties.channel: expected one of");
        assertThatThrownBy(() -> mapping.map(track("Product Viewed", Map.of("sentiment", 3), Map.of()), "p1"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("properties.sentiment: expected a number from -1 to 1");
    }

    @Test
    void aRatingBecomesSentiment() {
        assertThat(scored(track("Product Reviewed", Map.of("rating", 5), Map.of()))
                        .outcome()
                        .sentiment())
                .isEqualTo(1.0);
        assertThat(scored(track("Product Reviewed", Map.of("rating", 2), Map.of()))
                        .outcome()
                        .sentiment())
                .isEqualTo(-0.5);
        assertThat(scored(track("Product Reviewed", Map.of("rating", 5, "sentiment", -0.2), Map.of()))
                        .outcome()
                        .sentiment())
                .as("a stated sentiment wins")
                .isEqualTo(-0.2);
        assertThatThrownBy(() -> mapping.map(track("Product Reviewed", Map.of("rating", 6), Map.of()), "p1"))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("properties.rating"));
    }

    @Test
    void pagesAreResearchOnTheWebAndTheContextGivesTheChannel() {
        SegmentCall page = new SegmentCall(
                SegmentCall.Type.PAGE,
                "m2",
                null,
                "a1",
                null,
                "Home",
                null,
                null,
                Map.of("path", "/glitter"),
                Map.of(),
                Map.of(),
                T,
                T);
        Interaction i = scored(page);
        assertThat(i.purpose()).isEqualTo(Purpose.RESEARCH);
        assertThat(i.contactPoint().channel()).isEqualTo(Channel.WEB);
        assertThat(i.contactPoint().id()).isEqualTo("/glitter");
        Interaction fromApp = scored(track("Product Viewed", Map.of(), Map.of("device", Map.of("type", "ios"))));
        assertThat(fromApp.contactPoint().channel()).isEqualTo(Channel.APP);
        assertThat(fromApp.contactPoint().id()).isEqualTo("app");
        assertThat(scored(track("Product Viewed", Map.of(), Map.of()))
                        .contactPoint()
                        .channel())
                .isEqualTo(Channel.WEB);
        SegmentCall screen = new SegmentCall(
                SegmentCall.Type.SCREEN,
                "m4",
                "u1",
                null,
                null,
                "Cart",
                null,
                null,
                Map.of(),
                Map.of(),
                Map.of(),
                T,
                T);
        assertThat(scored(screen).contactPoint()).isEqualTo(new ContactPoint("Cart", Channel.APP));
    }

    @Test
    void identifyGroupAndAliasAreKeptWithoutAnInteraction() {
        SegmentCall identify = new SegmentCall(
                SegmentCall.Type.IDENTIFY,
                "m3",
                "u1",
                null,
                null,
                null,
                null,
                null,
                Map.of(),
                Map.of("name", "Ana"),
                Map.of(),
                T,
                T);
        assertThat(mapping.map(identify, "p1")).isEqualTo(new Mapped.Kept("identify call", false));
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "event names match ignoring case and surrounding spaces: a consent event is kept unscored, a known event scored")
    void eventNamesMatchIgnoringCaseAndSpaces() {
        for (String name : List.of("Consent Granted", "  consent granted ", "CONSENT REVOKED", "Consent Revoked\t")) {
            assertThat(mapping.map(track(name, Map.of("purpose", "marketing"), Map.of()), "p1"))
                    .as(name)
                    .isEqualTo(new Mapped.Kept("consent event '" + name + "'", false));
        }
        assertThat(scored(track(" order COMPLETED ", Map.of("revenue", 5), Map.of()))
                        .purpose())
                .isEqualTo(Purpose.PURCHASE);
        assertThat(mapping.map(track("Consent Grantedd", Map.of(), Map.of()), "p1"))
                .isEqualTo(new Mapped.Kept("unknown event 'Consent Grantedd'", true));
    }
}
