package fusion.server.models;

import fusion.core.model.Interaction;
import fusion.core.model.Purpose;
import fusion.models.btyd.BgNbd;
import fusion.models.btyd.CustomerBase;
import fusion.models.btyd.CustomerHistory;
import fusion.models.btyd.GammaGamma;
import fusion.models.btyd.Identification;
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
import java.util.TreeMap;

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
     * One brand's fit.
     *
     * @param brand          the brand whose purchases were fitted
     * @param status         {@code fitted}, {@code too few repeat buyers}, {@code not identified},
     *                       {@code spend model undefined} or {@code not fitted}
     * @param message        one sentence for people: what was fitted, or why nothing is given
     * @param fittedAt       when the fit was made
     * @param calibrationEnd last day (UTC) of the calibration period
     * @param customers      profiles with at least one purchase at the brand
     * @param repeatBuyers   of which with a repeat purchase of positive value (the spend fit's input)
     * @param transactions   purchase days summed over customers
     * @param purchases      BG/NBD parameters and log-likelihood; null unless {@code fitted}
     * @param spend          gamma-gamma parameters and log-likelihood; null unless {@code fitted}
     * @param valuation      horizons and discount rate of the values
     * @param fitMillis      time taken to fit this brand
     */
    public record Fit(
            String brand,
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
            return FITTED.equals(status);
        }
    }

    /**
     * Every brand's fit, made together from one reading of the store.
     *
     * @param status         {@code fitted} (every brand), {@code partly fitted}, {@code not fitted}
     *                       (no brand) or {@code no purchases} (nobody has bought at our brands)
     * @param message        one sentence naming the brands fitted and not
     * @param brands         each own brand with a purchase, in id order
     */
    public record Fits(
            String status,
            String message,
            Instant fittedAt,
            LocalDate calibrationEnd,
            long purchases,
            List<Fit> brands,
            long fitMillis) {
        /** The brand's fit, if anyone bought there. */
        public Optional<Fit> brand(String id) {
            return brands.stream().filter(f -> f.brand.equals(id)).findFirst();
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
     * One person's value at one brand.
     *
     * @param status  {@code valued}, {@code no purchases} (not in the brand's customer base), {@code
     *                not computable}, or the brand fit's status when it gives no values
     * @param message one sentence: the values in words, or why there are none
     * @param history the person's summary at the brand (null without purchases there)
     * @param probabilityAlive P(still a customer at the end of calibration); null unless valued
     * @param expectedPurchases purchase days expected over the next 52 weeks
     * @param expectedAverageValue expected value per transaction
     * @param discountedValue52Weeks discounted value over 52 weeks
     * @param lifetimeValue discounted residual value over 156 weeks at 15% a year
     * @param fit the brand's fit (null when nobody bought at the brand)
     */
    public record BrandValue(
            String profile,
            String brand,
            String status,
            String message,
            History history,
            Double probabilityAlive,
            Double expectedPurchases,
            Double expectedAverageValue,
            Double discountedValue52Weeks,
            Double lifetimeValue,
            Fit fit) {
        public boolean valued() {
            return VALUED.equals(status);
        }
    }

    /**
     * One person's value across our brands: a fit per brand, so a value per brand they bought at.
     *
     * @param status {@code valued} (at every brand they bought at), {@code partly valued}, {@code
     *     not valued} or {@code no purchases}
     * @param message one sentence
     * @param probabilityAlive the highest P(alive) over their brands: the chance they are still a
     *     customer of the brand where it is likeliest (a lower bound on being a customer of any);
     *     null unless valued at every brand
     * @param expectedPurchases summed over their brands; null unless valued at every brand
     * @param discountedValue52Weeks summed over their brands; null unless valued at every brand
     * @param lifetimeValue summed over their brands; null unless valued at every brand
     * @param brands the value at each brand they bought at
     */
    public record ProfileValue(
            String profile,
            String status,
            String message,
            Double probabilityAlive,
            Double expectedPurchases,
            Double discountedValue52Weeks,
            Double lifetimeValue,
            Instant fittedAt,
            List<BrandValue> brands) {}

    /** x (repeat purchase days), t_x and T in weeks, and the mean repeat value (null when x = 0). */
    public record History(
            int transactions, int frequency, double recencyWeeks, double ageWeeks, Double averageRepeatValue) {}

    static final String FITTED = "fitted", VALUED = "valued", NO_PURCHASES = "no purchases";

    /** One brand's fit with what valuing needs; the valuations are null unless the fit is used. */
    private record BrandSnapshot(Fit fit, Map<String, CustomerHistory> histories, Valuation year, Valuation lifetime) {}

    private record Snapshot(Fits fits, Map<String, BrandSnapshot> brands) {}

    /** Every brand's fit, refitted first if older than {@link #MAX_AGE} or dropped. */
    public Fits fit() {
        return snapshot().fits;
    }

    /**
     * The fit over the purchases of {@code parties} only (an audience's members): the same models
     * fitted from scratch to that customer base, as if the store held nobody else. Not cached: the
     * membership changes with every event.
     */
    public Fits fit(java.util.function.Predicate<String> parties) {
        return compute(new PrintStream(OutputStream.nullOutputStream()), parties).fits;
    }

    /** Refits every brand now, telling {@code progress} what it is doing. */
    public Fits refit(PrintStream progress) {
        synchronized (this) {
            current = compute(progress);
            return current.fits;
        }
    }

    /** The value of {@code profile} (a canonical profile id) at every brand they bought at. */
    public ProfileValue value(String profile) {
        Snapshot s = snapshot();
        List<BrandValue> brands = new ArrayList<>();
        for (var e : s.brands.entrySet()) {
            if (e.getValue().histories.containsKey(profile)) brands.add(value(s, profile, e.getKey()));
        }
        Instant at = s.fits.fittedAt;
        if (brands.isEmpty()) {
            return new ProfileValue(
                    profile,
                    NO_PURCHASES,
                    "No purchase by this profile at our brands up to " + s.fits.calibrationEnd
                            + ": not part of any customer base the model describes.",
                    null,
                    null,
                    null,
                    null,
                    at,
                    List.of());
        }
        List<BrandValue> valued = brands.stream().filter(BrandValue::valued).toList();
        if (valued.size() < brands.size()) {
            List<String> not = brands.stream()
                    .filter(b -> !b.valued())
                    .map(b -> b.brand + " (" + b.status + ")")
                    .toList();
            String msg = valued.isEmpty()
                    ? "No value at " + String.join(", ", not) + "; each brand below says why."
                    : "Valued at "
                            + String.join(
                                    ", ", valued.stream().map(BrandValue::brand).toList())
                            + " but not at " + String.join(", ", not)
                            + ", so there is no total; each brand below says why.";
            return new ProfileValue(
                    profile,
                    valued.isEmpty() ? "not valued" : "partly valued",
                    msg,
                    null,
                    null,
                    null,
                    null,
                    at,
                    brands);
        }
        double alive = 0, purchases = 0, year = 0, life = 0;
        for (BrandValue b : brands) {
            alive = Math.max(alive, b.probabilityAlive);
            purchases += b.expectedPurchases;
            year += b.discountedValue52Weeks;
            life += b.lifetimeValue;
        }
        String msg = brands.size() == 1
                ? brands.get(0).message
                : String.format(
                        java.util.Locale.ROOT,
                        "Over %d brands: %.2f purchases expected in %d weeks; lifetime value %.2f; P(alive) up to %.2f.",
                        brands.size(),
                        purchases,
                        PURCHASE_WEEKS,
                        life,
                        alive);
        return new ProfileValue(profile, VALUED, msg, alive, purchases, year, life, at, brands);
    }

    /** The value of {@code profile} (a canonical profile id) at {@code brand}. */
    public BrandValue value(String profile, String brand) {
        return value(snapshot(), profile, brand);
    }

    private static BrandValue value(Snapshot s, String profile, String brand) {
        BrandSnapshot b = s.brands.get(brand);
        if (b == null) {
            return refused(
                    profile,
                    brand,
                    NO_PURCHASES,
                    "Nobody bought at " + brand + " up to " + s.fits.calibrationEnd + ": there is no model for it.",
                    null,
                    null);
        }
        CustomerHistory h = b.histories.get(profile);
        if (!b.fit.fitted()) return refused(profile, brand, b.fit.status, b.fit.message, history(h), b.fit);
        if (h == null) {
            return refused(
                    profile,
                    brand,
                    NO_PURCHASES,
                    "No purchase by this profile at " + brand + " up to " + b.fit.calibrationEnd
                            + ": not part of the customer base the model describes.",
                    null,
                    b.fit);
        }
        Valuation.CustomerValue year;
        Valuation.CustomerValue life;
        try {
            year = b.year.value(h);
            life = b.lifetime.value(h);
        } catch (ArithmeticException | IllegalArgumentException | IllegalStateException e) {
            return refused(
                    profile,
                    brand,
                    "not computable",
                    "The fitted model cannot value this history: " + e.getMessage(),
                    history(h),
                    b.fit);
        }
        if (!sane(year.probabilityAlive(), 0, 1)
                || !sane(year.expectedPurchases(), 0, Double.MAX_VALUE)
                || !sane(year.lifetimeValue(), 0, Double.MAX_VALUE)
                || !sane(life.lifetimeValue(), 0, Double.MAX_VALUE)) {
            // never hand a decision a number the model cannot stand behind
            return refused(
                    profile,
                    brand,
                    "not computable",
                    String.format(
                            java.util.Locale.ROOT,
                            "The fitted model gives no usable value for this history (P(alive) %s, lifetime value %s).",
                            year.probabilityAlive(),
                            life.lifetimeValue()),
                    history(h),
                    b.fit);
        }
        return new BrandValue(
                profile,
                brand,
                VALUED,
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
                b.fit);
    }

    private static BrandValue refused(
            String profile, String brand, String status, String message, History history, Fit fit) {
        return new BrandValue(profile, brand, status, message, history, null, null, null, null, null, fit);
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
        return Duration.between(s.fits.fittedAt, clock.instant()).abs().compareTo(MAX_AGE) > 0;
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
        return compute(progress, party -> true);
    }

    private Snapshot compute(PrintStream progress, java.util.function.Predicate<String> parties) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        LocalDate end = LocalDate.ofInstant(now, ZoneOffset.UTC);
        progress.println("reading purchases up to " + end + " ...");
        Map<String, List<CustomerBase.Purchase>> byBrand = purchases(store, parties);
        long count = byBrand.values().stream().mapToLong(List::size).sum();
        Map<String, BrandSnapshot> brands = new TreeMap<>();
        for (var e : byBrand.entrySet()) {
            brands.put(e.getKey(), fitBrand(e.getKey(), e.getValue(), now, end, progress));
        }
        List<Fit> fits = brands.values().stream().map(BrandSnapshot::fit).toList();
        List<String> fitted = fits.stream().filter(Fit::fitted).map(Fit::brand).toList();
        List<String> not = fits.stream()
                .filter(f -> !f.fitted())
                .map(f -> f.brand + " (" + f.status + ")")
                .toList();
        String status;
        String message;
        if (fits.isEmpty()) {
            status = NO_PURCHASES;
            message = "Nobody has bought at our brands up to " + end + ": there is nothing to fit.";
        } else if (not.isEmpty()) {
            status = FITTED;
            message = "Fitted for " + String.join(", ", fitted) + ".";
        } else if (fitted.isEmpty()) {
            status = "not fitted";
            message = "No brand could be fitted: " + String.join(", ", not) + ".";
        } else {
            status = "partly fitted";
            message = "Fitted for " + String.join(", ", fitted) + "; not for " + String.join(", ", not) + ".";
        }
        Fits all = new Fits(status, message, now, end, count, fits, millis(started));
        progress.printf("%s (%,d ms)%n", message, all.fitMillis());
        return new Snapshot(all, brands);
    }

    /**
     * Fits one brand, or says why it gives no values: too few repeat buyers, a failed fit, a fit
     * the data do not identify ({@link Identification}), or a spend model with an infinite mean.
     * Every refusal is built here, in one place, with the parameters left out.
     */
    private BrandSnapshot fitBrand(
            String brand, List<CustomerBase.Purchase> purchases, Instant now, LocalDate end, PrintStream progress) {
        long started = System.nanoTime();
        List<CustomerHistory> histories = CustomerBase.summarise(purchases, end);
        Map<String, CustomerHistory> byId = new HashMap<>();
        long transactions = 0;
        for (CustomerHistory h : histories) {
            byId.put(h.id(), h);
            transactions += h.calibration().frequency() + 1L;
        }
        long repeat = histories.stream().filter(h -> h.spend().isPresent()).count();
        progress.printf(
                "%s: %,d purchases by %,d customers (%,d repeat buyers) on %,d purchase days%n",
                brand, purchases.size(), histories.size(), repeat, transactions);
        Settings settings = new Settings(PURCHASE_WEEKS, LIFETIME_WEEKS, ANNUAL_DISCOUNT, MIN_REPEAT_BUYERS);
        long customers = histories.size();
        long days = transactions;
        java.util.function.BiFunction<String, String, BrandSnapshot> refuse = (status, message) -> new BrandSnapshot(
                new Fit(
                        brand,
                        status,
                        message,
                        now,
                        end,
                        customers,
                        repeat,
                        days,
                        null,
                        null,
                        settings,
                        millis(started)),
                byId,
                null,
                null);
        if (repeat < MIN_REPEAT_BUYERS) {
            return refuse.apply(
                    "too few repeat buyers",
                    "Too few repeat buyers at " + brand + " to fit: " + repeat + " of " + histories.size()
                            + " customers bought on more than one day with a positive value; at least "
                            + MIN_REPEAT_BUYERS + " are needed. No values are given until there are.");
        }
        CustomerBase base;
        try {
            base = CustomerBase.fit(histories, CustomerBase.Kind.BG_NBD);
        } catch (IllegalArgumentException
                | ArithmeticException
                | org.apache.commons.math3.exception.MathIllegalStateException e) {
            return refuse.apply("not fitted", "The fit for " + brand + " failed: " + e.getMessage() + ".");
        }
        Identification id = Identification.of(base, histories);
        if (!id.identified()) {
            return refuse.apply(
                    "not identified",
                    "The purchases at " + brand + " do not identify the model: " + id.reason()
                            + ". No values are given.");
        }
        BgNbd m = (BgNbd) base.purchases().model();
        GammaGamma g = base.spend().model();
        if (!Double.isFinite(g.populationMeanValue())) {
            return refuse.apply(
                    "spend model undefined",
                    String.format(
                            java.util.Locale.ROOT,
                            "The spend model for %s has q = %.3f <= 1, so its mean value per transaction is "
                                    + "infinite; no values are given.",
                            brand,
                            g.q()));
        }
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
        String msg = String.format(
                java.util.Locale.ROOT,
                "BG/NBD and gamma-gamma fitted to %d customers of %s (%d repeat buyers) up to %s; %s.",
                histories.size(),
                brand,
                repeat,
                end,
                id.reason());
        Fit fit = new Fit(
                brand,
                FITTED,
                msg,
                now,
                end,
                histories.size(),
                repeat,
                transactions,
                pm,
                sm,
                settings,
                millis(started));
        return new BrandSnapshot(
                fit,
                byId,
                base.valuation(PURCHASE_WEEKS, ANNUAL_DISCOUNT),
                base.valuation(LIFETIME_WEEKS, ANNUAL_DISCOUNT));
    }

    private static boolean sane(double v, double low, double high) {
        return Double.isFinite(v) && v >= low && v <= high;
    }

    /**
     * Every purchase at our own brands, by brand, in log order, attributed to the profile it
     * belongs to now.
     */
    static Map<String, List<CustomerBase.Purchase>> purchases(Interactions store) {
        return purchases(store, party -> true);
    }

    private static Map<String, List<CustomerBase.Purchase>> purchases(
            Interactions store, java.util.function.Predicate<String> parties) {
        Map<String, List<CustomerBase.Purchase>> out = new TreeMap<>();
        store.forEachInteraction(i -> {
            if (i.purpose() == Purpose.PURCHASE && !i.brand().competitor() && parties.test(i.party())) {
                out.computeIfAbsent(i.brand().id(), k -> new ArrayList<>())
                        .add(new CustomerBase.Purchase(
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

    /** The cached fits without refitting, if any. */
    public Optional<Fits> cachedFit() {
        Snapshot s = current;
        return s == null ? Optional.empty() : Optional.of(s.fits);
    }
}
