package fusion.core.engine;

import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Interactions for tests, and seeded random ones for the property tests. */
final class Events {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** How many kinds {@link #good} and {@link #bad} know. */
    static final int KINDS = 6;

    private static final AtomicLong IDS = new AtomicLong();

    private Events() {}

    static Interaction event(String party, String brand, Purpose purpose, Instant at, Outcome outcome) {
        return event(party, brand, purpose, Channel.WEB, at, outcome, List.of(), "");
    }

    static Interaction event(
            String party,
            String brand,
            Purpose purpose,
            Channel channel,
            Instant at,
            Outcome outcome,
            List<String> coParties,
            String description) {
        return new Interaction(
                "e" + IDS.incrementAndGet(),
                party,
                Brand.own(brand),
                ContactPoint.of(channel),
                purpose,
                Initiator.CONSUMER,
                at,
                outcome,
                coParties,
                description);
    }

    static Instant day(double d) {
        return T0.plus(Duration.ofMillis(Math.round(d * 86_400_000L)));
    }

    /** A good memory: need met, polite staff, wow, positive sentiment, effortless, or all at once. */
    static Outcome good(int kind) {
        return switch (Math.floorMod(kind, KINDS)) {
            case 0 -> Outcome.builder().need(Need.MET).build();
            case 1 -> Outcome.builder().staff(Politeness.POLITE).build();
            case 2 -> Outcome.builder().wow(true).build();
            case 3 -> Outcome.builder().sentiment(0.7).build();
            case 4 -> Outcome.builder().need(Need.MET).waitSeconds(30).build(); // effortless: within the grace
            default ->
                Outcome.builder()
                        .need(Need.MET)
                        .wow(true)
                        .staff(Politeness.POLITE)
                        .sentiment(1)
                        .build();
        };
    }

    /** A bad memory: need failed, rude staff, waiting, repeat contacts, negative sentiment, or all at once. */
    static Outcome bad(int kind) {
        return switch (Math.floorMod(kind, KINDS)) {
            case 0 -> Outcome.builder().need(Need.FAILED).build();
            case 1 -> Outcome.builder().staff(Politeness.RUDE).build();
            case 2 -> Outcome.builder().waitSeconds(1200).build();
            case 3 -> Outcome.builder().repeatContacts(2).build();
            case 4 -> Outcome.builder().sentiment(-0.6).build();
            default ->
                Outcome.builder()
                        .need(Need.FAILED)
                        .repeatContacts(1)
                        .channelSwitches(1)
                        .staff(Politeness.RUDE)
                        .sentiment(-1)
                        .build();
        };
    }

    static String goodName(int kind) {
        return List.of("need met", "polite staff", "wow", "positive sentiment", "effortless", "all good")
                .get(Math.floorMod(kind, KINDS));
    }

    static String badName(int kind) {
        return List.of("need failed", "rude staff", "waiting", "repeat contacts", "negative sentiment", "all bad")
                .get(Math.floorMod(kind, KINDS));
    }

    /** A random history of one pair over {@code days} days: memories of every kind, some purchases. */
    static List<Interaction> history(Random r, String party, String brand, int n, double days) {
        List<Interaction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(event(party, brand, randomPurpose(r), day(r.nextDouble() * days), randomOutcome(r)));
        }
        return out;
    }

    static Outcome randomOutcome(Random r) {
        Outcome o = r.nextBoolean() ? good(r.nextInt(KINDS)) : bad(r.nextInt(KINDS));
        if (r.nextInt(4) == 0) o = o.toBuilder().money(10 + r.nextInt(200)).build();
        return o;
    }

    /** Any purpose; reach stays 0, so the history is private and no incident spreads. */
    static Purpose randomPurpose(Random r) {
        return Purpose.values()[r.nextInt(Purpose.values().length)];
    }
}
