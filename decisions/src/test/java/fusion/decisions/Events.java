package fusion.decisions;

import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Short ways to write trajectories in tests. */
final class Events {
    static final String BRAND = "acme";
    static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final AtomicInteger IDS = new AtomicInteger();

    private Events() {}

    static Instant day(double d) {
        return T0.plusSeconds((long) (d * 86_400));
    }

    static Interaction event(
            String party,
            Purpose purpose,
            Initiator who,
            Channel channel,
            Instant at,
            Outcome outcome,
            String description,
            String... coParties) {
        return new Interaction(
                "e" + IDS.incrementAndGet(),
                party,
                Brand.own(BRAND),
                ContactPoint.of(channel),
                purpose,
                who,
                at,
                outcome,
                List.of(coParties),
                description);
    }

    static Interaction research(String party, Instant at, String product) {
        return event(
                party,
                Purpose.RESEARCH,
                Initiator.CONSUMER,
                Channel.WEB,
                at,
                Outcome.NEUTRAL,
                "Product Viewed",
                product);
    }

    static Interaction complaint(String party, Instant at, String about) {
        return event(
                party,
                Purpose.COMPLAINT,
                Initiator.CONSUMER,
                Channel.CHAT,
                at,
                Outcome.builder().need(Need.FAILED).build(),
                about);
    }

    static Interaction resolved(String party, Instant at) {
        return event(
                party,
                Purpose.SERVICE,
                Initiator.BRAND,
                Channel.CHAT,
                at,
                Outcome.builder().need(Need.MET).build(),
                "Ticket Resolved");
    }

    static Interaction broken(String party, Instant at, String product) {
        return event(
                party,
                Purpose.SERVICE,
                Initiator.CONSUMER,
                Channel.APP,
                at,
                Outcome.NEUTRAL,
                "my charger is broken",
                product);
    }

    static Interaction purchase(String party, Instant at, Channel channel, String product) {
        return event(
                party,
                Purpose.PURCHASE,
                Initiator.CONSUMER,
                channel,
                at,
                Outcome.builder().need(Need.MET).money(80).build(),
                "Order Completed",
                product);
    }

    static Interaction renewal(String party, Instant at) {
        return event(
                party,
                Purpose.RENEWAL,
                Initiator.CONSUMER,
                Channel.WEB,
                at,
                Outcome.builder().need(Need.MET).money(120).build(),
                "Membership Renewed",
                "gold-membership");
    }

    static Interaction politeVisit(String party, Instant at) {
        return event(
                party,
                Purpose.SERVICE,
                Initiator.CONSUMER,
                Channel.STORE,
                at,
                Outcome.builder().need(Need.MET).consumer(Politeness.POLITE).build(),
                "Store visit");
    }

    static Interaction metNeed(String party, Instant at) {
        return event(
                party,
                Purpose.USAGE,
                Initiator.CONSUMER,
                Channel.PRODUCT_USAGE,
                at,
                Outcome.builder().need(Need.MET).build(),
                "Product Used");
    }
}
