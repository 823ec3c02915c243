package fusion.models.btyd;

import java.util.Optional;

/**
 * Per-customer value from a fitted transaction model and a fitted spend model: the figures a
 * customer profile shows.
 *
 * <p>Discounting is discrete and weekly, so it works the same for any {@link TransactionModel}: the
 * purchases expected in week {@code k} after the end of calibration, {@code E[Y(k)] − E[Y(k−1)]},
 * are discounted by {@code (1 + d)^{−k}} with the weekly rate {@code d = (1 + annual)^{1/52} − 1},
 * and summed over the horizon. Lifetime value is that sum times the expected value per transaction
 * (gamma-gamma, independent of the counts, as FHL 2005 assume). A customer without repeat
 * transactions gets the population mean value. For an infinite horizon in continuous time, {@link
 * ParetoNbd#discountedExpectedResidualTransactions} gives the closed form (DERT).
 */
public final class Valuation {
    private final TransactionModel purchases;
    private final GammaGamma spend;
    private final int horizonWeeks;
    private final double[] discount;

    /**
     * What one customer is expected to do after the calibration period.
     *
     * @param id the customer
     * @param probabilityAlive P(still a customer at the end of calibration)
     * @param expectedPurchases transactions expected over the horizon, undiscounted
     * @param expectedAverageValue expected value per transaction
     * @param discountedPurchases transactions expected over the horizon, discounted
     * @param lifetimeValue discountedPurchases × expectedAverageValue: residual value over the
     * horizon
     */
    public record CustomerValue(
            String id,
            double probabilityAlive,
            double expectedPurchases,
            double expectedAverageValue,
            double discountedPurchases,
            double lifetimeValue) {}

    /**
     * @param purchases a fitted model with time in weeks
     * @param spend a fitted spend model
     * @param horizonWeeks weeks ahead to value (e.g. 52)
     * @param annualDiscountRate e.g. 0.15 for 15% a year; 0 for none
     */
    public Valuation(TransactionModel purchases, GammaGamma spend, int horizonWeeks, double annualDiscountRate) {
        if (horizonWeeks < 1) {
            throw new IllegalArgumentException("horizonWeeks: must be >= 1 but was " + horizonWeeks);
        }
        if (!(annualDiscountRate >= 0 && Double.isFinite(annualDiscountRate))) {
            throw new IllegalArgumentException("annualDiscountRate: must be >= 0 but was " + annualDiscountRate);
        }
        this.purchases = purchases;
        this.spend = spend;
        this.horizonWeeks = horizonWeeks;
        double weekly = Math.pow(1 + annualDiscountRate, 1 / 52.0);
        this.discount = new double[horizonWeeks + 1];
        for (int k = 1; k <= horizonWeeks; k++) {
            discount[k] = Math.pow(weekly, -k);
        }
    }

    /** Values one customer from their calibration history and (if they have one) repeat spend. */
    public CustomerValue value(String id, Rfm history, Optional<GammaGamma.Spend> repeatSpend) {
        double averageValue = repeatSpend.map(spend::expectedAverageValue).orElseGet(spend::populationMeanValue);
        double previous = 0;
        double discounted = 0;
        for (int k = 1; k <= horizonWeeks; k++) {
            double cumulative = purchases.conditionalExpectedTransactions(history, k);
            discounted += (cumulative - previous) * discount[k];
            previous = cumulative;
        }
        return new CustomerValue(
                id, purchases.probabilityAlive(history), previous, averageValue, discounted, discounted * averageValue);
    }

    /** Values a summarised customer. */
    public CustomerValue value(CustomerHistory customer) {
        return value(customer.id(), customer.calibration(), customer.spend());
    }
}
