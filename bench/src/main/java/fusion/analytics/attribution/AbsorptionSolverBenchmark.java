package fusion.analytics.attribution;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 13 asks whether commons-math3's LU decomposition should replace the hand-written
 * elimination of {@link AbsorptionSolver#direct}. Both solve {@code (I - Q) x = r} for the Markov
 * chains of the ChannelAttribution paths at orders 1 to 3 (the dense path; the iterative one has no
 * library counterpart in commons-math3 for sparse substochastic rows). Speed is JMH's; exactness is
 * {@link #main}: each method's largest error against a 60-digit BigDecimal elimination, a third
 * method that neither shares.
 *
 * <p>Lives in the analytics package so it can reach the package-private solver.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AbsorptionSolverBenchmark {

    /** The paths file; the repository's copy of the ChannelAttribution example data by default. */
    static final String PATHS = System.getProperty("fusion.paths", "datasets/journeys/paths.csv");

    @Param({"1", "2", "3"})
    public int order;

    private MarkovChain chain;
    private boolean[] none;
    private double[][] matrix;
    private double[] rhs;

    @Setup(Level.Trial)
    public void fit() {
        chain = MarkovChain.fit(PathsFile.read(Path.of(PATHS)), order);
        none = new boolean[chain.states()];
        matrix = system(chain);
        rhs = chain.toConversion.clone();
    }

    @Benchmark
    public double[] handWritten() {
        return AbsorptionSolver.direct(chain, none).probabilities();
    }

    @Benchmark
    public double[] commonsMath() {
        return new LUDecomposition(new Array2DRowRealMatrix(matrix, true))
                .getSolver()
                .solve(new ArrayRealVector(rhs, false))
                .toArray();
    }

    /** The dense {@code I - Q} of a chain with no state removed. */
    static double[][] system(MarkovChain chain) {
        int n = chain.states();
        double[][] a = new double[n][n];
        for (int s = 0; s < n; s++) {
            a[s][s] = 1;
            for (int e = chain.rowStart[s]; e < chain.rowStart[s + 1]; e++) {
                a[s][chain.target[e]] -= chain.probability[e];
            }
        }
        return a;
    }

    /** Gauss-Jordan elimination in 60 significant digits: the reference both are measured against. */
    static BigDecimal[] reference(double[][] a, double[] b) {
        MathContext mc = new MathContext(60);
        int n = b.length;
        BigDecimal[][] m = new BigDecimal[n][n + 1];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                m[r][c] = new BigDecimal(a[r][c]);
            }
            m[r][n] = new BigDecimal(b[r]);
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (m[r][col].abs().compareTo(m[pivot][col].abs()) > 0) {
                    pivot = r;
                }
            }
            BigDecimal[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            for (int r = 0; r < n; r++) {
                if (r == col || m[r][col].signum() == 0) {
                    continue;
                }
                BigDecimal f = m[r][col].divide(m[col][col], mc);
                for (int c = col; c <= n; c++) {
                    m[r][c] = m[r][c].subtract(f.multiply(m[col][c], mc), mc);
                }
            }
        }
        BigDecimal[] x = new BigDecimal[n];
        for (int r = 0; r < n; r++) {
            x[r] = m[r][n].divide(m[r][r], mc);
        }
        return x;
    }

    static double worstError(double[] x, BigDecimal[] exact) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(
                    worst, new BigDecimal(x[i]).subtract(exact[i]).abs().doubleValue());
        }
        return worst;
    }

    /** Prints, per order, the chain's size and each method's largest error against the reference. */
    public static void main(String[] args) {
        var paths = PathsFile.read(Path.of(args.length > 0 ? args[0] : PATHS));
        System.out.println("order  states  hand-written max |error|  commons-math3 max |error|");
        for (int order : List.of(1, 2, 3)) {
            MarkovChain chain = MarkovChain.fit(paths, order);
            double[][] a = system(chain);
            BigDecimal[] exact = reference(a, chain.toConversion);
            double[] ours =
                    AbsorptionSolver.direct(chain, new boolean[chain.states()]).probabilities();
            double[] theirs = new LUDecomposition(new Array2DRowRealMatrix(a, true))
                    .getSolver()
                    .solve(new ArrayRealVector(chain.toConversion, true))
                    .toArray();
            System.out.printf(
                    "%5d  %6d  %24.3e  %25.3e%n",
                    order, chain.states(), worstError(ours, exact), worstError(theirs, exact));
        }
    }
}
