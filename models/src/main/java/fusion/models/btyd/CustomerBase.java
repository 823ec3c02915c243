package fusion.models.btyd;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The entry point for a brand's customer base: from a purchase log to fitted models and, per
 * customer, probability alive, expected purchases and lifetime value.
 *
 * <pre>{@code
 * List<CustomerHistory> histories = CustomerBase.summarise(purchases, LocalDate.of(2025, 12, 31));
 * CustomerBase base = CustomerBase.fit(histories, CustomerBase.Kind.BG_NBD);
 * Valuation valuation = base.valuation(52, 0.15);
 * histories.stream().map(valuation::value)...
 * }</pre>
 *
 * @param purchases the fitted transaction model (time in weeks)
 * @param spend the fitted spend model
 */
public record CustomerBase(Fitted<? extends TransactionModel> purchases, Fitted<GammaGamma> spend) {

    /** Which transaction model to fit. BG/NBD is faster to fit; the two usually predict alike. */
    public enum Kind {
        BG_NBD,
        PARETO_NBD
    }

    /**
     * One purchase.
     *
     * @param customerId the customer
     * @param date the day of the purchase (several on one day count as one transaction)
     * @param amount its value
     */
    public record Purchase(String customerId, LocalDate date, double amount) {}

    /**
     * Summarises a purchase log as of {@code calibrationEnd} (inclusive); purchases after it are
     * ignored, and customers whose first purchase is after it are left out (they did not exist
     * yet). Customers appear in the order they first appear in the log.
     */
    public static List<CustomerHistory> summarise(Iterable<Purchase> purchases, LocalDate calibrationEnd) {
        return summarise(purchases, calibrationEnd, calibrationEnd);
    }

    /** As {@link #summarise(Iterable, LocalDate)}, counting holdout transactions up to holdoutEnd. */
    public static List<CustomerHistory> summarise(
            Iterable<Purchase> purchases, LocalDate calibrationEnd, LocalDate holdoutEnd) {
        Map<String, TreeMap<Long, Double>> days = new LinkedHashMap<>();
        for (Purchase p : purchases) {
            days.computeIfAbsent(p.customerId(), k -> new TreeMap<>())
                    .merge(p.date().toEpochDay(), p.amount(), Double::sum);
        }
        return summariseDays(days, calibrationEnd, holdoutEnd);
    }

    static List<CustomerHistory> summariseDays(
            Map<String, TreeMap<Long, Double>> days, LocalDate calibrationEnd, LocalDate holdoutEnd) {
        long end = calibrationEnd.toEpochDay();
        long holdout = holdoutEnd.toEpochDay();
        List<CustomerHistory> out = new ArrayList<>(days.size());
        days.forEach((id, byDay) -> {
            if (byDay.firstKey() <= end) {
                out.add(CustomerHistory.of(id, byDay, end, holdout));
            }
        });
        return out;
    }

    /** Fits the transaction model and the gamma-gamma spend model to the histories. */
    public static CustomerBase fit(List<CustomerHistory> customers, Kind kind) {
        List<Rfm> histories =
                customers.stream().map(CustomerHistory::calibration).toList();
        Fitted<? extends TransactionModel> purchases = switch (kind) {
            case BG_NBD -> BgNbd.fit(histories);
            case PARETO_NBD -> ParetoNbd.fit(histories);
        };
        Fitted<GammaGamma> spend = GammaGamma.fit(customers.stream()
                .map(CustomerHistory::spend)
                .flatMap(Optional::stream)
                .toList());
        return new CustomerBase(purchases, spend);
    }

    /** Values customers over {@code horizonWeeks}, discounting at {@code annualDiscountRate}. */
    public Valuation valuation(int horizonWeeks, double annualDiscountRate) {
        return new Valuation(purchases.model(), spend.model(), horizonWeeks, annualDiscountRate);
    }
}
