package fusion.models.churn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How well predicted churn probabilities match outcomes on held-out customers, next to the
 * no-skill forecast that gives everyone the training base rate.
 *
 * @param customers    number of scored customers
 * @param churners     how many of them churned
 * @param auc          area under the ROC curve (exact, ties count one half)
 * @param logLoss      mean negative log-likelihood, natural log
 * @param brier        mean squared error of the probabilities
 * @param baseRate     the constant forecast used as the baseline
 * @param baseLogLoss  log-loss of the baseline
 * @param baseBrier    Brier score of the baseline
 * @param calibration  equal-count bins of customers sorted by predicted probability
 */
public record ChurnEvaluation(
        int customers,
        int churners,
        double auc,
        double logLoss,
        double brier,
        double baseRate,
        double baseLogLoss,
        double baseBrier,
        List<CalibrationBin> calibration) {

    /**
     * One calibration bin.
     *
     * @param customers customers in the bin
     * @param predicted mean predicted probability
     * @param observed  observed churn rate
     */
    public record CalibrationBin(int customers, double predicted, double observed) {}

    public ChurnEvaluation {
        calibration = List.copyOf(calibration);
    }

    /** Brier skill score: 1 - brier / baseBrier (0 = no better than the base rate). */
    public double brierSkill() {
        return 1 - brier / baseBrier;
    }

    /** Largest |predicted - observed| over the calibration bins. */
    public double worstCalibrationGap() {
        return calibration.stream()
                .mapToDouble(b -> Math.abs(b.predicted() - b.observed()))
                .max()
                .orElse(0);
    }

    /**
     * Evaluates probabilities against 0/1 outcomes.
     *
     * @param probability predicted churn probabilities
     * @param churned     outcomes, one per probability
     * @param baseRate    the baseline forecast (usually the training churn rate)
     * @param bins        number of calibration bins (10 for deciles)
     */
    public static ChurnEvaluation of(double[] probability, int[] churned, double baseRate, int bins) {
        int n = probability.length;
        if (n != churned.length || n == 0) {
            throw new IllegalArgumentException("churned: expected " + n + " outcomes but was " + churned.length);
        }
        double logLoss = 0;
        double brier = 0;
        double baseLogLoss = 0;
        double baseBrier = 0;
        int churners = 0;
        for (int i = 0; i < n; i++) {
            churners += churned[i];
            logLoss += logLoss(probability[i], churned[i]) / n;
            brier += Math.pow(probability[i] - churned[i], 2) / n;
            baseLogLoss += logLoss(baseRate, churned[i]) / n;
            baseBrier += Math.pow(baseRate - churned[i], 2) / n;
        }
        return new ChurnEvaluation(
                n,
                churners,
                auc(probability, churned),
                logLoss,
                brier,
                baseRate,
                baseLogLoss,
                baseBrier,
                calibration(probability, churned, bins));
    }

    /**
     * Exact AUC by the Mann-Whitney U statistic: rank all scores (tied scores share their mean
     * rank), then AUC = (R1 - n1(n1+1)/2) / (n1 n0) with R1 the rank sum of the positives.
     * It equals P(score of a random churner &gt; score of a random stayer) + P(tie) / 2.
     */
    public static double auc(double[] score, int[] positive) {
        int n = score.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double meanRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]] == 1) {
                    rankSumPositive += meanRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * negatives);
    }

    static List<CalibrationBin> calibration(double[] probability, int[] churned, int bins) {
        int n = probability.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> probability[i]));
        List<CalibrationBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            int from = (int) ((long) b * n / bins);
            int to = (int) ((long) (b + 1) * n / bins);
            double p = 0;
            double y = 0;
            for (int k = from; k < to; k++) {
                p += probability[order[k]];
                y += churned[order[k]];
            }
            int m = to - from;
            if (m > 0) {
                out.add(new CalibrationBin(m, p / m, y / m));
            }
        }
        return out;
    }

    private static double logLoss(double p, int y) {
        double q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
        return -(y == 1 ? Math.log(q) : Math.log(1 - q));
    }
}
