package fusion.models.btyd;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * One customer's purchases, summarised for the BTYD models over a calibration period and an
 * optional holdout period.
 *
 * @param id the customer
 * @param calibration x, t_x, T in weeks (days / 7) over the calibration period
 * @param holdoutTransactions distinct purchase days in the holdout period (0 if there is none)
 * @param averageRepeatValue mean value of the repeat (non-first) calibration transactions; NaN if
 *     x = 0
 */
public record CustomerHistory(String id, Rfm calibration, int holdoutTransactions, double averageRepeatValue) {

    /**
     * The gamma-gamma input, for customers with a repeat calibration transaction of positive mean
     * value (the full CDNOW cohort has a few whose repeat purchases total $0, which a gamma cannot
     * describe; they are valued at the population mean like customers with x = 0).
     */
    public Optional<GammaGamma.Spend> spend() {
        int x = calibration.frequency();
        return x == 0 || !(averageRepeatValue > 0)
                ? Optional.empty()
                : Optional.of(new GammaGamma.Spend(x, averageRepeatValue));
    }

    /**
     * Summarises one customer's daily totals (epoch day to value; one entry per purchase day, so
     * same-day purchases are already one transaction).
     *
     * @param calibrationEnd last epoch day of calibration, inclusive; T is measured to it
     * @param holdoutEnd last epoch day of the holdout, inclusive (= calibrationEnd for none)
     */
    static CustomerHistory of(String id, NavigableMap<Long, Double> byDay, long calibrationEnd, long holdoutEnd) {
        long first = byDay.firstKey();
        if (first > calibrationEnd) {
            throw new IllegalArgumentException("customer " + id + ": first purchase after the calibration period");
        }
        Map<Long, Double> calibration = byDay.headMap(calibrationEnd, true);
        long last = byDay.floorKey(calibrationEnd);
        int x = calibration.size() - 1;
        double repeatTotal = 0;
        for (Map.Entry<Long, Double> e : calibration.entrySet()) {
            if (e.getKey() != first) {
                repeatTotal += e.getValue();
            }
        }
        int holdout = byDay.subMap(calibrationEnd, false, holdoutEnd, true).size();
        Rfm rfm = new Rfm(x, (last - first) / 7.0, (calibrationEnd - first) / 7.0);
        return new CustomerHistory(id, rfm, holdout, x == 0 ? Double.NaN : repeatTotal / x);
    }
}
