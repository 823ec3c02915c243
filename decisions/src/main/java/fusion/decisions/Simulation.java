package fusion.decisions;

import fusion.core.model.Channel;
import fusion.core.model.Interaction;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Replays a period of history through the decision service, deciding at each customer event as
 * the streaming trigger would, and counts what would have been sent, to whom, on which channel,
 * and what stopped the rest. Every act is taken as sent at its send time, so caps and cooldowns
 * bite as they would live. Nothing is delivered.
 */
public final class Simulation {
    private Simulation() {}

    /**
     * Who the simulated customers are beyond their events.
     *
     * @param brand      the own brand deciding
     * @param decisions  caps, quiet hours, intent settings
     * @param zones      each customer's time zone
     * @param consent    each customer's consent ledger
     * @param stated     each customer's stated channel preference
     * @param trajectory how much history each decision sees
     */
    public record Config(
            String brand,
            DecisionConfig decisions,
            Function<String, ZoneId> zones,
            Function<String, ConsentCheck> consent,
            Function<String, List<Channel>> stated,
            Duration trajectory) {
        public Config {
            Objects.requireNonNull(brand, "brand");
            Objects.requireNonNull(decisions, "decisions");
            Objects.requireNonNull(zones, "zones");
            Objects.requireNonNull(consent, "consent");
            Objects.requireNonNull(stated, "stated");
            Objects.requireNonNull(trajectory, "trajectory");
        }

        /** Everyone in UTC, consenting to everything, with no stated preference; 90 days seen. */
        public static Config of(String brand, DecisionConfig decisions) {
            return new Config(
                    brand,
                    decisions,
                    c -> ZoneId.of("UTC"),
                    c -> ConsentCheck.ALLOW_ALL,
                    c -> List.of(),
                    Duration.ofDays(90));
        }

        public Config withZones(Function<String, ZoneId> v) {
            return new Config(brand, decisions, v, consent, stated, trajectory);
        }

        public Config withConsent(Function<String, ConsentCheck> v) {
            return new Config(brand, decisions, zones, v, stated, trajectory);
        }

        public Config withStated(Function<String, List<Channel>> v) {
            return new Config(brand, decisions, zones, consent, v, trajectory);
        }
    }

    /** Replays {@code history} (any order, any number of customers of one brand). */
    public static SimulationReport run(List<Interaction> history, Catalogue catalogue, Config config) {
        DecisionService service = new DecisionService(catalogue, config.decisions());
        List<Interaction> sorted = history.stream()
                .sorted(Comparator.comparing(Interaction::time).thenComparing(Interaction::id))
                .toList();
        Map<String, List<Interaction>> seen = new HashMap<>();
        Map<String, List<SentAction>> sent = new HashMap<>();
        List<Decision> decisions = new ArrayList<>();
        for (Interaction event : sorted) {
            String party = event.party();
            List<Interaction> mine = seen.computeIfAbsent(party, p -> new ArrayList<>());
            mine.add(event);
            Instant now = event.time();
            Instant from = now.minus(config.trajectory());
            mine.removeIf(i -> i.time().isBefore(from));
            List<SentAction> already = sent.computeIfAbsent(party, p -> new ArrayList<>());
            CustomerContext ctx = new CustomerContext(
                    party,
                    config.brand(),
                    mine,
                    config.zones().apply(party),
                    config.stated().apply(party),
                    config.consent().apply(party),
                    already,
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    Optional.empty());
            Decision d = service.decide(ctx, now);
            decisions.add(d);
            if (d instanceof Decision.Act act) {
                already.add(act.asSent());
            }
        }
        return SimulationReport.of(decisions);
    }

    /** The default catalogue. */
    public static SimulationReport run(List<Interaction> history, Config config) {
        return run(history, Catalogue.defaults(), config);
    }
}
