package fusion.server.models;

import fusion.core.model.Interaction;
import fusion.core.segment.SegmentCall;
import fusion.models.drivers.DriverAnalysis;
import fusion.store.Store;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Asking customers (docs/MODELS-CAUSAL.md, "Surveys"): the store's "Survey Answered" events, read
 * back from the event log and attributed through their scored interaction (same message id) to the
 * profile, brand and contact point the mapping gave them.
 *
 * <p>An answer carries any of {@code nps} (0–10, likelihood to recommend), {@code csat} (1–5,
 * satisfaction), {@code ces} (1–7, customer effort, lower is easier), {@code answers} (an object of
 * question → number, the drivers) and {@code comment} (free text). Values outside their scale are
 * dropped from the answer, not clamped.
 */
public final class SurveyService {
    public static final String EVENT = "Survey Answered";
    /** Bootstrap resamples and interval level of the driver analysis, and its seed. */
    public static final int RESAMPLES = 500;

    public static final double LEVEL = 0.95;
    public static final long SEED = 2015;
    /** A question is a driver when at least this share of the outcome's respondents answered it. */
    public static final double MIN_COVERAGE = 0.8;

    public static final int MIN_RESPONDENTS = 30;

    private final Store store;

    public SurveyService(Store store) {
        this.store = store;
    }

    /** One answer as stored. */
    public record Answer(
            String profile,
            String brand,
            String contactPoint,
            Instant time,
            Integer nps,
            Integer csat,
            Integer ces,
            Map<String, Double> answers,
            String comment) {}

    /** One contact point's answers in one week (weeks start on Monday, UTC). */
    public record Period(
            String contactPoint,
            LocalDate week,
            int answers,
            Integer npsAnswers,
            Double nps,
            Integer csatAnswers,
            Double csat,
            Integer cesAnswers,
            Double ces,
            int comments) {}

    /**
     * A brand's survey report.
     *
     * @param nps Net Promoter Score over all answers: % promoters (9–10) − % detractors (0–6)
     * @param periods per contact point and week, oldest first
     * @param comments the latest free-text answers, newest first (at most 20)
     */
    public record Report(
            String brand,
            int answers,
            Double nps,
            Double csat,
            Double ces,
            List<Period> periods,
            List<Answer> comments,
            String message) {}

