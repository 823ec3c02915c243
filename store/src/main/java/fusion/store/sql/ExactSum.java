package fusion.store.sql;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * A sum of doubles that does not depend on the order of its terms: the exact sum, rounded once
 * to the nearest double. A brand's daily money adds each day's changes as the pairs come, and
 * the pairs come in the parties' order, not the events'; summed in arrival order the figure would
 * depend on which store and which pass read them; sorting every change into (time, seq) order
 * first kept a window's changes as objects and was a third of the read's Java samples (JFR), if
 * not of its CPU, most of which is SQLite's (bench/results/brand-series-2026-12-07b.txt).
 *
 * <p>The running sum is kept exactly as a few non-overlapping doubles (Shewchuk's partials, as
 * in Python's {@code math.fsum}: each term is folded in with error-free two-sums, a few
 * operations a term); {@link #value} adds those partials exactly in a {@link BigDecimal} and
 * rounds once. Near the top of the double range, where a partial could overflow, the sum goes on
 * in a {@link BigDecimal} (exact, slower); infinite and NaN terms give what adding them in any
 * order gives.
 */
final class ExactSum {
    private double[] partials = new double[4];
    private int size;
    /** The sum so far once a partial could overflow: exact, and then every term goes here. */
    private BigDecimal big;
    /** The sum of the infinite and NaN terms (0 while there is none). */
    private double nonFinite;

    /** Partials and terms below this in magnitude cannot overflow a two-sum (each sum is under twice it). */
    private static final double SAFE = 0x1p1022;

    void add(double x) {
        if (!Double.isFinite(x)) {
            nonFinite += x;
            return;
        }
        if (big == null && (Math.abs(x) >= SAFE || (size > 0 && Math.abs(partials[size - 1]) >= SAFE))) {
            big = partialsSum();
        }
        if (big != null) {
            big = big.add(new BigDecimal(x));
            return;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            double y = partials[i];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x); // exact: |x| >= |y| (Dekker's fast two-sum)
            if (lo != 0) partials[kept++] = lo;
            x = hi;
        }
        if (kept == partials.length) partials = Arrays.copyOf(partials, kept * 2);
        partials[kept++] = x;
        size = kept;
    }

    /** The exact sum of the terms added, rounded to the nearest double (ties to even). */
    double value() {
        if (nonFinite != 0 || Double.isNaN(nonFinite)) return nonFinite;
        return (big != null ? big : partialsSum()).doubleValue();
    }

    private BigDecimal partialsSum() {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < size; i++) sum = sum.add(new BigDecimal(partials[i]));
        return sum;
    }
}
