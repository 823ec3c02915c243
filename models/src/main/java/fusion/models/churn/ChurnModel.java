package fusion.models.churn;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * A fitted L2-regularised logistic regression, P(churn | x) = 1 / (1 + exp(-(b0 + b . z))) where
 * z is x standardised with the training means and standard deviations.
 *
 * <p>The fit maximises the penalised log-likelihood sum[y log p + (1-y) log(1-p)] - lambda/2 |b|^2
 * (the intercept is not penalised) by Newton's method: each step solves
 * (Z'WZ + lambda I) delta = Z'(y - p) - lambda b with W = diag(p(1-p)) (Hastie, Tibshirani &amp;
 * Friedman, The Elements of Statistical Learning, 2nd ed., sec. 4.4.1, with the ridge term added).
 * The penalised objective is strictly concave, so Newton converges from zero in a handful of steps.
 * Standardising first makes one lambda mean the same for every feature.
 *
 * @param features     names of the raw features, in vector order
 * @param means        training mean of each feature
 * @param scales       training standard deviation of each feature (1 for constant features)
 * @param coefficients intercept first, then one coefficient per standardised feature
 * @param lambda       the ridge penalty used
 * @param iterations   Newton steps taken
 */
public record ChurnModel(
        List<String> features, double[] means, double[] scales, double[] coefficients, double lambda, int iterations) {

    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-9;

    public ChurnModel {
        features = List.copyOf(features);
        means = means.clone();
        scales = scales.clone();
        coefficients = coefficients.clone();
        if (means.length != features.size()
                || scales.length != features.size()
                || coefficients.length != features.size() + 1) {
            throw new IllegalArgumentException(
                    "coefficients: expected " + (features.size() + 1) + " values for " + features.size() + " features");
        }
    }

    @Override
    public double[] means() {
        return means.clone();
    }

    @Override
    public double[] scales() {
        return scales.clone();
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    /**
     * Fits the model.
     *
     * @param x        one feature vector per customer, all of the same length
     * @param churned  1 if the customer churned, else 0, one per row of {@code x}
     * @param features names for the columns of {@code x}
     * @param lambda   ridge penalty on the standardised coefficients, {@code >= 0}
     */
    public static ChurnModel fit(List<double[]> x, int[] churned, List<String> features, double lambda) {
        int n = x.size();
        int p = features.size();
        if (n != churned.length || n == 0) {
            throw new IllegalArgumentException("churned: expected " + n + " labels but was " + churned.length);
        }
        if (lambda < 0) {
            throw new IllegalArgumentException("lambda: expected >= 0 but was " + lambda);
        }
        double[] means = new double[p];
        double[] scales = new double[p];
        standardisation(x, p, means, scales);
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = design(x.get(i), means, scales);
            if (churned[i] != 0 && churned[i] != 1) {
                throw new IllegalArgumentException("churned[" + i + "]: expected 0 or 1 but was " + churned[i]);
            }
        }
        double[] b = new double[p + 1];
        int iteration = 0;
        while (iteration < MAX_ITERATIONS) {
            iteration++;
            double[] step = newtonStep(z, churned, b, lambda);
            double largest = 0;
            for (int j = 0; j <= p; j++) {
                b[j] += step[j];
                largest = Math.max(largest, Math.abs(step[j]));
            }
            if (largest < TOLERANCE) {
                break;
            }
        }
        return new ChurnModel(features, means, scales, b, lambda, iteration);
    }

    /** Probability of churn for one raw (unstandardised) feature vector. */
    public double probability(double[] x) {
        if (x.length != features.size()) {
            throw new IllegalArgumentException("x: expected " + features.size() + " features but was " + x.length);
        }
        return sigmoid(dot(coefficients, design(x, means, scales)));
    }

    /** Probabilities for many vectors. */
    public double[] probabilities(List<double[]> x) {
        return x.stream().mapToDouble(this::probability).toArray();
    }

    /** Coefficient of a feature per standard deviation of that feature (log-odds scale). */
    public double standardisedCoefficient(String feature) {
        int j = features.indexOf(feature);
        if (j < 0) {
            throw new IllegalArgumentException("feature '" + feature + "' not in " + features);
        }
        return coefficients[j + 1];
    }

    private static double[] newtonStep(double[][] z, int[] y, double[] b, double lambda) {
        int q = b.length;
        double[][] h = new double[q][q];
        double[] g = new double[q];
        for (int i = 0; i < z.length; i++) {
            double[] zi = z[i];
            double mu = sigmoid(dot(b, zi));
            double w = Math.max(mu * (1 - mu), 1e-12);
            double r = y[i] - mu;
            for (int j = 0; j < q; j++) {
                g[j] += zi[j] * r;
                double wz = w * zi[j];
                for (int k = 0; k <= j; k++) {
                    h[j][k] += wz * zi[k];
                }
            }
        }
        for (int j = 0; j < q; j++) {
            for (int k = 0; k < j; k++) {
                h[k][j] = h[j][k];
            }
            if (j > 0) {
                h[j][j] += lambda;
                g[j] -= lambda * b[j];
            }
        }
        // A tiny jitter keeps the Cholesky factorisation defined when lambda is 0 and columns
        // are collinear (the telco data's "no internet service" dummies are).
        for (int j = 0; j < q; j++) {
            h[j][j] += 1e-10;
        }
        RealVector step = new CholeskyDecomposition(new Array2DRowRealMatrix(h, false), 1e-14, 0)
                .getSolver()
                .solve(new ArrayRealVector(g, false));
        return step.toArray();
    }

    private static void standardisation(List<double[]> x, int p, double[] means, double[] scales) {
        int n = x.size();
        for (double[] row : x) {
            if (row.length != p) {
                throw new IllegalArgumentException("x: expected rows of " + p + " features but one has " + row.length);
            }
            for (int j = 0; j < p; j++) {
                means[j] += row[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < p; j++) {
                scales[j] += (row[j] - means[j]) * (row[j] - means[j]) / n;
            }
        }
        for (int j = 0; j < p; j++) {
            scales[j] = scales[j] > 0 ? Math.sqrt(scales[j]) : 1;
        }
    }

    private static double[] design(double[] x, double[] means, double[] scales) {
        double[] z = new double[x.length + 1];
        z[0] = 1;
        for (int j = 0; j < x.length; j++) {
            z[j + 1] = (x[j] - means[j]) / scales[j];
        }
        return z;
    }

    static double sigmoid(double t) {
        return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "ChurnModel[features=" + features + ", coefficients=" + Arrays.toString(coefficients) + ", lambda="
                + lambda + "]";
    }
}
