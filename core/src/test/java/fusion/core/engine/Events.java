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
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Interactions for tests, and seeded random ones for the property tests. */
final class Events {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AtomicLong IDS = new AtomicLong();

    private Events() {}

    static Interaction event(String party, String brand, Purpose purpose, Instant at, Outcome outcome) {
        return event(party, brand, purpose, Channel.WEB, at, outcome, List.of(), "");
    }

    static Interaction event(String party, String brand, Purpose purpose, Channel channel, Instant at,
                             Outcome outcome, List<String> coParties, String description) {
        return new Interaction("e" + IDS.incrementAndGet(), party, Brand.own(brand), ContactPoint.of(channel), purpose,
                Initiator.CONSUMER, at, outcome, coParties, description);
    }

    static Instant day(double d) {
        return T0.plus(Duration.ofMillis((long) (d * 86_400_000L)));
    }

    /** A good memory of one kind, chosen by {@code kind}. */
    static Outcome good(int kind) {
        return switch (Math.floorMod(kind, 5)) {
            case 0 -> Outcome.builder().need(Need.MET).build();
            case 1 -> Outcome.builder().staff(Politeness.POLITE).build();
            case 2 -> Outcome.builder().wow(true).build();
            case 3 -> Outcome.builder().sentiment(0.7).build();
            default -> Outcome.builder().need(Need.MET).wow(true).staff(Politeness.POLITE).build();
        };
    }

    /** A bad memory of one kind. */
    static Outcome bad(int kind) {
        return switch (Math.floorMod(kind, 5)) {
            case 0 -> Outcome.builder().need(Need.FAILED).build();
            case 1 -> Outcome.builder().staff(Politeness.RUDE).build();
            case 2 -> Outcome.builder().waitSeconds(1200).build();
            case 3 -> Outcome.builder().sentiment(-0.6).build();
            default -> Outcome.builder().need(Need.FAILED).repeatContacts(2).channelSwitches(1).build();
        };
    }

    /** A random history of one pair over {@code days} days. */
    static List<Interaction> history(Random r, String party, String brand, int n, double days) {
        List<Interaction> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Outcome o = r.nextBoolean() ? good(r.nextInt(5)) : bad(r.nextInt(5));
            if (r.nextInt(4) == 0) o = o.toBuilder().money(10 + r.nextInt(200)).build();
            Purpose p = Purpose.values()[r.nextInt(Purpose.values().length)];
            out.add(event(party, brand, p, day(r.nextDouble() * days), o));
        }
        return out;
    }
}
