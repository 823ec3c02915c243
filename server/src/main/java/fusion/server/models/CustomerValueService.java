package fusion.server.models;

import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import fusion.models.btyd.BgNbd;
import fusion.models.btyd.CustomerBase;
import fusion.models.btyd.CustomerHistory;
import fusion.models.btyd.GammaGamma;
import fusion.models.btyd.Valuation;
import fusion.store.Interactions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Customer value from the store's purchases (docs/MODELS.md, "Live use").
 *
 * <p>A purchase is a scored interaction with purpose {@code PURCHASE} at one of our own brands
 * (competitors' sales are not our customers' value to us), its value {@code outcome().money()}.
 * As in the CDNOW conventions, a profile's purchases on one UTC day are one transaction, values
 * summed. Calibration runs from each profile's first purchase to the end of today (UTC, by the
 * clock); BG/NBD (Fader, Hardie &amp; Lee 2005) is fitted to (x, t_x, T) in weeks and gamma-gamma
 * to the mean repeat value of every repeat buyer.
 *
 * <p>Fitting reads every interaction, so the fit is cached: it is redone when older than
 * {@link #MAX_AGE} by the clock, on demand ({@link #refit}), and after an erasure (the store's
 * rebuild), so an erased person's purchases leave the model inputs at once. Purchases made since
 * the fit are not seen until the next one; every answer says when its fit was made.
 *
 * <p>Values: probability alive at the end of calibration; purchases expected over the next
 * {@link #PURCHASE_WEEKS} weeks (undiscounted); expected value per transaction (gamma-gamma, the
 * population mean for a customer without repeat purchases); and the discounted residual lifetime
 * value over {@link #LIFETIME_WEEKS} weeks at {@link #ANNUAL_DISCOUNT} a year, discounted weekly
 * as {@link Valuation} does. With fewer than {@link #MIN_REPEAT_BUYERS} repeat buyers nothing is
 * fitted and every answer says so instead of giving numbers.
 */
public final class CustomerValueService implements Interactions.Listener {
    /** Below this many customers with a repeat purchase of positive value, nothing is fitted. */
    public static final int MIN_REPEAT_BUYERS = 10;

    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    public static final int PURCHASE_WEEKS = 52;
    public static final int LIFETIME_WEEKS = 156;
    public static final double ANNUAL_DISCOUNT = 0.15;

    private final Interactions store;
    private final Clock clock;
    private volatile Snapshot current;

    private CustomerValueService(Interactions store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A service whose cache is dropped whenever the store rebuilds its state (an erasure). */
    public static CustomerValueService listening(Interactions store, Clock clock) {
        CustomerValueService s = new CustomerValueService(store, clock);
        store.listen(s);
        return s;
    }

    /** A service for one-off use (the command line): nothing invalidates its cache. */
    public static CustomerValueService once(Interactions store, Clock clock) {
        return new CustomerValueService(store, clock);
    }

    /**
     * The population fit.
     *
     * @param status         {@code fitted}, {@code too few repeat buyers} or {@code not fitted}
     * @param message        one sentence for people
     * @param fittedAt       when the fit was made
     * @param calibrationEnd last day (UTC) of the calibration period
     * @param customers      profiles with at least one purchase
     * @param repeatBuyers   of which with a repeat purchase of positive value (the spend fit's input)
     * @param transactions   purchase days summed over customers
     * @param purchases      BG/NBD parameters and log-likelihood, or null when not fitted
     * @param spend          gamma-gamma parameters and log-likelihood, or null when not fitted
     * @param valuation      horizons and discount rate of the values
     * @param fitMillis      time taken to read and fit
     */
    public record Fit(
            String status,
            String message,
            Instant fittedAt,
            LocalDate calibrationEnd,
            long customers,
            long repeatBuyers,
            long transactions,
            PurchaseModel purchases,
            SpendModel spend,
            Settings valuation,
            long fitMillis) {
        public boolean fitted() {
            return "fitted".equals(status);
        }
    }

    /** BG/NBD: purchase rates gamma(r, alpha) per week, drop-out beta(a, b) after each purchase. */
    public record PurchaseModel(String model, double r, double alpha, double a, double b, double logLikelihood) {}

    /** Gamma-gamma: mean value per transaction; {@code populationMeanValue} = p·gamma / (q − 1). */
    public record SpendModel(
            String model,
            double p,
            double q,
            double gamma,
            double logLikelihood,
            long customers,
            double populationMeanValue) {}

    public record Settings(
            int purchaseHorizonWeeks, int lifetimeHorizonWeeks, double annualDiscountRate, int minRepeatBuyers) {}

    /**
     * One person's value.
     *
     * @param status  {@code valued}, {@code no purchases} (not in the customer base) or the fit's
     *                status when the population could not be fitted
     * @param history the person's summary (null without purchases)
     * @param probabilityAlive P(still a customer at the end of calibration); null unless valued
     * @param expectedPurchases purchase days expected over the next 52 weeks
     * @param expectedAverageValue expected value per transaction
     * @param discountedValue52Weeks discounted value over 52 weeks
     * @param lifetimeValue discounted residual value over 156 weeks at 15% a year
     */
    public record ProfileValue(
            String profile,
            String status,
            String message,
            History history,
            Double probabilityAlive,
            Double expectedPurchases,
            Double expectedAverageValue,
            Double discountedValue52Weeks,
            Double lifetimeValue,
            Fit fit) {}

    /** x (repeat purchase days), t_x and T in weeks, and the mean repeat value (null when x = 0). */
    public record History(
            int transactions, int frequency, double recencyWeeks, double ageWeeks, Double averageRepeatValue) {}

    private record Snapshot(Fit fit, Map<String, CustomerHistory> histories, Valuation year, Valuation lifetime) {}

    /** The current fit, refitted first if it is older than {@link #MAX_AGE} or was dropped. */
    public Fit fit() {
        return snapshot().fit;
    }

    /** Refits now, telling {@code progress} what it is doing. */
    public Fit refit(PrintStream progress) {
        synchronized (this) {
            current = compute(progress);
            return current.fit;
        }
    }

    /** The value of {@code profile} (a canonical profile id) under the current fit. */
    public ProfileValue value(String profile) {
        Snapshot s = snapshot();
        CustomerHistory h = s.histories.get(profile);
        if (!s.fit.fitted()) {
            return new ProfileValue(
                    profile, s.fit.status, s.fit.message, history(h), null, null, null, null, null, s.fit);
        }
        if (h == null) {
            return new ProfileValue(
                    profile,
                    "no purchases",
                    "No purchase by this profile up to " + s.fit.calibrationEnd
                            + ": not part of the customer base the model describes.",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    s.fit);
        }
        Valuation.CustomerValue year;
        Valuation.CustomerValue life;
        try {
            year = s.year.value(h);
            life = s.lifetime.value(h);
        } catch (ArithmeticException | IllegalArgumentException | IllegalStateException e) {
            return new ProfileValue(
                    profile,
                    "not computable",
                    "The fitted model cannot value this history: " + e.getMessage(),
                    history(h),
                    null,
                    null,
                    null,
                    null,
                    null,
                    s.fit);
        }
        if (!sane(year.probabilityAlive(), 0, 1)
                || !sane(year.expectedPurchases(), 0, Double.MAX_VALUE)
                || !sane(year.lifetimeValue(), 0, Double.MAX_VALUE)
                || !sane(life.lifetimeValue(), 0, Double.MAX_VALUE)) {
            // never hand a decision a number the model cannot stand behind
            return new ProfileValue(
                    profile,
                    "not computable",
                    String.format(
                            java.util.Locale.ROOT,
                            "The fitted model gives no usable value for this history (P(alive) %s, lifetime value %s): "
                                    + "no values are given.",
                            year.probabilityAlive(),
                            life.lifetimeValue()),
                    history(h),
                    null,
                    null,
                    null,
                    null,
                    null,
                    s.fit);
        }
        return new ProfileValue(
                profile,
                "valued",
                String.format(
                        java.util.Locale.ROOT,
                        "P(alive) %.2f; %.2f purchases expected in %d weeks; lifetime value %.2f over %d weeks at %.0f%% a year.",
                        year.probabilityAlive(),
                        year.expectedPurchases(),
                        PURCHASE_WEEKS,
                        life.lifetimeValue(),
                        LIFETIME_WEEKS,
                        100 * ANNUAL_DISCOUNT),
                history(h),
                year.probabilityAlive(),
                year.expectedPurchases(),
                year.expectedAverageValue(),
                year.lifetimeValue(),
                life.lifetimeValue(),
                s.fit);
    }

    private Snapshot snapshot() {
        Snapshot s = current;
        if (s != null && !stale(s)) return s;
        synchronized (this) {
            s = current;
            if (s == null || stale(s)) {
                s = compute(new PrintStream(OutputStream.nullOutputStream()));
                current = s;
            }
            return s;
        }
    }

    private boolean stale(Snapshot s) {
        return Duration.between(s.fit.fittedAt, clock.instant()).abs().compareTo(MAX_AGE) > 0;
    }

    @Override
    public void committed(List<Interaction> interactions, boolean merged) {
        // new purchases wait for the next refit (at most MAX_AGE); merges too
    }

    @Override
    public void rebuilt() {
        current = null; // an erasure: the person's purchases must leave the model inputs now
    }

    private Snapshot compute(PrintStream progress) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        LocalDate end = LocalDate.ofInstant(now, ZoneOffset.UTC);
        progress.println("reading purchases up to " + end + " ...");
        List<CustomerBase.Purchase> purchases = purchases(store);
        List<CustomerHistory> histories = CustomerBase.summarise(purchases, end);
        Map<String, CustomerHistory> byId = new HashMap<>();
        long transactions = 0;
        for (CustomerHistory h : histories) {
            byId.put(h.id(), h);
            transactions += h.calibration().frequency() + 1L;
        }
        long repeat = histories.stream().filter(h -> h.spend().isPresent()).count();
        progress.printf(
                "%,d purchases by %,d customers (%,d repeat buyers) on %,d purchase days%n",
                purchases.size(), histories.size(), repeat, transactions);
        Settings settings = new Settings(PURCHASE_WEEKS, LIFETIME_WEEKS, ANNUAL_DISCOUNT, MIN_REPEAT_BUYERS);
        if (repeat < MIN_REPEAT_BUYERS) {
            String msg = "Too few repeat buyers to fit: " + repeat + " of " + histories.size()
                    + " customers bought on more than one day with a positive value; at least " + MIN_REPEAT_BUYERS
                    + " are needed. No values are given until there are.";
            return new Snapshot(
                    new Fit(
                            "too few repeat buyers",
                            msg,
                            now,
                            end,
                            histories.size(),
                            repeat,
                            transactions,
                            null,
                            null,
                            settings,
                            millis(started)),
                    byId,
                    null,
                    null);
        }
        try {
            progress.println("fitting BG/NBD to " + histories.size() + " customers and gamma-gamma to " + repeat
                    + " repeat buyers ...");
            CustomerBase base = CustomerBase.fit(histories, CustomerBase.Kind.BG_NBD);
            BgNbd m = (BgNbd) base.purchases().model();
            GammaGamma g = base.spend().model();
            PurchaseModel pm = new PurchaseModel(
                    "BG/NBD", m.r(), m.alpha(), m.a(), m.b(), base.purchases().logLikelihood());
            SpendModel sm = new SpendModel(
                    "gamma-gamma",
                    g.p(),
                    g.q(),
                    g.gamma(),
                    base.spend().logLikelihood(),
                    base.spend().customers(),
                    g.populationMeanValue());
            String edge = edgeOfRange(m, g);
            if (edge != null) {
                String msg = "The purchases do not identify the models: " + edge + ". This happens when purchase "
                        + "rates hardly differ between customers or the history is too short; no values are given.";
                return new Snapshot(
                        new Fit(
                                "not identified",
                                msg,
                                now,
                                end,
                                histories.size(),
                                repeat,
                                transactions,
                                pm,
                                sm,
                                settings,
                                millis(started)),
                        byId,
                        null,
                        null);
            }
            if (!Double.isFinite(g.populationMeanValue())) {
                String msg = String.format(
                        java.util.Locale.ROOT,
                        "The spend model has q = %.3f <= 1, so its mean "
                                + "value per transaction is infinite; no values are given.",
                        g.q());
                return new Snapshot(
                        new Fit(
                                "spend model undefined",
                                msg,
                                now,
                                end,
                                histories.size(),
                                repeat,
                                transactions,
                                null,
                                null,
                                settings,
                                millis(started)),
                        byId,
                        null,
                        null);
            }
            String msg = String.format(
                    java.util.Locale.ROOT,
                    "BG/NBD and gamma-gamma fitted to %d customers " + "(%d repeat buyers) up to %s.",
                    histories.size(),
                    repeat,
                    end);
            Fit fit = new Fit(
                    "fitted", msg, now, end, histories.size(), repeat, transactions, pm, sm, settings, millis(started));
            progress.printf("fitted in %,d ms%n", fit.fitMillis());
            return new Snapshot(
                    fit,
                    byId,
                    base.valuation(PURCHASE_WEEKS, ANNUAL_DISCOUNT),
                    base.valuation(LIFETIME_WEEKS, ANNUAL_DISCOUNT));
        } catch (IllegalArgumentException
                | ArithmeticException
                | org.apache.commons.math3.exception.MathIllegalStateException e) {
            // e.g. the optimiser running out of evaluations while a parameter runs off to infinity
            return new Snapshot(
                    new Fit(
                            "not fitted",
                            "The fit failed: " + e.getMessage(),
                            now,
                            end,
                            histories.size(),
                            repeat,
                            transactions,
                            null,
                            null,
                            settings,
                            millis(started)),
                    byId,
                    null,
                    null);
        }
    }

    /**
     * Parameters beyond these are the optimiser running off to a boundary where the formulas lose
     * all precision (a demo history gave b = 8e12 and a negative lifetime value). Large values
     * short of these are legitimate limits (r and alpha large together: no spread in purchase
     * rates; a small: nobody drops out) and are kept; each value computed from them is still
     * checked before it is given.
     */
    private static final double EDGE_LOW = 1e-10;

    private static final double EDGE_HIGH = 1e12;

    /** Which fitted parameter ran to the edge of its range, or null when all are inside it. */
    static String edgeOfRange(BgNbd m, GammaGamma g) {
        double[] values = {m.r(), m.alpha(), m.a(), m.b(), g.p(), g.q(), g.gamma()};
        String[] names = {
            "BG/NBD r", "BG/NBD alpha", "BG/NBD a", "BG/NBD b", "gamma-gamma p", "gamma-gamma q", "gamma-gamma gamma"
        };
        for (int i = 0; i < values.length; i++) {
            // a -> 0 is the legitimate limit "nobody drops out" (P(alive) -> 1), not a breakdown
            boolean tooLow = values[i] < EDGE_LOW && !names[i].equals("BG/NBD a");
            if (!Double.isFinite(values[i]) || tooLow || values[i] > EDGE_HIGH) {
                return String.format(
                        java.util.Locale.ROOT, "%s = %.3g ran to the edge of its range", names[i], values[i]);
            }
        }
        return null;
    }

    private static boolean sane(double v, double low, double high) {
        return Double.isFinite(v) && v >= low && v <= high;
    }

    /** Every purchase at our own brands, in log order, attributed to the profile it belongs to now. */
    static List<CustomerBase.Purchase> purchases(Interactions store) {
        List<CustomerBase.Purchase> out = new ArrayList<>();
        store.forEachInteraction(i -> {
            if (i.purpose() == Purpose.PURCHASE && !i.brand().competitor()) {
                out.add(new CustomerBase.Purchase(
                        i.party(),
                        LocalDate.ofInstant(i.time(), ZoneOffset.UTC),
                        i.outcome().money()));
            }
        });
        return out;
    }

    private static History history(CustomerHistory h) {
        if (h == null) return null;
        var c = h.calibration();
        return new History(
                c.frequency() + 1,
                c.frequency(),
                c.recency(),
                c.age(),
                Double.isNaN(h.averageRepeatValue()) ? null : h.averageRepeatValue());
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** For tests: whether a snapshot is cached. */
    boolean cached() {
        return current != null;
    }

    /** The cached fit without refitting, if any. */
    public Optional<Fit> cachedFit() {
        Snapshot s = current;
        return s == null ? Optional.empty() : Optional.of(s.fit);
    }
}
