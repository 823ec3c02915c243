package fusion.server.models;

import fusion.core.model.Initiator;
import fusion.store.RelationshipView;
import fusion.store.Store;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Does the Experience score mean anything? (issue 15, docs/reports/experience-surveys.md) Two
 * rank correlations on the store's own data: a customer's experience with a brand just before
 * they answered a survey against the answer (NPS, CSAT, CES), and a customer's experience at a
 * cutoff 30 days ago against whether they lapsed since (the lapse of {@link ChurnService}).
 */
public final class ExperienceCheck {
    private ExperienceCheck() {}

    /** Spearman's rho with its 95% interval (Fisher z, standard error 1.03 / sqrt(n − 3)). */
    public record Correlation(String what, int n, double rho, double lower, double upper) {
        static Correlation of(String what, List<double[]> pairs) {
            int n = pairs.size();
            if (n < 10) return new Correlation(what, n, Double.NaN, Double.NaN, Double.NaN);
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = pairs.get(i)[0];
                y[i] = pairs.get(i)[1];
            }
            double rho = new SpearmansCorrelation().correlation(x, y);
            double z = 0.5 * Math.log((1 + rho) / (1 - rho)), se = 1.03 / Math.sqrt(n - 3);
            return new Correlation(what, n, rho, Math.tanh(z - 1.96 * se), Math.tanh(z + 1.96 * se));
        }

        String line() {
            if (n >= 10 && Double.isNaN(rho)) {
                return String.format(Locale.ROOT, "| %s | %d | no variation on one side | |", what, n);
            }
            return n < 10
                    ? String.format(Locale.ROOT, "| %s | %d | too few to say | |", what, n)
                    : String.format(Locale.ROOT, "| %s | %d | %+.3f | [%+.3f, %+.3f] |", what, n, rho, lower, upper);
        }
    }

    /** Runs both checks as of {@code now} and prints them as a Markdown table. */
    public static List<Correlation> run(Store store, Instant now, PrintStream out) {
        List<Correlation> all = new ArrayList<>();
        Map<String, List<double[]>> answers = new TreeMap<>();
        for (SurveyService.Answer a : new SurveyService(store).answers()) {
            double experience =
                    experience(store, a.profile(), a.brand(), a.time().minusMillis(1));
            if (Double.isNaN(experience)) continue;
            if (a.nps() != null)
                answers.computeIfAbsent("NPS", k -> new ArrayList<>()).add(new double[] {experience, a.nps()});
            if (a.csat() != null)
                answers.computeIfAbsent("CSAT", k -> new ArrayList<>()).add(new double[] {experience, a.csat()});
            if (a.ces() != null)
                answers.computeIfAbsent("CES (lower is easier)", k -> new ArrayList<>())
                        .add(new double[] {experience, a.ces()});
        }
        answers.forEach((k, v) -> all.add(Correlation.of("experience just before the answer vs " + k, v)));
        // lapse: active (an interaction they started) in the 90 days before the cutoff, none in the 30 after
        Instant cutoff = now.minus(Duration.ofDays(ChurnService.LAPSE_DAYS));
        Instant activeFrom = cutoff.minus(Duration.ofDays(ChurnService.ACTIVE_DAYS));
        Map<String, Map<String, boolean[]>> seen = new TreeMap<>(); // brand -> party -> {active, returned}
        store.forEachInteraction(i -> {
            if (i.brand().competitor() || i.initiator() != Initiator.CONSUMER) return;
            boolean[] f = seen.computeIfAbsent(i.brand().id(), b -> new HashMap<>())
                    .computeIfAbsent(i.party(), p -> new boolean[2]);
            if (i.time().isAfter(activeFrom) && !i.time().isAfter(cutoff)) f[0] = true;
            if (i.time().isAfter(cutoff) && !i.time().isAfter(now)) f[1] = true;
        });
        seen.forEach((brand, parties) -> {
            List<double[]> pairs = new ArrayList<>();
            parties.forEach((party, f) -> {
                if (!f[0]) return;
                double experience = experience(store, party, brand, cutoff);
                if (!Double.isNaN(experience)) pairs.add(new double[] {experience, f[1] ? 0 : 1});
            });
            all.add(Correlation.of("experience at the cutoff vs lapsed within 30 days, " + brand, pairs));
        });
        out.println("| comparison | n | Spearman rho | 95% interval |");
        out.println("|---|---|---|---|");
        all.forEach(c -> out.println(c.line()));
        return all;
    }

    private static double experience(Store store, String profile, String brand, Instant at) {
        for (RelationshipView r : store.relationships(profile, at, 0)) {
            if (r.brand().equals(brand)) return r.experience();
        }
        return Double.NaN;
    }
}
