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
 * rounds once. Terms must be finite.
 */
final class ExactSum {
    private double[] partials = new double[4];
    private int size;

    void add(double x) {
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
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < size; i++) sum = sum.add(new BigDecimal(partials[i]));
        return sum.doubleValue();
    }
}
