package fusion.analytics.journey;

import fusion.core.model.Brand;
import fusion.core.model.Channel;
import fusion.core.model.ContactPoint;
import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test interactions: literal ones and a seeded random stream in time order. */
final class Events {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Brand ACME = Brand.own("acme");
    static final Brand GLOBEX = Brand.competitor("globex");
    static final Brand INITECH = Brand.competitor("initech");
    private static final List<Brand> BRANDS = List.of(ACME, GLOBEX, INITECH);
    private static final List<Channel> CHANNELS = List.of(Channel.WEB, Channel.STORE, Channel.CHAT, Channel.APP);

    private Events() {}

    static Interaction at(
            String party, Brand brand, Channel channel, Purpose purpose, Duration after, Outcome outcome) {
        return new Interaction(
                party + "-" + brand.id() + "-" + after.toMinutes() + "-" + purpose,
                party,
                brand,
                new ContactPoint(brand.id() + "-" + channel.label(), channel),
                purpose,
                Initiator.CONSUMER,
                T0.plus(after),
                outcome,
                List.of(),
                "");
    }

    static Interaction at(String party, Brand brand, Channel channel, Purpose purpose, Duration after) {
        return at(party, brand, channel, purpose, after, Outcome.NEUTRAL);
    }

    /** {@code count} interactions of {@code parties} parties with three brands, in time order. */
    static List<Interaction> randomStream(long seed, int count, int parties) {
        Random rng = new Random(seed);
        List<Interaction> out = new ArrayList<>();
        Instant t = T0;
        Purpose[] purposes = Purpose.values();
        for (int n = 0; n < count; n++) {
            // Mostly minutes to hours apart, sometimes weeks: journeys both continue and drop out.
            t = t.plusSeconds(rng.nextInt(10) == 0 ? rng.nextInt(40 * 86_400) / 20 * 20 : rng.nextInt(3_600));
            String party = "p" + rng.nextInt(parties);
            Brand brand = BRANDS.get(rng.nextInt(BRANDS.size()));
            Channel channel = CHANNELS.get(rng.nextInt(CHANNELS.size()));
            Purpose purpose = rng.nextInt(3) == 0
                    ? Purpose.RESEARCH
                    : rng.nextInt(3) == 0 ? Purpose.PURCHASE : purposes[rng.nextInt(purposes.length)];
            Outcome outcome = Outcome.builder()
                    .need(Need.values()[rng.nextInt(Need.values().length)])
                    .wow(rng.nextInt(7) == 0)
                    .money(purpose == Purpose.PURCHASE ? rng.nextInt(50_000) / 100.0 : 0)
                    .build();
            out.add(new Interaction(
                    "e" + n,
                    party,
                    brand,
                    new ContactPoint(brand.id() + "-" + channel.label(), channel),
                    purpose,
                    Initiator.CONSUMER,
                    t,
                    outcome,
                    List.of(),
                    ""));
        }
        return out;
    }
}
