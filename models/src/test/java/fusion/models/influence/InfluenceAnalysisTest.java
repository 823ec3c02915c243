package fusion.models.influence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InfluenceAnalysisTest {

    private static Map<String, InfluenceAnalysis.Profile> analyse(long seed) {
        InfluenceSimulation.Settings s = InfluenceSimulation.Settings.defaults();
        InfluenceSimulation.World w = InfluenceSimulation.generate(s, seed);
        return InfluenceAnalysis.analyse(w.events(), w.followers(), w.population(), s.window(), 0.95).stream()
                .collect(Collectors.toMap(InfluenceAnalysis.Profile::influencer, Function.identity()));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void recoversTheRoleEachSimulatedInfluencerWasGiven(long seed) {
        Map<String, InfluenceAnalysis.Profile> p = analyse(seed);
        InfluenceSimulation.World w = InfluenceSimulation.generate(InfluenceSimulation.Settings.defaults(), seed);
        w.truth().forEach((who, role) -> assertThat(p.get(who).role()).as(who).isEqualTo(role));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void activeShareAndLiftsSeparateTalkingFromBeingSeen(long seed) {
        Map<String, InfluenceAnalysis.Profile> p = analyse(seed);
        assertThat(p.get("active").activeShare()).isGreaterThan(0.5);
        assertThat(p.get("passive").activeShare()).isLessThan(0.5);
        assertThat(p.get("active").afterMention().lower()).isGreaterThan(2);
        assertThat(p.get("active").afterCoAppearance().significant()).isFalse();
        assertThat(p.get("passive").afterCoAppearance().lower()).isGreaterThan(2);
        assertThat(p.get("quiet").afterMention().lower()).isLessThan(1);
        assertThat(p.get("quiet").afterCoAppearance().lower()).isLessThan(1);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void measuredLiftIsNearTheSimulatedRiskRatio(long seed) {
        InfluenceSimulation.Settings s = InfluenceSimulation.Settings.defaults();
        double exposed = 1 - Math.pow(1 - s.baseline() - s.boost(), s.window());
        double unexposed = 1 - Math.pow(1 - s.baseline(), s.window());
        double truth = exposed / unexposed;
        Map<String, InfluenceAnalysis.Profile> p = analyse(seed);
        assertThat(p.get("active").afterMention().ratio()).isBetween(truth / 1.35, truth * 1.35);
        assertThat(p.get("passive").afterCoAppearance().ratio()).isBetween(truth / 1.35, truth * 1.35);
    }

    @Test
    void liftIsTheRiskRatioOfFollowersAgainstNonFollowers() {
        // one mention at t=10; follower f1 adopts at 12, f2 never; n1 adopts at 30 (outside)
        List<InfluenceEvent> events = List.of(
                new InfluenceEvent.Mention(10, "i", "b"),
                new InfluenceEvent.Adoption(12, "f1", "b"),
                new InfluenceEvent.Adoption(15, "n2", "b"),
                new InfluenceEvent.Adoption(30, "n1", "b"));
        InfluenceAnalysis.Profile p = InfluenceAnalysis.analyse(
                        events, Map.of("i", Set.of("f1", "f2")), Set.of("f1", "f2", "n1", "n2", "n3", "n4"), 7, 0.95)
                .get(0);
        InfluenceAnalysis.Lift l = p.afterMention();
        assertThat(l.followerTrials()).isEqualTo(2);
        assertThat(l.followerAdoptions()).isEqualTo(1);
        assertThat(l.controlTrials()).isEqualTo(4);
        assertThat(l.controlAdoptions()).isEqualTo(1);
        assertThat(l.ratio()).isEqualTo(2.0);
        assertThat(p.activeShare()).isEqualTo(1.0);
    }
}
