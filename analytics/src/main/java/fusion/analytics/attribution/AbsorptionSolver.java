package fusion.analytics.attribution;

/**
 * Solves for the absorption probabilities of an absorbing chain: for every transient state
 * {@code s}, the probability {@code x_s} that a walk from {@code s} ends in conversion. They satisfy
 * {@code x = Q x + r} (Kemeny and Snell's {@code B = N R} with fundamental matrix
 * {@code N = (I - Q)^-1}), where {@code Q} holds the transient-to-transient probabilities and
 * {@code r} the one-step conversion probabilities. Removed states are absorbing in null: their
 * {@code x} is 0.
 *
 * <p>Small chains (at most {@value #DENSE_LIMIT} states, e.g. every first-order chain) are solved
 * directly by LU decomposition with partial pivoting of {@code I - Q}. Larger ones, whose dense
 * matrix would cost cubic time, are solved by Gauss-Seidel sweeps over the sparse rows, starting at
 * 0: for a substochastic {@code Q} whose walks all absorb, the iterates rise monotonically to the
 * solution. Convergence criterion: a sweep that changes no {@code x_s} by more than
 * {@value #SWEEP_TOLERANCE}, after which the residual {@code max |x - Qx - r|} must be below
 * {@value #RESIDUAL_TOLERANCE}; otherwise the solve fails loudly rather than return a guess.
 *
 * <p>Why not commons-math3's {@code LUDecomposition}: measured side by side on the
 * ChannelAttribution chains ({@code bench/run-absorption.sh}), it is exactly as accurate (the same
 * partial pivoting gives the same largest error against a 60-digit reference at orders 1 to 3) but
 * 1.4 to 13 times slower, because {@code I - Q} of a path chain is sparse and the elimination here
 * skips the rows whose multiplier is zero, which a general dense LU cannot know to do.
 */
final class AbsorptionSolver {

    static final int DENSE_LIMIT = 400;
    static final double SWEEP_TOLERANCE = 1e-15;
    static final double RESIDUAL_TOLERANCE = 1e-12;
    private static final int MAX_SWEEPS = 1_000_000;

    /** The probabilities, and how they were found. */
    record Solution(double[] probabilities, String method, int sweeps, double residual) {}

    private AbsorptionSolver() {}

    static Solution solve(MarkovChain chain, boolean[] removed) {
        return chain.states() <= DENSE_LIMIT ? direct(chain, removed) : iterative(chain, removed);
    }

    static Solution direct(MarkovChain chain, boolean[] removed) {
        int n = chain.states();
        double[][] a = new double[n][n];
        double[] b = new double[n];
        for (int s = 0; s < n; s++) {
            a[s][s] = 1;
            if (removed[s]) {
                continue;
            }
            b[s] = chain.toConversion[s];
            for (int e = chain.rowStart[s]; e < chain.rowStart[s + 1]; e++) {
                a[s][chain.target[e]] -= chain.probability[e];
            }
        }
        double[] x = luSolve(a, b);
        return new Solution(x, "LU decomposition", 0, residual(chain, removed, x));
    }

    static Solution iterative(MarkovChain chain, boolean[] removed) {
        int n = chain.states();
        double[] x = new double[n];
        for (int sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
            double largestChange = 0;
            for (int s = 0; s < n; s++) {
                if (removed[s]) {
                    continue;
                }
                double v = chain.toConversion[s];
                for (int e = chain.rowStart[s]; e < chain.rowStart[s + 1]; e++) {
                    v += chain.probability[e] * x[chain.target[e]];
                }
                largestChange = Math.max(largestChange, Math.abs(v - x[s]));
                x[s] = v;
            }
            if (largestChange <= SWEEP_TOLERANCE) {
                double residual = residual(chain, removed, x);
                if (residual > RESIDUAL_TOLERANCE) {
                    throw new IllegalStateException(
                            "Gauss-Seidel stalled with residual " + residual + " on a chain of " + n + " states");
                }
                return new Solution(x, "Gauss-Seidel", sweep, residual);
            }
        }
        throw new IllegalStateException("Gauss-Seidel did not converge in " + MAX_SWEEPS + " sweeps on a chain of " + n
                + " states: do all its walks end?");
    }

    static double residual(MarkovChain chain, boolean[] removed, double[] x) {
        double worst = 0;
        for (int s = 0; s < chain.states(); s++) {
            double v = removed[s] ? 0 : chain.toConversion[s];
            if (!removed[s]) {
                for (int e = chain.rowStart[s]; e < chain.rowStart[s + 1]; e++) {
                    v += chain.probability[e] * x[chain.target[e]];
                }
            }
            worst = Math.max(worst, Math.abs(x[s] - v));
        }
        return worst;
    }

    /** Gaussian elimination with partial pivoting; {@code a} and {@code b} are overwritten. */
    private static double[] luSolve(double[][] a, double[] b) {
        int n = b.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-300) {
                throw new IllegalStateException("I - Q is singular at column " + col + ": some walks never end");
            }
            double[] rowSwap = a[col];
            a[col] = a[pivot];
            a[pivot] = rowSwap;
            double bSwap = b[col];
            b[col] = b[pivot];
            b[pivot] = bSwap;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                if (f != 0) {
                    for (int c = col; c < n; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                    b[r] -= f * b[col];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double v = b[r];
            for (int c = r + 1; c < n; c++) {
                v -= a[r][c] * x[c];
            }
            x[r] = v / a[r][r];
        }
        return x;
    }
}
