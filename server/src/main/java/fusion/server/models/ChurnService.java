package fusion.server.models;

import fusion.core.model.Initiator;
import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import fusion.models.churn.ChurnEvaluation;
import fusion.models.churn.ChurnModel;
import fusion.models.churn.StratifiedSplit;
import fusion.store.Interactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Churn risk from the store's own history (docs/MODELS-CAUSAL.md, "Churn risk in live use").
 *
 * <p><b>Lapse.</b> A customer of a brand is <em>active</em> at an instant when they started a
 * scored interaction with the brand in the {@link #ACTIVE_DAYS} days before it (brand-started
 * contacts such as a delivery or a campaign do not count), and has <em>lapsed</em> by {@link
 * #LAPSE_DAYS} days later when they started none with the brand in between. Per own brand,
 * the model learns from the customers active at the cutoff {@code now − LAPSE_DAYS}, with features
 * from their history up to the cutoff and the label from the {@code LAPSE_DAYS} after it; it is an
 * L2 logistic regression ({@link ChurnModel}, λ = 1) fitted on a seeded stratified 70 % and scored
 * on the held-out 30 % (AUC). A profile's risk is the same model applied to its history up to now:
 * the probability that it lapses in the next {@code LAPSE_DAYS} days.
 *
 * <p>A brand gets no risks, with a status saying why, when fewer than {@link #MIN_CUSTOMERS}
 * customers were active at the cutoff, fewer than {@link #MIN_CLASS} of them lapsed or stayed, or
 * the held-out AUC is below {@link #MIN_AUC} (no better than guessing, so not served).
 *
 * <p>The fits are cached like the customer-value ones: redone after {@link #MAX_AGE}, on demand,
 * and after an erasure.
 */
public final class ChurnService implements Interactions.Listener {
    public static final int LAPSE_DAYS = 30, ACTIVE_DAYS = 90;
    public static final int MIN_CUSTOMERS = 50, MIN_CLASS = 10;
    public static final double MIN_AUC = 0.6, LAMBDA = 1.0, TEST_SHARE = 0.3;
    public static final long SEED = 20261206L;
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** How many reasons a profile's risk carries at most. */
    public static final int REASONS = 3;

    /** The features, in vector order, with how a person reads each. */
    static final List<String> FEATURES = List.of(
            "daysSinceLastInteraction",
            "interactions90Days",
            "purchases",
            "money",
            "complaints90Days",
            "serviceContacts90Days",
            "tenureDays");

    private static final Map<String, String> WORDS = Map.of(
            "daysSinceLastInteraction", "days since the last interaction",
            "interactions90Days", "interactions in the last 90 days",
            "purchases", "purchases",
            "money", "money spent",
            "complaints90Days", "complaints in the last 90 days",
            "serviceContacts90Days", "service contacts in the last 90 days",
            "tenureDays", "days since the first interaction");

    private final Interactions store;
    private final Clock clock;
    private volatile Snapshot current;

    private ChurnService(Interactions store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A service whose cache is dropped whenever the store rebuilds its state (an erasure). */
    public static ChurnService listening(Interactions store, Clock clock) {
        ChurnService s = new ChurnService(store, clock);
        store.listen(s);
        return s;
    }

    /**
     * One brand's churn model.
     *
     * @param status {@code fitted}, {@code too few customers}, {@code too few lapses} or {@code no skill}
     * @param message one sentence: what was fitted, or why no risks are given
     * @param cutoff the instant the training features are taken at; labels come from the 30 days after it
     * @param customers customers active at the cutoff (the training population)
     * @param lapsed of which lapsed within 30 days
     * @param heldOutAuc AUC on the held-out 30 %; null when not fitted
     * @param heldOut customers held out
     * @param coefficients log-odds per standard deviation of each feature; empty unless fitted
     */
    public record Fit(
            String brand,
            String status,
            String message,
            Instant fittedAt,
            Instant cutoff,
            int lapseDays,
            long customers,
            long lapsed,
            Double heldOutAuc,
            Long heldOut,
            Map<String, Double> coefficients) {
        public boolean fitted() {
            return "fitted".equals(status);
        }
    }

    /** Every own brand's churn fit. */
    public record Fits(Instant fittedAt, int lapseDays, int activeDays, List<Fit> brands) {}

    /** One feature's part in a risk: its value and how much it raised the log-odds above average. */
    public record Reason(String feature, double value, double contribution, String text) {}

    /**
     * One person's churn risk at one brand.
     *
     * @param status {@code scored}, {@code not active} (no interaction in 90 days: already lapsed),
     *     {@code no history} or the brand fit's status
     * @param risk probability of lapsing within 30 days; null unless scored
     * @param reasons the features that raise the risk most, largest first
     */
    public record Risk(
            String profile,
            String brand,
            String status,
            String message,
            Double risk,
            List<Reason> reasons,
            Double heldOutAuc,
            Instant fittedAt) {}

    /** A brand's active customers ranked by risk. */
    public record BrandRisks(Fit fit, long active, List<Risk> customers) {}

    /** One party's interactions with one brand, oldest first. */
    private record Event(long time, Purpose purpose, double money) {}

    private record BrandSnapshot(Fit fit, ChurnModel model, Map<String, List<Event>> histories) {}

    private record Snapshot(Fits fits, Map<String, BrandSnapshot> brands) {}

    public Fits fits() {
        return snapshot().fits;
    }

    /** Refits now. */
    public synchronized Fits refit() {
        current = compute();
        return current.fits;
    }

    /** The risk of {@code profile} at every own brand they are known to. */
    public List<Risk> risks(String profile) {
        Snapshot s = snapshot();
        List<Risk> out = new ArrayList<>();
        for (var e : s.brands.entrySet()) {
            if (e.getValue().histories.containsKey(profile)) out.add(risk(s, e.getValue(), profile));
        }
        return out;
    }

    /** The risk of {@code profile} at {@code brand}. */
    public Risk risk(String profile, String brand) {
        Snapshot s = snapshot();
        BrandSnapshot b = s.brands.get(brand);
        if (b == null) {
            return new Risk(
                    profile,
                    brand,
                    "no history",
                    "Nobody has interacted with " + brand + ": there is no churn model for it.",
                    null,
                    List.of(),
                    null,
                    s.fits.fittedAt);
        }
        return risk(s, b, profile);
    }

    /** The brand's customers active now, most at risk first, at most {@code limit}. */
    public Optional<BrandRisks> brand(String brand, int limit) {
        return brand(brand, limit, party -> true);
    }

    /** The brand's active customers among {@code parties} (an audience's members), most at risk first. */
    public Optional<BrandRisks> brand(String brand, int limit, java.util.function.Predicate<String> parties) {
        Snapshot s = snapshot();
        BrandSnapshot b = s.brands.get(brand);
        if (b == null) return Optional.empty();
        long now = s.fits.fittedAt.toEpochMilli();
        List<Risk> all = new ArrayList<>();
        for (var e : b.histories.entrySet()) {
            if (parties.test(e.getKey()) && active(e.getValue(), now)) all.add(risk(s, b, e.getKey()));
        }
        all.sort(Comparator.comparing((Risk r) -> r.risk == null ? -1 : r.risk)
                .reversed()
                .thenComparing(Risk::profile));
        return Optional.of(new BrandRisks(b.fit, all.size(), all.subList(0, Math.min(limit, all.size()))));
    }

    private static Risk risk(Snapshot s, BrandSnapshot b, String profile) {
        List<Event> h = b.histories.get(profile);
        Instant at = s.fits.fittedAt;
        if (h == null || h.isEmpty()) {
            return new Risk(
                    profile,
                    b.fit.brand,
                    "no history",
                    "No interaction with " + b.fit.brand + " by this profile.",
                    null,
                    List.of(),
                    null,
                    at);
        }
        if (!b.fit.fitted()) {
            return new Risk(profile, b.fit.brand, b.fit.status, b.fit.message, null, List.of(), null, at);
        }
        long now = at.toEpochMilli();
        if (!active(h, now)) {
            return new Risk(
                    profile,
                    b.fit.brand,
                    "not active",
                    "No interaction with " + b.fit.brand + " in the last " + ACTIVE_DAYS
                            + " days: already lapsed, so there is no risk left to predict.",
                    null,
                    List.of(),
                    b.fit.heldOutAuc,
                    at);
        }
        double[] x = features(h, now);
        double p = b.model.probability(x);
        List<Reason> reasons = reasons(b.model, x);
        String why = reasons.isEmpty()
                ? "no feature raises it above the average customer's"
                : "mostly "
                        + String.join("; ", reasons.stream().map(Reason::text).toList());
        return new Risk(
                profile,
                b.fit.brand,
                "scored",
                String.format(
                        Locale.ROOT,
                        "%.0f%% chance of no interaction with %s in the next %d days: %s (held-out AUC %.2f).",
                        100 * p,
                        b.fit.brand,
                        LAPSE_DAYS,
                        why,
                        b.fit.heldOutAuc),
                p,
                reasons,
                b.fit.heldOutAuc,
                at);
    }

    /**
     * The features whose value pushes this person's log-odds above the average customer's:
     * coefficient times standardised value, positive ones only, largest first.
     */
    static List<Reason> reasons(ChurnModel model, double[] x) {
        double[] means = model.means(), scales = model.scales(), b = model.coefficients();
        List<Reason> out = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
            double c = b[j + 1] * (x[j] - means[j]) / scales[j];
            if (c > 0.05) {
                String f = model.features().get(j);
                out.add(new Reason(
                        f,
                        x[j],
                        c,
                        String.format(
                                Locale.ROOT,
                                "%s %s (average %s; +%.2f on the log-odds)",
                                WORDS.get(f),
                                amount(f, x[j]),
                                amount(f, means[j]),
                                c)));
            }
        }
        out.sort(Comparator.comparingDouble(Reason::contribution).reversed());
        return List.copyOf(out.subList(0, Math.min(REASONS, out.size())));
    }

    private static String amount(String feature, double v) {
        return feature.equals("money") ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.0f", v);
    }

    private static boolean active(List<Event> h, long at) {
        Event last = null;
        for (Event e : h) {
            if (e.time <= at) last = e;
        }
        return last != null && at - last.time <= Duration.ofDays(ACTIVE_DAYS).toMillis();
    }

    /** The features of a history as of {@code at}, from the events up to it. */
    private static double[] features(List<Event> h, long at) {
        long day = Duration.ofDays(1).toMillis();
        long window = at - ACTIVE_DAYS * day;
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        double recent = 0, purchases = 0, money = 0, complaints = 0, service = 0;
        for (Event e : h) {
            if (e.time > at) continue;
            first = Math.min(first, e.time);
            last = Math.max(last, e.time);
            if (e.purpose == Purpose.PURCHASE) {
                purchases++;
                money += e.money;
            }
            if (e.time > window) {
                recent++;
                if (e.purpose == Purpose.COMPLAINT) complaints++;
                if (e.purpose == Purpose.SERVICE) service++;
            }
        }
        return new double[] {
            (at - last) / (double) day, recent, purchases, money, complaints, service, (at - first) / (double) day
        };
    }

    private Snapshot snapshot() {
        Snapshot s = current;
        if (s != null
                && Duration.between(s.fits.fittedAt, clock.instant()).abs().compareTo(MAX_AGE) <= 0) return s;
        synchronized (this) {
            s = current;
            if (s == null
                    || Duration.between(s.fits.fittedAt, clock.instant()).abs().compareTo(MAX_AGE) > 0) {
                s = compute();
                current = s;
            }
            return s;
        }
    }

    @Override
    public void committed(List<Interaction> interactions, boolean merged) {
        // new interactions wait for the next refit (at most MAX_AGE)
    }

    @Override
    public void rebuilt() {
        current = null; // an erasure: the person's history must leave the model inputs now
    }

    private Snapshot compute() {
        Instant now = clock.instant();
        Map<String, Map<String, List<Event>>> byBrand = new TreeMap<>();
        store.forEachInteraction(i -> {
            if (i.brand().competitor() || i.initiator() != Initiator.CONSUMER) return; // the customer's own moves
            byBrand.computeIfAbsent(i.brand().id(), k -> new HashMap<>())
                    .computeIfAbsent(i.party(), k -> new ArrayList<>())
                    .add(new Event(
                            i.time().toEpochMilli(), i.purpose(), i.outcome().money()));
        });
        Map<String, BrandSnapshot> brands = new TreeMap<>();
        for (var e : byBrand.entrySet()) {
            e.getValue().values().forEach(h -> h.sort(Comparator.comparingLong(Event::time)));
            brands.put(e.getKey(), fit(e.getKey(), e.getValue(), now));
        }
        return new Snapshot(
                new Fits(
                        now,
                        LAPSE_DAYS,
                        ACTIVE_DAYS,
                        brands.values().stream().map(BrandSnapshot::fit).toList()),
                brands);
    }

    private static BrandSnapshot fit(String brand, Map<String, List<Event>> histories, Instant now) {
        Instant cutoff = now.minus(Duration.ofDays(LAPSE_DAYS));
        long c = cutoff.toEpochMilli();
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (List<Event> h : new TreeMap<>(histories).values()) {
            if (!active(h, c)) continue;
            x.add(features(h, c));
            boolean returned = h.stream().anyMatch(e -> e.time > c && e.time <= now.toEpochMilli());
            y.add(returned ? 0 : 1);
        }
        long lapsed = y.stream().filter(v -> v == 1).count();
        long n = x.size();
        if (n < MIN_CUSTOMERS) {
            return refused(
                    brand,
                    "too few customers",
                    String.format(
                            Locale.ROOT,
                            "Too few customers of %s to learn lapses from: %d were active in the %d days before %s; "
                                    + "at least %d are needed. No risks are given.",
                            brand,
                            n,
                            ACTIVE_DAYS,
                            cutoff,
                            MIN_CUSTOMERS),
                    now,
                    cutoff,
                    n,
                    lapsed,
                    histories);
        }
        if (lapsed < MIN_CLASS || n - lapsed < MIN_CLASS) {
            return refused(
                    brand,
                    "too few lapses",
                    String.format(
                            Locale.ROOT,
                            "Of %d customers of %s active before %s, %d lapsed within %d days and %d stayed; at least "
                                    + "%d of each are needed to tell them apart. No risks are given.",
                            n,
                            brand,
                            cutoff,
                            lapsed,
                            LAPSE_DAYS,
                            n - lapsed,
                            MIN_CLASS),
                    now,
                    cutoff,
                    n,
                    lapsed,
                    histories);
        }
        int[] labels = y.stream().mapToInt(Integer::intValue).toArray();
        StratifiedSplit split = StratifiedSplit.of(labels, TEST_SHARE, SEED);
        ChurnModel model = ChurnModel.fit(
                StratifiedSplit.pick(x, split.train()), StratifiedSplit.pick(labels, split.train()), FEATURES, LAMBDA);
        double[] scores = model.probabilities(StratifiedSplit.pick(x, split.test()));
        double auc = ChurnEvaluation.auc(scores, StratifiedSplit.pick(labels, split.test()));
        Map<String, Double> coefficients = new java.util.LinkedHashMap<>();
        for (String f : FEATURES) coefficients.put(f, model.standardisedCoefficient(f));
        if (!(auc >= MIN_AUC)) {
            return new BrandSnapshot(
                    new Fit(
                            brand,
                            "no skill",
                            String.format(
                                    Locale.ROOT,
                                    "The churn model for %s tells lapsers from stayers no better than chance on held-out "
                                            + "customers (AUC %.2f, needs %.2f or more). No risks are given.",
                                    brand,
                                    auc,
                                    MIN_AUC),
                            now,
                            cutoff,
                            LAPSE_DAYS,
                            n,
                            lapsed,
                            auc,
                            (long) split.test().length,
                            Map.of()),
                    null,
                    histories);
        }
        return new BrandSnapshot(
                new Fit(
                        brand,
                        "fitted",
                        String.format(
                                Locale.ROOT,
                                "Trained on %d customers of %s active before %s, %d of whom lapsed within %d days; "
                                        + "held-out AUC %.2f on %d customers.",
                                n,
                                brand,
                                cutoff,
                                lapsed,
                                LAPSE_DAYS,
                                auc,
                                split.test().length),
                        now,
                        cutoff,
                        LAPSE_DAYS,
                        n,
                        lapsed,
                        auc,
                        (long) split.test().length,
                        coefficients),
                model,
                histories);
    }

    private static BrandSnapshot refused(
            String brand,
            String status,
            String message,
            Instant now,
            Instant cutoff,
            long n,
            long lapsed,
            Map<String, List<Event>> histories) {
        return new BrandSnapshot(
                new Fit(brand, status, message, now, cutoff, LAPSE_DAYS, n, lapsed, null, null, Map.of()),
                null,
                histories);
    }
}
