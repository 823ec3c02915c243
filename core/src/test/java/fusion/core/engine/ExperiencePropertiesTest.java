package fusion.core.engine;

import static fusion.core.engine.Events.bad;
import static fusion.core.engine.Events.day;
import static fusion.core.engine.Events.event;
import static fusion.core.engine.Events.good;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fusion.core.model.Interaction;
import fusion.core.model.Need;
import fusion.core.model.Outcome;
import fusion.core.model.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every property PRODUCT.md requires of the Experience score, over seeded random histories. */
class ExperiencePropertiesTest {
    private final Engine engine = new Engine(ModelConfig.defaults());

    static IntStream seeds() {
        return IntStream.range(0, 50);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aPositiveMemoryNeverLowersTheScoreAndANegativeOneNeverRaisesIt(int seed) {
        Random r = new Random(seed);
        List<Interaction> history = Events.history(r, "p", "b", 1 + r.nextInt(30), 60);
        Instant now = day(61 + r.nextDouble() * 30);
        for (int kind = 0; kind < 5; kind++) {
            MapState before = new MapState(engine).applyAll(history);
            Score s0 = before.score("p", "b", now);

            MapState withGood = new MapState(engine).applyAll(history);
            withGood.apply(event("p", "b", Purpose.SERVICE, now, good(kind)));
            Score up = withGood.score("p", "b", now);
            assertThat(up.experience()).as("good kind %d", kind).isGreaterThanOrEqualTo(s0.experience() - 1e-9);
            assertThat(up.fusion()).as("good kind %d", kind).isGreaterThanOrEqualTo(s0.fusion() - 1e-9);

            MapState withBad = new MapState(engine).applyAll(history);
            withBad.apply(event("p", "b", Purpose.SERVICE, now, bad(kind)));
            Score down = withBad.score("p", "b", now);
            assertThat(down.experience()).as("bad kind %d", kind).isLessThanOrEqualTo(s0.experience() + 1e-9);
            assertThat(down.fusion()).as("bad kind %d", kind).isLessThanOrEqualTo(s0.fusion() + 1e-9);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void withoutNewEventsTheScoreRelaxesTowardNeutralHalvingEachHalfLife(int seed) {
        Random r = new Random(seed);
        double halfLife = 3 + r.nextInt(60);
        Engine e = new Engine(ModelConfig.of(Map.of("experience_half_life_days", Double.toString(halfLife))));
        MapState s = new MapState(e);
        for (int i = 0; i < 1 + r.nextInt(20); i++) {
            // needs never fail here, so the delight gate stays open and the score is linear in the sums
            Outcome o = r.nextBoolean() ? good(r.nextInt(5)) : bad(1 + r.nextInt(3));
            s.apply(event("p", "b", Purpose.SERVICE, day(r.nextDouble() * 20), o));
        }
        Instant t = day(21);
        double raw = s.score("p", "b", t).experienceRaw();
        double later = s.score("p", "b", t.plusMillis((long) (halfLife * 86_400_000))).experienceRaw();
        assertThat(later).isCloseTo(raw / 2, within(1e-9 * Math.max(1, Math.abs(raw))));

        double start = Math.abs(s.score("p", "b", t).experience() - 50);
        double distance = start;
        for (double d = 1; d <= 20 * halfLife; d += halfLife / 3) {
            double next = Math.abs(s.score("p", "b", t.plusSeconds((long) (86_400 * d))).experience() - 50);
            assertThat(next).isLessThanOrEqualTo(distance + 1e-12);
            distance = next;
        }
        assertThat(distance).isLessThan(start / 1000 + 1e-9);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSameEventsInAnotherArrivalOrderGiveTheSameState(int seed) {
        Random r = new Random(seed);
        List<Interaction> history = new ArrayList<>(Events.history(r, "p", "b", 2 + r.nextInt(40), 90));
        Relationship inOrder = new MapState(engine).applyAll(history.stream()
                .sorted(java.util.Comparator.comparing(Interaction::time)).toList()).pair("p", "b");
        Collections.shuffle(history, r);
        Relationship shuffled = new MapState(engine).applyAll(history).pair("p", "b");

        assertThat(shuffled.asOfMillis()).isEqualTo(inOrder.asOfMillis());
        assertThat(shuffled.firstSeenMillis()).isEqualTo(inOrder.firstSeenMillis());
        assertThat(shuffled.events()).isEqualTo(inOrder.events());
        double[] a = sums(inOrder);
        double[] b = sums(shuffled);
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("sum %d", i).isCloseTo(a[i], within(1e-9 * Math.max(1, Math.abs(a[i]))));
        }
        Instant later = day(120);
        assertThat(engine.score(shuffled, later).fusion())
                .isCloseTo(engine.score(inOrder, later).fusion(), within(1e-9));
    }

    private static double[] sums(Relationship r) {
        return new double[] {r.needsMet(), r.needsFailed(), r.easeGood(), r.easeBad(), r.delight(),
            r.brandGives(), r.consumerGives(), r.association(), r.money()};
    }

    static Stream<Arguments> goodAndBad() {
        return IntStream.range(0, 5).boxed().flatMap(g -> IntStream.range(0, 5).mapToObj(b -> Arguments.of(g, b)));
    }

    @ParameterizedTest(name = "good kind {0}, bad kind {1}")
    @MethodSource("goodAndBad")
    void aRecentGoodExperienceAfterAnOldBadOneScoresHigherThanTheReverse(int goodKind, int badKind) {
        MapState turnedAround = new MapState(engine);
        turnedAround.apply(event("p", "b", Purpose.SERVICE, day(0), bad(badKind)));
        turnedAround.apply(event("p", "b", Purpose.SERVICE, day(20), good(goodKind)));
        MapState spoiled = new MapState(engine);
        spoiled.apply(event("p", "b", Purpose.SERVICE, day(0), good(goodKind)));
        spoiled.apply(event("p", "b", Purpose.SERVICE, day(20), bad(badKind)));

        Instant now = day(30);
        assertThat(turnedAround.score("p", "b", now).experience())
                .isGreaterThan(spoiled.score("p", "b", now).experience());
    }

    @Test
    void delightCannotLiftARelationshipWhoseNeedsAreFailing() {
        MapState failing = new MapState(engine);
        failing.apply(event("p", "b", Purpose.SERVICE, day(0), Outcome.builder().need(Need.FAILED).build()));
        double before = failing.score("p", "b", day(1)).experience();
        for (int i = 0; i < 5; i++) {
            failing.apply(event("p", "b", Purpose.SERVICE, day(1), Outcome.builder().wow(true).build()));
        }
        assertThat(failing.score("p", "b", day(1)).experience()).isEqualTo(before);

        MapState met = new MapState(engine);
        met.apply(event("p", "b", Purpose.SERVICE, day(0), Outcome.builder().need(Need.MET).build()));
        double metBefore = met.score("p", "b", day(1)).experience();
        met.apply(event("p", "b", Purpose.SERVICE, day(1), Outcome.builder().wow(true).build()));
        assertThat(met.score("p", "b", day(1)).experience()).isGreaterThan(metBefore + 1);
    }

    @Test
    void aPairsStateStaysOneFixedSizeRecordHoweverLongItsHistory() {
        MapState s = new MapState(engine);
        Random r = new Random(1);
        s.applyAll(Events.history(r, "p", "b", 10_000, 365));
        assertThat(s.pairs).hasSize(1);
        assertThat(s.pair("p", "b").events()).isEqualTo(10_000);
        assertThat(Relationship.class.getRecordComponents()).allSatisfy(c ->
                assertThat(c.getType().isPrimitive() || c.getType() == String.class).isTrue());
    }
}
