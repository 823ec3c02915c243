package fusion.decisions;

import fusion.core.model.Channel;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a {@link Simulation} would have done.
 *
 * @param decisions      every decision, in replay order
 * @param actsByCustomer acts per customer
 * @param actsByChannel  acts per channel
 * @param actsByAction   acts per catalogue action id
 * @param capsHit        decisions in which a cap stopped at least one channel or action
 * @param consentRefusals decisions in which consent stopped at least one channel or action
 * @param deferrals      acts deferred by quiet hours
 * @param nothingReasons the primary reason of each "nothing", counted
 */
public record SimulationReport(
        List<Decision> decisions,
        Map<String, Long> actsByCustomer,
        Map<Channel, Long> actsByChannel,
        Map<String, Long> actsByAction,
        long capsHit,
        long consentRefusals,
        long deferrals,
        Map<ReasonCode, Long> nothingReasons) {

    public SimulationReport {
        decisions = List.copyOf(decisions);
    }

    static SimulationReport of(List<Decision> decisions) {
        List<Decision.Act> acts = acts(decisions);
        return new SimulationReport(
                decisions,
                count(acts, Decision.Act::customer),
                count(acts, Decision.Act::channel),
                count(acts, Decision.Act::actionId),
                decisions.stream()
                        .filter(d -> d.hasReason(ReasonCode.CAPPED_CHANNEL) || d.hasReason(ReasonCode.CAPPED_OVERALL))
                        .count(),
                decisions.stream()
                        .filter(d -> d.hasReason(ReasonCode.NO_CONSENT))
                        .count(),
                acts.stream().filter(a -> !a.sendsNow()).count(),
                count(
                        decisions.stream()
                                .filter(d -> d instanceof Decision.Nothing)
                                .toList(),
                        d -> d.primary().code()));
    }

    public List<Decision.Act> acts() {
        return acts(decisions);
    }

    private static List<Decision.Act> acts(List<Decision> decisions) {
        return decisions.stream()
                .filter(d -> d instanceof Decision.Act)
                .map(d -> (Decision.Act) d)
                .toList();
    }

    private static <T, K extends Comparable<K>> Map<K, Long> count(List<T> items, Function<T, K> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    /** A Markdown page: totals, then one table per breakdown. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("# Decision simulation\n\n");
        md.append("| decisions | acts | deferred by quiet hours | caps hit | consent refusals |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        md.append("| ")
                .append(decisions.size())
                .append(" | ")
                .append(acts().size())
                .append(" | ")
                .append(deferrals)
                .append(" | ")
                .append(capsHit)
                .append(" | ")
                .append(consentRefusals)
                .append(" |\n");
        table(md, "Acts per channel", "channel", actsByChannel, Channel::label);
        table(md, "Acts per action", "action", actsByAction, Function.identity());
        table(md, "Nothing, by reason", "reason", nothingReasons, ReasonCode::label);
        table(md, "Acts per customer", "customer", actsByCustomer, Function.identity());
        return md.toString();
    }

    private static <K> void table(
            StringBuilder md, String title, String column, Map<K, Long> counts, Function<K, String> label) {
        md.append("\n## ").append(title).append("\n\n| ").append(column).append(" | count |\n|---|---:|\n");
        if (counts.isEmpty()) {
            md.append("| (none) | 0 |\n");
        }
        counts.forEach((k, v) ->
                md.append("| ").append(label.apply(k)).append(" | ").append(v).append(" |\n"));
    }
}
