package fusion.models.btyd;

/**
 * A continuous-time, non-contractual model of repeat transactions (time in the unit of the
 * {@link Rfm} histories it was fitted on; weeks throughout this package).
 */
public sealed interface TransactionModel permits BgNbd, ParetoNbd {

    /** The log-likelihood of one customer's history. */
    double logLikelihood(Rfm history);

    /** P(the customer is still alive at the end of calibration | history). */
    double probabilityAlive(Rfm history);

    /** E[X(t)]: expected transactions of a new customer in their first {@code t} time units. */
    double expectedTransactions(double t);

    /** E[Y(t) | history]: expected transactions in {@code (T, T + t]}. */
    double conditionalExpectedTransactions(Rfm history, double t);

    /** The sample log-likelihood. */
    default double logLikelihood(Iterable<Rfm> histories) {
        double sum = 0;
        for (Rfm h : histories) {
            sum += logLikelihood(h);
        }
        return sum;
    }
}
