package fusion.models.btyd;

import java.util.HashMap;
import java.util.Map;

/**
 * Customers with identical histories contribute identical likelihood terms; fitting on the distinct
 * histories with their counts makes each likelihood evaluation proportional to the number of
 * patterns, not customers (CDNOW: 2,357 customers, far fewer patterns at weekly resolution).
 */
record Patterns(Rfm[] histories, double[] counts) {

    static Patterns of(Iterable<Rfm> customers) {
        Map<Rfm, Integer> count = new HashMap<>();
        for (Rfm h : customers) {
            count.merge(h, 1, Integer::sum);
        }
        Rfm[] histories = count.keySet().toArray(Rfm[]::new);
        double[] counts = new double[histories.length];
        for (int i = 0; i < histories.length; i++) {
            counts[i] = count.get(histories[i]);
        }
        return new Patterns(histories, counts);
    }

    long customers() {
        double sum = 0;
        for (double c : counts) {
            sum += c;
        }
        return Math.round(sum);
    }

    double logLikelihood(TransactionModel model) {
        double sum = 0;
        for (int i = 0; i < histories.length; i++) {
            sum += counts[i] * model.logLikelihood(histories[i]);
        }
        return sum;
    }
}
