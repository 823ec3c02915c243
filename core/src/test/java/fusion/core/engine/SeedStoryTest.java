package fusion.core.engine;

import static fusion.core.engine.Events.day;
import static fusion.core.engine.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.core.model.Channel;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Politeness;
import fusion.core.model.Purpose;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seed 000, executed: glitter's open-air concert lifts its consumers' fusion and its sales; the pop
 * artist wearing glitter's sweater on stage gains 100k followers and artist-glitter fusion rises,
 * with the cause in the ledger; a week later her tweet blaming the restaurant's waitstaff lowers
 * both artist-restaurant and artist-glitter fusion, by amounts in proportion to their associations.
 */
class SeedStoryTest {
    private final Engine engine = new Engine(ModelConfig.defaults());
    private final MapState world = new MapState(engine);
    private static final int CONSUMERS = 200;
    private static final double CONCERT = 30;

    @Test
    void theConcertTheSweaterAndTheTweet() {
        Random r = new Random(0);
        double moneyBefore = buy(r, 0, CONCERT, 0.05);
        double fusionBefore = averageFusion(day(CONCERT - 0.01));

        for (int c = 0; c < CONSUMERS; c++) {
            world.apply(event("c" + c, "glitter", Purpose.USAGE, Channel.EVENT, day(CONCERT),
                    Outcome.builder().valueReceived(1).build(), List.of("popstar"), "glitter's open-air concert"));
        }
        world.apply(event("popstar", "glitter", Purpose.ADVOCACY, Channel.EVENT, day(CONCERT + 0.1),
                Outcome.builder().reach(1_000_000).followersGained(100_000).build(), List.of(),
                "wore the brand's sweater at the concert"));
        double moneyAfter = buy(r, CONCERT + 0.2, CONCERT + 7, 0.10);
        // seven days before and after: the concert was followed by a rise in sales
        double moneyWeekBefore = moneyBefore * 7 / CONCERT;
        assertThat(moneyAfter).isGreaterThan(1.5 * moneyWeekBefore);
        assertThat(averageFusion(day(CONCERT + 0.2))).isGreaterThan(fusionBefore + 1);

        LedgerEntry worn = lastEntry("popstar", "glitter");
        assertThat(worn.fusionDelta()).isPositive();
        assertThat(worn.cause()).contains("wore the brand's sweater at the concert", "followers +100k");
        double artistGlitterBefore = world.score("popstar", "glitter", day(CONCERT + 7)).fusion();

        // a week later: dinner at the restaurant, in the sweater, then the tweet
        Instant dinner = day(CONCERT + 7);
        world.apply(event("popstar", "salmonella", Purpose.PURCHASE, Channel.STORE, dinner,
                Outcome.builder().money(240).need(Need.FAILED).build(), List.of("glitter"), "bad salmon dish"));
        Instant tweet = day(CONCERT + 7.5);
        double restaurantBefore = world.score("popstar", "salmonella", tweet).fusion();
        double glitterBefore = world.score("popstar", "glitter", tweet).fusion();
        double glitterAssociation = world.score("popstar", "glitter", tweet).association();
        world.apply(event("popstar", "salmonella", Purpose.COMPLAINT, Channel.SOCIAL, tweet,
                Outcome.builder().sentiment(-0.9).consumer(Politeness.RUDE).reach(1_100_000).build(),
                List.of("glitter"), "tweeted blaming the waitstaff for a bad salmon dish"));

        LedgerEntry atRestaurant = lastEntry("popstar", "salmonella");
        LedgerEntry atGlitter = lastEntry("popstar", "glitter");
        assertThat(atRestaurant.kind()).isEqualTo(LedgerEntry.Kind.EVENT);
        assertThat(atRestaurant.fusionAfter()).isLessThan(restaurantBefore);
        assertThat(atGlitter.kind()).isEqualTo(LedgerEntry.Kind.PROPAGATED);
        assertThat(atGlitter.fusionAfter()).isLessThan(glitterBefore);
        assertThat(atGlitter.fusionAfter()).isLessThan(artistGlitterBefore);
        assertThat(atGlitter.note()).contains("incident at salmonella by popstar");
        assertThat(atGlitter.cause()).contains("complaint to 1.1M followers", "rude in public");

        // the incident's points: in full where it happened, times the association elsewhere
        double atSite = atRestaurant.contributions().stream()
                .filter(c -> c.rule().equals("advocacy") || c.rule().equals("politeness"))
                .mapToDouble(Contribution::points).sum();
        double spread = atGlitter.contributions().stream().mapToDouble(Contribution::points).sum();
        assertThat(atSite).isNegative();
        assertThat(glitterAssociation).isBetween(0.1, 0.99);
        double strengthAtTweet = engine.score(world.pair("popstar", "glitter"), tweet).association();
        assertThat(spread / atSite).isCloseTo(strengthAtTweet, within(1e-9));
        assertThat(strengthAtTweet).as("wearing the sweater again strengthened it").isGreaterThan(glitterAssociation);
    }

    /** Random purchases at glitter between two days; returns the money spent. */
    private double buy(Random r, double from, double to, double perConsumerPerDay) {
        double money = 0;
        for (int c = 0; c < CONSUMERS; c++) {
            for (double d = from; d < to; d += 1) {
                if (r.nextDouble() < perConsumerPerDay) {
                    double amount = 20 + r.nextInt(100);
                    money += amount;
                    world.apply(event("c" + c, "glitter", Purpose.PURCHASE, day(d + r.nextDouble() * 0.9),
                            Outcome.builder().money(amount).need(Need.MET).build()));
                }
            }
        }
        return money;
    }

    private double averageFusion(Instant at) {
        double sum = 0;
        for (int c = 0; c < CONSUMERS; c++) {
            sum += world.relationship("c" + c, "glitter").map(rel -> engine.score(rel, at).fusion()).orElse(50.0);
        }
        return sum / CONSUMERS;
    }

    private LedgerEntry lastEntry(String party, String brand) {
        List<LedgerEntry> l = world.ledger.stream().filter(e -> e.party().equals(party) && e.brand().equals(brand)).toList();
        return l.get(l.size() - 1);
    }
}