    /** Every survey answer, oldest first. */
    public List<Answer> answers() {
        Map<String, Interaction> byMessage = new HashMap<>();
        store.forEachInteraction(i -> byMessage.put(i.id(), i));
        List<Answer> out = new ArrayList<>();
        store.forEachEvent((seq, call) -> {
            if (call.type() != SegmentCall.Type.TRACK || !EVENT.equals(call.event())) return;
            Interaction i = byMessage.get(call.messageId());
            if (i == null) return; // not scored (e.g. refused by consent): not an answer we may use
            Map<String, Object> p = call.properties() == null ? Map.of() : call.properties();
            Map<String, Double> answers = new TreeMap<>();
            if (p.get("answers") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    if (v instanceof Number n && Double.isFinite(n.doubleValue()))
                        answers.put(String.valueOf(k), n.doubleValue());
                });
            }
            Object comment = p.get("comment");
            out.add(new Answer(
                    i.party(),
                    i.brand().id(),
                    i.contactPoint().id(),
                    i.time(),
                    score(p.get("nps"), 0, 10),
                    score(p.get("csat"), 1, 5),
                    score(p.get("ces"), 1, 7),
                    answers,
                    comment instanceof String s && !s.isBlank() ? s : null));
        });
        out.sort(java.util.Comparator.comparing(Answer::time));
        return out;
    }

    private static Integer score(Object v, int low, int high) {
        if (!(v instanceof Number n)) return null;
        double d = n.doubleValue();
        return d == Math.rint(d) && d >= low && d <= high ? (int) d : null;
    }

    /** The brand's answers per contact point and week, with its overall scores. */
    public Report report(String brand) {
        List<Answer> mine =
                answers().stream().filter(a -> a.brand.equals(brand)).toList();
        Map<String, Map<LocalDate, List<Answer>>> groups = new TreeMap<>();
        for (Answer a : mine) {
            LocalDate week = LocalDate.ofInstant(a.time, ZoneOffset.UTC)
                    .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            groups.computeIfAbsent(a.contactPoint, k -> new TreeMap<>())
                    .computeIfAbsent(week, k -> new ArrayList<>())
                    .add(a);
        }
        List<Period> periods = new ArrayList<>();
        groups.forEach((point, weeks) -> weeks.forEach((week, as) -> periods.add(period(point, week, as))));
        List<Answer> comments = new ArrayList<>();
        for (int k = mine.size() - 1; k >= 0 && comments.size() < 20; k--) {
            if (mine.get(k).comment != null) comments.add(mine.get(k));
        }
        Period all = period(null, null, mine);
        String message = mine.isEmpty()
                ? "No survey answers for " + brand + " yet: send \"" + EVENT + "\" events (docs/MODELS-CAUSAL.md)."
                : String.format(
                        Locale.ROOT,
                        "%d answers at %d contact points; NPS %s, CSAT %s of 5, CES %s of 7 (lower is easier).",
                        mine.size(),
                        groups.size(),
                        all.nps == null ? "–" : String.format(Locale.ROOT, "%+.0f", all.nps),
                        all.csat == null ? "–" : String.format(Locale.ROOT, "%.2f", all.csat),
                        all.ces == null ? "–" : String.format(Locale.ROOT, "%.2f", all.ces));
        return new Report(brand, mine.size(), all.nps, all.csat, all.ces, periods, comments, message);
    }

    private static Period period(String point, LocalDate week, List<Answer> as) {
        int n = 0, promoters = 0, detractors = 0, cs = 0, ce = 0, comments = 0;
        double csat = 0, ces = 0;
        for (Answer a : as) {
            if (a.nps != null) {
                n++;
                if (a.nps >= 9) promoters++;
                if (a.nps <= 6) detractors++;
            }
            if (a.csat != null) {
                cs++;
                csat += a.csat;
            }
            if (a.ces != null) {
                ce++;
                ces += a.ces;
            }
            if (a.comment != null) comments++;
        }
        return new Period(
                point,
                week,
                as.size(),
                n,
                n == 0 ? null : 100.0 * (promoters - detractors) / n,
                cs,
                cs == 0 ? null : csat / cs,
                ce,
                ce == 0 ? null : ces / ce,
                comments);
    }

    /**
     * The drivers of {@code outcome} (nps, csat or ces) at the brand: {@link DriverAnalysis} over
     * the respondents who gave the outcome and every driver question, the questions being those
     * answered by at least {@link #MIN_COVERAGE} of the outcome's respondents.
     */
    public Drivers drivers(String brand, String outcome) {
        List<Answer> mine = answers().stream()
                .filter(a -> a.brand.equals(brand) && outcome(a, outcome) != null)
                .toList();
        Map<String, Integer> asked = new TreeMap<>();
        for (Answer a : mine) a.answers.keySet().forEach(q -> asked.merge(q, 1, Integer::sum));
        List<String> covered = new ArrayList<>(new TreeSet<>(asked.keySet()));
        covered.removeIf(q -> asked.get(q) < MIN_COVERAGE * mine.size());
        // at most 15 drivers (DriverAnalysis's exact decomposition is over all their subsets)
        List<String> questions = covered.size() > 15 ? covered.subList(0, 15) : covered;
        List<Answer> complete = mine.stream()
                .filter(a -> a.answers.keySet().containsAll(questions))
                .toList();
        if (questions.isEmpty() || complete.size() < Math.max(MIN_RESPONDENTS, questions.size() + 2)) {
            return new Drivers(
                    brand,
                    outcome,
                    "too few answers",
                    String.format(
                            Locale.ROOT,
                            "%d answers at %s give %s with %d driver questions answered by at least %.0f%% of them; "
                                    + "at least %d complete answers and one question are needed.",
                            complete.size(),
                            brand,
                            outcome,
                            questions.size(),
                            100 * MIN_COVERAGE,
                            Math.max(MIN_RESPONDENTS, questions.size() + 2)),
                    complete.size(),
                    questions,
                    null);
        }
        double[] y = new double[complete.size()];
        double[][] x = new double[complete.size()][questions.size()];
        for (int i = 0; i < complete.size(); i++) {
            Answer a = complete.get(i);
            y[i] = outcome(a, outcome);
            for (int j = 0; j < questions.size(); j++) x[i][j] = a.answers.get(questions.get(j));
        }
        try {
            DriverAnalysis.Result r = DriverAnalysis.analyse(y, x, questions, RESAMPLES, LEVEL, SEED);
            DriverAnalysis.Driver top = r.drivers().get(0);
            String msg = String.format(
                    Locale.ROOT,
                    "%d respondents; the questions explain %.0f%% of the variance of %s; %s matters most: it "
                            + "accounts for %.0f%% of the variance (%.0f%% interval %.0f%% to %.0f%%), %.0f%% of what "
                            + "is explained.",
                    r.respondents(),
                    100 * r.rSquared(),
                    outcome,
                    top.name(),
                    100 * top.lmg(),
                    100 * LEVEL,
                    100 * top.lmgLower(),
                    100 * top.lmgUpper(),
                    100 * top.shareOfRSquared(r.rSquared()));
            return new Drivers(brand, outcome, "analysed", msg, r.respondents(), questions, r);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return new Drivers(
                    brand,
                    outcome,
                    "not analysed",
                    "The driver analysis failed: " + e.getMessage(),
                    complete.size(),
                    questions,
                    null);
        }
    }

    /** The drivers of one outcome, or why there are none. */
    public record Drivers(
            String brand,
            String outcome,
            String status,
            String message,
            int respondents,
            List<String> questions,
            DriverAnalysis.Result analysis) {}

    static Double outcome(Answer a, String outcome) {
        Integer v = switch (outcome) {
            case "nps" -> a.nps;
            case "csat" -> a.csat;
            case "ces" -> a.ces;
            default ->
                throw new fusion.core.model.InvalidInput(
                        "outcome", "expected nps, csat or ces but was '" + outcome + "'");
        };
        return v == null ? null : v.doubleValue();
    }
}
