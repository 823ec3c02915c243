package fusion.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import fusion.core.model.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties that must hold over any history: replayed through {@link Simulation} from seeded
 * random customers whose consent comes and goes.
 */
class DecisionPropertiesTest {

    static Stream<Long> seeds() {
        return LongStream.range(1, 31).boxed();
    }

    /** Tight caps so that they bite often. */
    private static DecisionConfig tight() {
        return DecisionConfig.defaults()
                .withCaps(FrequencyCaps.overall(2, Duration.ofDays(5))
                        .withChannel(Channel.EMAIL, 1, Duration.ofDays(3))
                        .withChannel(Channel.APP, 1, Duration.ofDays(2))
                        .withChannel(Channel.MESSAGING, 1, Duration.ofDays(2)));
    }

    private static SimulationReport simulate(long seed, RandomHistories h) {
        return Simulation.run(h.history, Catalogue.defaults(), h.config(tight()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noWindowEverHoldsMoreSendsThanItsCap(long seed) {
        RandomHistories h = new RandomHistories(seed, 4, 120, 40);
        SimulationReport report = simulate(seed, h);
        FrequencyCaps caps = tight().caps();
        Map<String, List<Decision.Act>> byCustomer =
                report.acts().stream().collect(Collectors.groupingBy(Decision.Act::customer));
        byCustomer.values().forEach(acts -> {
            assertWindowed(acts.stream().map(Decision.Act::sendAt).toList(), caps.overall());
            for (Channel c : Channel.values()) {
                caps.channelCap(c)
                        .ifPresent(cap -> assertWindowed(
                                acts.stream()
                                        .filter(a -> a.channel() == c)
                                        .map(Decision.Act::sendAt)
                                        .toList(),
                                cap));
            }
        });
    }

    private static void assertWindowed(List<Instant> times, FrequencyCaps.Cap cap) {
        List<Instant> sorted = times.stream().sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            Instant from = sorted.get(i);
            long inWindow = sorted.stream()
                    .filter(t -> !t.isBefore(from) && t.isBefore(from.plus(cap.window())))
                    .count();
            assertThat(inWindow)
                    .as("sends in the window from %s (cap %s)", from, cap)
                    .isLessThanOrEqualTo(cap.max());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void nothingIsEverSentWithoutConsentAtTheInstantOfSending(long seed) {
        RandomHistories h = new RandomHistories(seed, 4, 120, 40);
        SimulationReport report = simulate(seed, h);
        for (Decision.Act a : report.acts()) {
            ConsentCheck ledger = h.consent.get(a.customer());
            assertThat(ledger.check(a.purpose(), a.channel(), a.decidedAt()).allowed())
                    .as("%s", a)
                    .isTrue();
            assertThat(ledger.check(a.purpose(), a.channel(), a.sendAt()).allowed())
                    .as("%s", a)
                    .isTrue();
        }
        assertThat(report.consentRefusals()).as("the ledgers refuse some uses").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void nothingIsSentDuringTheCustomersQuietHours(long seed) {
        RandomHistories h = new RandomHistories(seed, 4, 120, 40);
        for (Decision.Act a : simulate(seed, h).acts()) {
            assertThat(tight().quietHours().isQuiet(a.sendAt(), h.zones.get(a.customer())))
                    .as("%s", a)
                    .isFalse();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void whileANeedIsUnmetOnlyFixesAreSentAndNoActionRepeatsWithinItsCooldown(long seed) {
        RandomHistories h = new RandomHistories(seed, 4, 120, 40);
        Catalogue catalogue = Catalogue.defaults();
        var types = ActionTypes.standard();
        List<Decision.Act> acts = simulate(seed, h).acts();
        for (Decision.Act a : acts) {
            if (a.hasReason(ReasonCode.NEED_UNMET)) {
                assertThat(types.get(a.kind()).fixesNeeds()).as("%s", a).isTrue();
            }
            Duration cooldown = catalogue.find(a.actionId()).orElseThrow().cooldown();
            for (Decision.Act b : acts) {
                if (b != a && b.customer().equals(a.customer()) && b.actionId().equals(a.actionId())) {
                    assertThat(Duration.between(a.sendAt(), b.sendAt()).abs())
                            .as("%s then %s", a, b)
                            .isGreaterThanOrEqualTo(cooldown);
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyNothingHasAReasonThatIsNotAnActReason(long seed) {
        RandomHistories h = new RandomHistories(seed, 4, 120, 40);
        for (Decision d : simulate(seed, h).decisions()) {
            if (d instanceof Decision.Nothing n) {
                assertThat(n.primary().code())
                        .isIn(
                                ReasonCode.NO_CONSENT,
                                ReasonCode.CAPPED_CHANNEL,
                                ReasonCode.CAPPED_OVERALL,
                                ReasonCode.UNMET_NEED_NO_FIX,
                                ReasonCode.NOTHING_RELEVANT,
                                ReasonCode.LOW_VALUE,
                                ReasonCode.COOLDOWN);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theRandomHistoriesExerciseEveryGate() {
        long acts = 0, caps = 0, consent = 0, deferred = 0, unmetFixes = 0;
        for (long seed = 1; seed < 31; seed++) {
            SimulationReport r = simulate(seed, new RandomHistories(seed, 4, 120, 40));
            acts += r.acts().size();
            caps += r.capsHit();
            consent += r.consentRefusals();
            deferred += r.deferrals();
            unmetFixes += r.acts().stream()
                    .filter(a -> a.hasReason(ReasonCode.NEED_UNMET))
                    .count();
        }
        assertThat(List.of(acts, caps, consent, deferred, unmetFixes))
                .as("acts, caps, consent, deferred, fixes")
                .allSatisfy(n -> assertThat(n).isGreaterThan(10L));
    }
}
