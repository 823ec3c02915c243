package fusion.decisions;

import fusion.core.consent.ConsentPurpose;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded random customers: histories, time zones and consent ledgers with grants that expire. */
final class RandomHistories {
    static final List<ZoneId> ZONES = List.of(
            ZoneId.of("UTC"),
            ZoneId.of("Europe/Rome"),
            ZoneId.of("Asia/Tokyo"),
            ZoneId.of("America/Los_Angeles"),
            ZoneId.of("Australia/Sydney"));
    private static final List<String> DESCRIPTIONS = List.of(
            "Product Viewed",
            "my charger is broken",
            "Does it fit?",
            "Order Completed",
            "Ticket Created",
            "lost my card",
            "Store visit",
            "Product Used");

    final List<Interaction> history = new ArrayList<>();
    final Map<String, ZoneId> zones = new HashMap<>();
    final Map<String, ConsentCheck> consent = new HashMap<>();
    final Instant start = Events.T0;
    final Instant end;

    RandomHistories(long seed, int customers, int events, int days) {
        Random r = new Random(seed);
        end = start.plusSeconds(days * 86_400L);
        for (int c = 0; c < customers; c++) {
            String party = "c" + c;
            zones.put(party, ZONES.get(r.nextInt(ZONES.size())));
            consent.put(party, ledger(r, days));
        }
        for (int k = 0; k < events; k++) {
            String party = "c" + r.nextInt(customers);
            Purpose purpose = Purpose.values()[r.nextInt(Purpose.values().length)];
            Channel channel = Channel.values()[r.nextInt(Channel.values().length)];
            Outcome outcome = Outcome.builder()
                    .need(Need.values()[r.nextInt(Need.values().length)])
                    .consumer(Politeness.values()[r.nextInt(Politeness.values().length)])
                    .staff(Politeness.values()[r.nextInt(Politeness.values().length)])
                    .repeatContacts(r.nextInt(3))
                    .build();
            Instant at = start.plusSeconds((long) (r.nextDouble() * days * 86_400L));
            history.add(new Interaction(
                    "s" + seed + "-" + k,
                    party,
                    Brand.own(Events.BRAND),
                    ContactPoint.of(channel),
                    purpose,
                    r.nextBoolean() ? Initiator.CONSUMER : Initiator.BRAND,
                    at,
                    outcome,
                    r.nextBoolean() ? List.of("product-" + r.nextInt(3)) : List.of(),
                    DESCRIPTIONS.get(r.nextInt(DESCRIPTIONS.size()))));
        }
    }

    /** Per purpose and channel: no grant, or one granted at a random time and expiring at another. */
    private ConsentCheck ledger(Random r, int days) {
        Map<String, Instant[]> grants = new HashMap<>();
        for (ConsentPurpose p : ConsentPurpose.values()) {
            for (Channel c : Channel.values()) {
                if (r.nextDouble() < 0.7) {
                    Instant from = start.plusSeconds((long) (r.nextDouble() * days * 43_200L));
                    Instant until = from.plusSeconds((long) (r.nextDouble() * days * 86_400L));
                    grants.put(p + "/" + c, new Instant[] {from, until});
                }
            }
        }
        return (p, c, at) -> {
            Instant[] g = grants.get(p + "/" + c);
            if (g == null) {
                return ConsentVerdict.deny("never granted");
            }
            return !at.isBefore(g[0]) && at.isBefore(g[1])
                    ? ConsentVerdict.allow("granted until " + g[1])
                    : ConsentVerdict.deny("outside the grant " + g[0] + ".." + g[1]);
        };
    }

    Simulation.Config config(DecisionConfig decisions) {
        return Simulation.Config.of(Events.BRAND, decisions)
                .withZones(zones::get)
                .withConsent(consent::get);
    }
}
