package fusion.models.influence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.models.influence.BrandInfluence.Influence;
import fusion.models.influence.BrandInfluence.Kind;
import fusion.models.influence.BrandInfluence.Link;
import fusion.models.influence.BrandInfluence.Purchase;
import fusion.models.influence.InfluenceAnalysis.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrandInfluenceTest {
    private static final long DAY = 86_400;
    private static final BrandInfluence.Settings WEEK = BrandInfluence.Settings.defaults();

    private static void buy(List<Purchase> out, String brand, int n, long from, long to, String prefix) {
        for (int k = 0; k < n; k++) {
            out.add(new Purchase(prefix + k, brand, from + 1 + (to - from - 1) * k / Math.max(1, n)));
        }
    }

    @Test
    @DisplayName(
            "the lift is the brand's share of others' purchases inside the window over outside, as counted by hand")
    void theLiftIsTheOddsRatioCountedByHand() {
        List<Purchase> p = new ArrayList<>();
        // outside the window (days 0-10 and 17-30): 20 of brand x, 80 of others
        buy(p, "x", 10, 0, 10 * DAY, "a");
        buy(p, "y", 40, 0, 10 * DAY, "b");
        buy(p, "x", 10, 17 * DAY + 1, 30 * DAY, "c");
        buy(p, "y", 40, 17 * DAY + 1, 30 * DAY, "d");
        // inside (day 10, day 17]: 12 of x, 24 of others
        buy(p, "x", 12, 10 * DAY, 17 * DAY, "e");
        buy(p, "y", 24, 10 * DAY, 17 * DAY, "f");
        // the influencer's own purchase inside the window does not count
        p.add(new Purchase("star", "x", 12 * DAY));
        List<Link> links = List.of(new Link("m1", "star", "x", 10 * DAY, Kind.PUSH, 50_000, "posted x"));

        Influence i = BrandInfluence.analyse(links, p, WEEK).get(0);

        // (12/24) / (20/80) = 2; se = sqrt(1/12 + 1/24 + 1/20 + 1/80) = 0.4330
        assertThat(i.afterPushes().inside()).isEqualTo(12);
        assertThat(i.afterPushes().insideOther()).isEqualTo(24);
        assertThat(i.afterPushes().outside()).isEqualTo(20);
        assertThat(i.afterPushes().outsideOther()).isEqualTo(80);
        assertThat(i.afterPushes().ratio()).isCloseTo(2.0, within(1e-12));
        assertThat(i.afterPushes().lower()).isCloseTo(2.0 * Math.exp(-1.959964 * 0.4330127), within(1e-4));
        assertThat(i.pushes()).isEqualTo(1);
        assertThat(i.reach()).isEqualTo(50_000);
        assertThat(i.role()).isEqualTo(Role.NO_DETECTABLE_EFFECT); // 0.85 lower bound: not significant
    }

    @Test
    @DisplayName(
            "a fan who posts the brand right after a notable push is left out: the sales that follow are the star's")
    void anExposureAfterANotableOneIsLeftOut() {
        List<Link> links = List.of(
                new Link("m1", "star", "x", 10 * DAY, Kind.PUSH, 1_000_000, "on stage"),
                new Link("m2", "fan", "x", 10 * DAY + 3600, Kind.PUSH, 800, "posted the star in x"));
        List<Purchase> p = new ArrayList<>();
        buy(p, "x", 30, 0, 40 * DAY, "a");
        buy(p, "y", 30, 0, 40 * DAY, "b");
        List<Influence> all = BrandInfluence.analyse(links, p, WEEK);
        Influence fan =
                all.stream().filter(i -> i.party().equals("fan")).findFirst().orElseThrow();
        Influence star =
                all.stream().filter(i -> i.party().equals("star")).findFirst().orElseThrow();
        assertThat(fan.afterPushes().exposures()).isZero();
        assertThat(fan.afterPushes().left()).isEqualTo(1);
        // the fan's small push does not explain the star's
        assertThat(star.afterPushes().exposures()).isEqualTo(1);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    @DisplayName(
            "issue 15: against a seeded market with known roles, active and passive are found with precision >= 0.8 and recall >= 0.6")
    void recoversKnownRoles(long seed) {
        var s = BrandInfluenceSimulation.Settings.defaults();
        var w = BrandInfluenceSimulation.generate(s, seed);
        var measured = BrandInfluence.analyse(w.links(), w.purchases(), WEEK);
        for (Role role : List.of(Role.ACTIVE, Role.PASSIVE)) {
            var score = BrandInfluenceSimulation.score(w, measured, role);
            assertThat(score.precision()).as(role + " precision " + score).isGreaterThanOrEqualTo(0.8);
            assertThat(score.recall()).as(role + " recall " + score).isGreaterThanOrEqualTo(0.6);
        }
    }
}
