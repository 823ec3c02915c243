package fusion.models.btyd;

import java.util.List;
import java.util.Locale;

/**
 * Whether a fitted customer base says anything about its customers (docs/MODELS.md, "When the
 * data cannot identify the model").
 *
 * <p>Maximum likelihood on a short or uniform history can run parameters off to a boundary. Some
 * boundaries are harmless limits: {@code r, α → ∞} with {@code r/α} fixed is "every customer buys
 * at the same rate", {@code a, b → ∞} with {@code a/(a+b)} fixed is "every customer has the same
 * drop-out probability", and the values stay meaningful. Others leave nothing to estimate: a shape
 * running to 0 piles its mass at 0 ({@code a → 0}: nobody ever drops out, every P(alive) is 1), a
 * mean rate running to 0 or infinity, or a parameter so large that the formulas lose precision (a
 * demo history gave {@code b = 8e12} and negative lifetime values). There the optimiser stops
 * somewhere on a flat ridge and the numbers are where it stopped, not estimates. A fit is <em>not
 * identified</em> when
 *
 * <ul>
 *   <li>a shape ({@code r, a, b} of BG/NBD, {@code r, s} of Pareto/NBD, {@code p, q} of
 *       gamma-gamma) is below {@value #SHAPE_LOW}, or any parameter is above {@value #HIGH} or not
 *       finite; or
 *   <li>a mean lies outside [{@value #RATIO_LOW}, {@value #RATIO_HIGH}] times what the data show:
 *       the purchases a customer is expected to make over the oldest customer's age {@code T}
 *       ({@code r/α · T} for BG/NBD) against one purchase, and gamma-gamma's mean value {@code
 *       pγ/(q−1)} against the mean repeat value; or
 *   <li>P(alive) does not vary across customers: its range over all of them is below {@value
 *       #MIN_ALIVE_RANGE}, so the model cannot tell who has left (on the demo it gave 1.00 to a
 *       customer silent for seven weeks).
 * </ul>
 *
 * <p>The published CDNOW estimates (r 0.24, α 4.4 weeks, a 0.79, b 2.4; p 6.3, q 3.7, γ 15) sit far
 * inside these bounds.
 *
 * @param identified whether the fit's numbers may be used
 * @param reason one sentence for people: what identified the fit, or which check failed and with
 *     what value
 */
public record Identification(boolean identified, String reason) {
    public static final double SHAPE_LOW = 1e-3, HIGH = 1e10;
    public static final double RATIO_LOW = 1e-3, RATIO_HIGH = 1e3;
    public static final double MIN_ALIVE_RANGE = 0.01;

    /** Checks {@code base}, fitted to {@code customers}, against the bounds above. */
    public static Identification of(CustomerBase base, List<CustomerHistory> customers) {
        if (customers.isEmpty()) throw new IllegalArgumentException("customers: none to check the fit against");
        double oldest = 0;
        double spendSum = 0;
        int spenders = 0;
        for (CustomerHistory c : customers) {
            oldest = Math.max(oldest, c.calibration().age());
            var s = c.spend();
            if (s.isPresent()) {
                spendSum += s.get().averageValue();
                spenders++;
            }
        }
        oldest = Math.max(oldest, 1.0 / 7); // a one-day-old base still has a time scale
        TransactionModel m = base.purchases().model();
        String edge;
        if (m instanceof BgNbd b) {
            edge = firstOf(
                    shape("BG/NBD r", b.r()),
                    high("BG/NBD alpha", b.alpha()),
                    shape("BG/NBD a", b.a()),
                    shape("BG/NBD b", b.b()),
                    ratio(
                            "BG/NBD's mean purchases over the oldest customer's age, r/alpha * T,",
                            b.r() / b.alpha() * oldest,
                            1,
                            "one purchase"));
        } else if (m instanceof ParetoNbd p) {
            edge = firstOf(
                    shape("Pareto/NBD r", p.r()),
                    high("Pareto/NBD alpha", p.alpha()),
                    shape("Pareto/NBD s", p.s()),
                    high("Pareto/NBD beta", p.beta()),
                    ratio(
                            "Pareto/NBD's mean purchases over the oldest customer's age, r/alpha * T,",
                            p.r() / p.alpha() * oldest,
                            1,
                            "one purchase"));
        } else {
            throw new IllegalArgumentException("base: no identification check for " + m.getClass());
        }
        GammaGamma g = base.spend().model();
        if (edge == null) {
            double meanSpend = spenders == 0 ? 1 : spendSum / spenders;
            edge = firstOf(
                    shape("gamma-gamma p", g.p()),
                    shape("gamma-gamma q", g.q()),
                    high("gamma-gamma gamma", g.gamma()),
                    g.q() <= 1
                            ? null
                            : ratio(
                                    "gamma-gamma's mean value p*gamma/(q-1)",
                                    g.populationMeanValue(),
                                    meanSpend,
                                    "the mean repeat value"));
        }
        if (edge != null) {
            return new Identification(
                    false,
                    edge + ": the likelihood kept rising towards a boundary, so the fit stopped on a "
                            + "flat ridge and its numbers are not estimates");
        }
        double low = 1, high = 0;
        for (CustomerHistory c : customers) {
            double alive = m.probabilityAlive(c.calibration());
            if (!Double.isFinite(alive)) {
                return new Identification(false, "P(alive) is not a number for customer " + c.id());
            }
            low = Math.min(low, alive);
            high = Math.max(high, alive);
        }
        if (high - low < MIN_ALIVE_RANGE) {
            return new Identification(
                    false,
                    String.format(
                            Locale.ROOT,
                            "P(alive) is %.4f to %.4f across all %d customers (a range under %.2f), so the "
                                    + "purchases cannot tell who has left",
                            low,
                            high,
                            customers.size(),
                            MIN_ALIVE_RANGE));
        }
        return new Identification(
                true,
                String.format(
                        Locale.ROOT,
                        "every parameter is inside its bounds and P(alive) ranges from %.2f to %.2f across "
                                + "%d customers",
                        low,
                        high,
                        customers.size()));
    }

    private static String shape(String name, double v) {
        if (!(v >= SHAPE_LOW)) {
            return String.format(Locale.ROOT, "%s = %.3g is below %.0e", name, v, SHAPE_LOW);
        }
        return high(name, v);
    }

    private static String high(String name, double v) {
        if (Double.isFinite(v) && v <= HIGH) return null;
        return String.format(Locale.ROOT, "%s = %.3g is above %.0e", name, v, HIGH);
    }

    private static String ratio(String name, double v, double reference, String what) {
        double r = v / reference;
        if (Double.isFinite(r) && r >= RATIO_LOW && r <= RATIO_HIGH) return null;
        return String.format(
                Locale.ROOT,
                "%s = %.3g is %.3g times %s, outside [%.0e, %.0e]",
                name,
                v,
                r,
                what,
                RATIO_LOW,
                RATIO_HIGH);
    }

    private static String firstOf(String... failures) {
        for (String f : failures) if (f != null) return f;
        return null;
    }
}
