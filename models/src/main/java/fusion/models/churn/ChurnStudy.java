package fusion.models.churn;

import java.nio.file.Path;

/**
 * The whole held-out validation in one call: encode, split, fit on the training part, evaluate on
 * the test part against the training base rate.
 *
 * @param dataset    the encoded customers
 * @param split      which rows were used for what
 * @param model      the model fitted on the training rows
 * @param evaluation held-out figures
 * @param seed       the split seed
 */
public record ChurnStudy(
        TelcoChurn.Dataset dataset, StratifiedSplit split, ChurnModel model, ChurnEvaluation evaluation, long seed) {

    /** Default ridge penalty: small, enough to tame the collinear dummies. */
    public static final double DEFAULT_LAMBDA = 1.0;

    /** Runs the study on the telco file with a 70/30 split. */
    public static ChurnStudy run(Path csv, long seed, double lambda) {
        TelcoChurn.Dataset d = TelcoChurn.load(csv);
        StratifiedSplit split = StratifiedSplit.of(d.churned(), 0.3, seed);
        int[] yTrain = StratifiedSplit.pick(d.churned(), split.train());
        ChurnModel model = ChurnModel.fit(StratifiedSplit.pick(d.rows(), split.train()), yTrain, d.features(), lambda);
        double baseRate = java.util.Arrays.stream(yTrain).average().orElseThrow();
        double[] p = model.probabilities(StratifiedSplit.pick(d.rows(), split.test()));
        ChurnEvaluation e = ChurnEvaluation.of(p, StratifiedSplit.pick(d.churned(), split.test()), baseRate, 10);
        return new ChurnStudy(d, split, model, e, seed);
    }
}
